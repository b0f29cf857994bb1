import { isAppError } from '../platform/errors.js';

/** One clear line on stderr and a non-zero exit: no stack traces for people. */
export function fail(error: unknown): never {
  const message = isAppError(error) || error instanceof Error ? error.message : String(error);
  process.stderr.write(`emptychair: ${message}\n`);
  if (process.env.EMPTYCHAIR_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}

/** Wrap a command action so that any failure becomes one line and exit code 1. */
export const action =
  <A extends unknown[]>(fn: (...args: A) => Promise<void>) =>
  async (...args: A): Promise<void> => {
    try {
      await fn(...args);
    } catch (err) {
      fail(err);
    }
  };
