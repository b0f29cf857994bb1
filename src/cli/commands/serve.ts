import type { Command } from 'commander';
import { action } from '../output.js';
import { addServerOptions, configFrom, type ServerFlags } from '../options.js';

export function serveCommand(program: Command): void {
  addServerOptions(program.command('serve').description('run the HTTP API, the dashboard and the background jobs')).action(
    action(async (flags: ServerFlags) => {
      const config = configFrom(flags);
      const { runServe } = await import('./serve.run.js');
      await runServe(config);
    }),
  );
}
