/**
 * The background jobs on a thread of their own. A server's work is two kinds: answering HTTP
 * (ingestion, the dashboard) and the job worker (identity resolution, rules, deadlines,
 * deliveries). On one thread they share one core, and under load each waits for the other; on
 * two threads, each with its own database connection, a server uses two cores.
 *
 * The thread (background-thread.entry.ts) opens its own store on the same database and runs
 * startBackgroundWork there. The two stores' change signals are relayed both ways, so a commit
 * on either thread wakes the waiters on the other at once, as it would in one thread. If the
 * thread dies, it is started again after a pause that doubles up to half a minute; the work it
 * held comes back to the new one through the job leases, as after a crash. The deliveries of
 * notifications stay on the main thread (a worker of their own there), which serving HTTP
 * leaves less busy than the job thread.
 */
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { Store } from '../store/index.js';
import type { ChangeTopic } from '../store/changes.js';
import { systemClock } from '../platform/clock.js';
import { mailSettingsOf, startBackgroundWork } from './background.js';

export type ToThread = { type: 'change'; topic: ChangeTopic } | { type: 'stop' };
export type FromThread = { type: 'change'; topic: ChangeTopic } | { type: 'ready' };
export interface ThreadData {
  config: Config;
  /** SQLite: the main store's write lock, which the thread's store shares. */
  writeLock: SharedArrayBuffer | undefined;
  /** The main thread's logger's level (a test's silent logger keeps the thread silent too). */
  logLevel: string;
}

export interface BackgroundThread {
  /** How busy the thread's event loop has been (since `since`, as performance.eventLoopUtilization); undefined while it restarts. */
  eventLoopUtilization(since?: EventLoopUtilization): EventLoopUtilization | undefined;
  /** Stop claiming jobs, let the running ones finish, and close the thread's connection. */
  stop(): Promise<void>;
}

const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 30_000;
/** A thread that ran this long before it died starts the pauses from the beginning again. */
const HEALTHY_MS = 60_000;
/** stop() waits this long for the running jobs, then ends the thread anyway (the leases bring its jobs back). */
const STOP_TIMEOUT_MS = 60_000;

/**
 * The compiled entry. Under the test runner this module is TypeScript and threads cannot load
 * it, so the thread runs the built code (`npm test` builds first).
 */
const ENTRY = new URL(import.meta.url.endsWith('.ts') ? '../../dist/src/server/background-thread.entry.js' : './background-thread.entry.js', import.meta.url);

/**
 * Start the thread; resolves when its worker is running, rejects if it failed to start.
 * `entry`: what the thread runs (a test's stand-in; the jobs by default).
 */
export async function startBackgroundThread(store: Store, logger: Logger, config: Config, entry: URL = ENTRY): Promise<BackgroundThread> {
  let current: Worker | undefined;
  let stopping = false;
  let restartDelay = RESTART_MIN_MS;
  let restartTimer: NodeJS.Timeout | undefined;
  const unrelay = store.changes.relayTo((topic) => current?.postMessage({ type: 'change', topic } satisfies ToThread));
  // SQLite: the thread's connection runs the checkpoints; this one keeps only the backstop.
  store.checkpointOnlyAsBackstop?.();

  const restartLater = () => {
    if (stopping) return;
    logger.error({ restartInMs: restartDelay }, 'background thread stopped unexpectedly; starting it again');
    restartTimer = setTimeout(() => void launch(true).catch((err: unknown) => logger.error({ err }, 'background thread failed to start')), restartDelay);
    restartDelay = Math.min(restartDelay * 2, RESTART_MAX_MS);
  };

  /**
   * Resolves when the thread says it is ready; rejects if it ends before that. Once it was
   * ready, or when this is a restart, its end schedules the next start.
   */
  function launch(isRestart: boolean): Promise<void> {
    const worker = new Worker(entry, { workerData: { config, logLevel: logger.level, writeLock: store.writeLock?.buffer } satisfies ThreadData });
    const startedAt = Date.now();
    current = worker;
    let failure: Error | undefined;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromThread) => {
        if (message.type === 'change') store.changes.notify(message.topic, true);
        else if (message.type === 'ready') {
          ready = true;
          resolve();
        }
      });
      worker.on('error', (err) => {
        failure = err;
        logger.error({ err }, 'background thread failed');
      });
      const threadId = worker.threadId;
      worker.once('exit', (code) => {
        if (current === worker) current = undefined;
        // Ended inside a transaction (ended by force, or crashed): its turn to write ends with it.
        store.writeLock?.releaseIfHeldBy(threadId);
        if (!ready) reject(failure ?? new Error(`the background thread ended before it was ready (exit code ${code})`));
        if (Date.now() - startedAt > HEALTHY_MS) restartDelay = RESTART_MIN_MS;
        if (ready || isRestart) restartLater();
      });
    });
  }

  let deliveries: { stop(): Promise<void> };
  try {
    await launch(false);
    deliveries = await startBackgroundWork(store, logger, systemClock, config.publicUrl, mailSettingsOf(config), 'deliveries');
  } catch (error) {
    stopping = true;
    unrelay();
    await stopThread();
    throw error;
  }

  return {
    eventLoopUtilization: (since) => current?.performance.eventLoopUtilization(since),
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      unrelay();
      await Promise.all([deliveries.stop(), stopThread()]);
    },
  };

  async function stopThread(): Promise<void> {
    const worker = current;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const timer = setTimeout(() => {
      logger.warn({ waitedMs: STOP_TIMEOUT_MS }, 'background jobs did not finish in time; ending their thread');
      void worker.terminate();
    }, STOP_TIMEOUT_MS);
    worker.postMessage({ type: 'stop' } satisfies ToThread);
    await exited;
    clearTimeout(timer);
  }
}
