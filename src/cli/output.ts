import cliProgress from 'cli-progress';
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

/** A progress bar on stderr with a rate; silent when stderr is not a terminal. */
export function progressBar(label: string, total: number, unit = 'rows') {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | eta {eta_formatted}`,
      stream: process.stderr,
      noTTYOutput: false,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(total, 0, { rate: 0 });
  return {
    update(done: number) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(done, { rate: Math.round(done / seconds) });
    },
    stop() {
      bar.stop();
    },
  };
}
