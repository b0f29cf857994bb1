import type { FastifyInstance } from 'fastify';
import type { Config } from '../platform/config.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { migrateToLatest, openStore, type Store } from '../store/index.js';
import { buildApp } from './app.js';
import { mailSettingsOf, startBackgroundWork } from './background.js';
import { startBackgroundThread } from './background-thread.js';

/** How long shutdown waits for requests in flight before closing anyway. */
const DRAIN_TIMEOUT_MS = 30_000;

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  /** Where the background jobs run: their own thread (a server's default), or the main thread. */
  backgroundOn: 'thread' | 'main thread';
  /** Graceful stop: refuse new requests, finish in-flight requests and jobs, close the database. */
  stop(): Promise<void>;
}

/** Open (and migrate) the database, then serve HTTP and run background jobs. */
export async function startServer(config: Config, logger: Logger, clock: Clock = systemClock, existingStore?: Store): Promise<RunningServer> {
  const store =
    existingStore ??
    openStore(config.databaseUrl, { onConnectionError: (err) => logger.warn({ err }, 'database connection lost; reconnecting') });
  let background: { stop(): Promise<void> } | undefined;
  // A thread of its own needs a database it can open again and the real clock (a test's
  // injected clock cannot cross into it).
  const onThread = (config.backgroundThread ?? store.dialect.name === 'sqlite') && clock === systemClock && store.location !== ':memory:';
  let app: FastifyInstance | undefined;
  try {
    const { applied } = await migrateToLatest(store);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    app = await buildApp({ store, config, logger, clock });
    await app.listen({ host: config.host, port: config.port });
    background = onThread
      ? await startBackgroundThread(store, logger, config)
      : await startBackgroundWork(store, logger, clock, config.publicUrl, mailSettingsOf(config));
  } catch (err) {
    await app?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const running = app;
  let stopping: Promise<void> | undefined;
  return {
    app: running,
    store,
    url: `http://${shownHost}:${port}`,
    backgroundOn: onThread ? 'thread' : 'main thread',
    stop: () => {
      stopping ??= (async () => {
        await running.drain(DRAIN_TIMEOUT_MS);
        await running.close();
        await background?.stop();
        await store.close();
      })();
      return stopping;
    },
  };
}

/** Stop gracefully on SIGINT/SIGTERM; a second signal exits at once. */
export function stopOnSignals(server: RunningServer, logger: Logger): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(1);
    received = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
