/**
 * What runs on the background thread (background-thread.ts): its own store on the server's
 * database, every module's jobs, and the change relay to and from the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../platform/clock.js';
import { createLogger } from '../platform/logger.js';
import { openStore } from '../store/index.js';
import { mailSettingsOf, startBackgroundWork } from './background.js';
import type { FromThread, ThreadData, ToThread } from './background-thread.js';

if (!parentPort) throw new Error('background-thread.entry runs on a worker thread');
const port = parentPort;
const { config, logLevel, writeLock } = workerData as ThreadData;
const logger = createLogger({ level: logLevel }).child({ thread: 'background' });
const store = openStore(config.databaseUrl, { writeLock, onConnectionError: (err) => logger.warn({ err }, 'database connection lost; reconnecting') });
store.changes.relayTo((topic) => port.postMessage({ type: 'change', topic } satisfies FromThread));

// The main thread sends the notifications (background.ts, JobShare).
const work = await startBackgroundWork(store, logger, systemClock, config.publicUrl, mailSettingsOf(config), 'all but deliveries');

let stopped: Promise<void> | undefined;
port.on('message', (message: ToThread) => {
  if (message.type === 'change') store.changes.notify(message.topic, true);
  else if (message.type === 'stop') {
    stopped ??= work
      .stop()
      .finally(() => store.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'error while stopping the background jobs');
          process.exit(1);
        },
      );
  }
});
port.postMessage({ type: 'ready' } satisfies FromThread);
