import type { Command } from 'commander';
import { z } from 'zod';
import { action } from '../output.js';
import { addServerOptions, configFrom, type ServerFlags } from '../options.js';
import { parseFlags } from '../parse.js';

const ZDemoFlags = z.object({
  customers: z.coerce.number().int().min(1_000).max(1_000_000).default(5_000),
  seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(42),
  seedOnly: z.boolean().default(false),
});
export type DemoFlags = z.infer<typeof ZDemoFlags>;

export function demoCommand(program: Command): void {
  addServerOptions(
    program
      .command('demo')
      .description('create or refresh a demo workspace full of believable data, then serve it')
      .option('--customers <n>', 'how many customers to generate (1000 to 1000000)', '5000')
      .option('--seed <n>', 'random seed: the same seed gives the same company', '42')
      .option('--seed-only', 'write the demo data, then exit without serving'),
  ).action(
    action(async (raw: ServerFlags & { customers?: string; seed?: string; seedOnly?: boolean }) => {
      const flags = parseFlags(ZDemoFlags, raw);
      // The demo talks to a person at a terminal: only warnings in the log unless asked.
      const config = configFrom({ ...raw, logLevel: raw.logLevel ?? process.env.EMPTYCHAIR_LOG_LEVEL ?? 'warn' });
      const { runDemo } = await import('./demo.run.js');
      await runDemo(flags, config);
    }),
  );
}
