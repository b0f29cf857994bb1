import type { Command } from 'commander';
import { z } from 'zod';
import { action } from '../output.js';
import { parseFlags } from '../parse.js';
import { addDatabaseOption, configFrom, type ServerFlags } from '../options.js';

const ZFlags = z.object({ workspace: z.string().min(1).optional() });
export type InsightFlags = z.infer<typeof ZFlags>;

/** `emptychair insight refresh`: the refresh job's work, run in this process (for scripts and measurements). */
export function insightCommand(program: Command): void {
  const insight = program.command('insight').description('lifetime values and health scores');
  addDatabaseOption(
    insight
      .command('refresh')
      .description('fit CLV, learn or choose the health model, score every customer and account; print the run with the backtest (AUC, log-loss, Brier)')
      .option('--workspace <id>', 'the workspace (default: the only one, or the demo)'),
  ).action(
    action(async (raw: ServerFlags & Record<string, unknown>) => {
      const flags = parseFlags(ZFlags, { workspace: raw.workspace });
      const config = configFrom(raw);
      const { runInsightRefresh } = await import('./insight.run.js');
      await runInsightRefresh(flags, config);
    }),
  );
}
