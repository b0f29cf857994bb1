/**
 * SQLite copies its write-ahead log back into the database file in checkpoints. By default the
 * connection that commits runs one every 1 000 pages, on the thread that also serves HTTP: under
 * a steady write load, a stall (copying pages, an fsync of the database file) every fraction of
 * a second. A server moves them to a worker thread with a connection of its own, which runs a
 * PASSIVE checkpoint (it neither waits for nor blocks the writer) every `everyMs`. The main
 * connection keeps an automatic checkpoint only as a backstop, far above what the worker lets
 * the log reach, and gets the default back when the worker stops or fails.
 */
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** Pages of log after which the main connection checkpoints itself (about 80 MB): a backstop. */
const BACKSTOP_PAGES = 20_000;
const DEFAULT_PAGES = 1_000;

/** The worker, as CommonJS source (a file would need a build step of its own for the tests). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failing now: the next tick tries again, and the backstop holds meanwhile.
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('closed');
});
`;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

/** For a second connection that writes (the background thread's): the worker checkpoints for it too. */
export function checkpointOnlyAsBackstop(raw: BetterSqlite3.Database): void {
  raw.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
}

export function startWalCheckpointer(raw: BetterSqlite3.Database, driver: string, everyMs = 250): WalCheckpointer {
  checkpointOnlyAsBackstop(raw);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path: raw.name, everyMs } });
  // It must not keep the process alive, nor outlive the main connection's setting.
  worker.unref();
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      if (raw.open) raw.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
      resolve();
    });
  });
  worker.on('error', () => undefined);
  return {
    async stop() {
      worker.postMessage('stop');
      await Promise.race([new Promise((r) => worker.once('message', r)), exited]);
      await worker.terminate();
      await exited;
    },
  };
}
