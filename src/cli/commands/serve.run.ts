/** The work of `emptychair serve`, loaded only when it runs (see main.ts). */
import type { Config } from '../../platform/config.js';
import { startServer, stopOnSignals } from '../../server/run.js';
import { loggerFor } from '../runtime.js';

export async function runServe(config: Config): Promise<void> {
  const logger = loggerFor(config);
  const server = await startServer(config, logger);
  stopOnSignals(server, logger);
  logger.info({ url: server.url, database: server.store.location, backgroundJobs: server.backgroundOn }, 'Empty Chair is serving');
}
