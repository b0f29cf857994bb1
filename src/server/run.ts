import type { FastifyInstance } from 'fastify';
import type { Config } from '../platform/config.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { migrateToLatest, openStore, type Store } from '../store/index.js';
import { buildApp } from './app.js';
import { mailSettingsOf, startBackgroundWork } from './background.js';
import { startBackgroundThread, type BackgroundThread } from './background-thread.js';

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

export interface RunningJobs {
  on: 'thread' | 'main thread';
  /** When they run on a thread of their own. */
  thread?: BackgroundThread;
  stop(): Promise<void>;
}

/**
 * Start the background jobs where a server runs them: on a thread of their own when
 * `config.backgroundThread` says so, by default on SQLite only (config.ts says why). A thread
 * needs a database it can open again and the real clock (an injected one cannot cross into it).
 */
export async function startJobs(store: Store, logger: Logger, config: Config, clock: Clock = systemClock): Promise<RunningJobs> {
  const onThread = (config.backgroundThread ?? store.dialect.name === 'sqlite') && clock === systemClock && store.location !== ':memory:';
  if (onThread) {
    const thread = await startBackgroundThread(store, logger, config);
    return { on: 'thread', thread, stop: () => thread.stop() };
  }
  const work = await startBackgroundWork(store, logger, clock, config.publicUrl, mailSettingsOf(config));
  return { on: 'main thread', stop: () => work.stop() };
}

/** Open (and migrate) the database, then serve HTTP and run background jobs. */
export async function startServer(config: Config, logger: Logger, clock: Clock = systemClock, existingStore?: Store): Promise<RunningServer> {
  const store =
    existingStore ??
    openStore(config.databaseUrl, { onConnectionError: (err) => logger.warn({ err }, 'database connection lost; reconnecting') });
  let background: RunningJobs | undefined;
  let app: FastifyInstance | undefined;
  try {
    const { applied } = await migrateToLatest(store);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    app = await buildApp({ store, config, logger, clock });
    // Listen last: once /readyz answers, the caller's signal handlers (stopOnSignals) are in
    // place, so a stop sent as soon as the server is ready is a graceful one.
    background = await startJobs(store, logger, config, clock);
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await background?.stop().catch(() => undefined);
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
    backgroundOn: background.on,
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
