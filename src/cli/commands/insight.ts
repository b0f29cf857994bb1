import type { Command } from 'commander';
import { z } from 'zod';
import { runRefresh, type RunState } from '../../modules/insight/index.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { systemClock } from '../../platform/clock.js';
import { migrateToLatest } from '../../store/index.js';
import { action } from '../output.js';
import { parseFlags } from '../parse.js';
import { addDatabaseOption, configFrom, withStore, type ServerFlags } from '../options.js';

const ZFlags = z.object({ workspace: z.string().min(1).optional() });

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
      await withStore(configFrom(raw), async (store) => {
        await migrateToLatest(store);
        const all = await store.db.selectFrom('workspaces').select(['id', 'name']).execute();
        const ws = flags.workspace ? all.find((w) => w.id === flags.workspace) : all.length === 1 ? all[0] : all.find((w) => w.name.includes('(demo)'));
        if (!ws) throw new AppError('WORKSPACE_NOT_FOUND', flags.workspace ? `no workspace ${flags.workspace}` : 'several workspaces: name one with --workspace');
        const run = await runRefresh({ store, clock: systemClock }, ws.id, newId('job'), { trigger: 'manual', requestedBy: 'cli' });
        const state = JSON.parse(run.state) as RunState;
        console.log(JSON.stringify({ workspace: ws.id, run: run.id, status: run.status, seconds: Number(run.duration_ms ?? 0) / 1000, counts: state.counts, phaseMs: state.phaseMs, model: state.metrics }, null, 2));
      });
    }),
  );
}
