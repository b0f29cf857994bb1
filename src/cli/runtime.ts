/**
 * What a command's work opens: the store and the logger. Only the `*.run.ts` modules import
 * this file, as it loads the database drivers (see main.ts for why that matters).
 */
import type { Config } from '../platform/config.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { openStore, type Store } from '../store/index.js';

export function loggerFor(config: Config): Logger {
  return createLogger({ level: config.logLevel });
}

/** Run `fn` with an open store, closing it afterwards whatever happens. */
export async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(config.databaseUrl);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
