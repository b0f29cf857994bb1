import cliProgress from 'cli-progress';

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
