import type { Command } from 'commander';
import { startServer, stopOnSignals } from '../../server/run.js';
import { action } from '../output.js';
import { addServerOptions, configFrom, loggerFor, type ServerFlags } from '../options.js';

export function serveCommand(program: Command): void {
  addServerOptions(program.command('serve').description('run the HTTP API, the dashboard and the background jobs')).action(
    action(async (flags: ServerFlags) => {
      const config = configFrom(flags);
      const logger = loggerFor(config);
      const server = await startServer(config, logger);
      stopOnSignals(server, logger);
      logger.info({ url: server.url, database: server.store.location, backgroundJobs: server.backgroundOn }, 'Empty Chair is serving');
    }),
  );
}
