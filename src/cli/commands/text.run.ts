/** The work of `emptychair text analyze`, loaded only when it runs (see main.ts). */
import { createReadStream, createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { readableFileSize } from '../../platform/files.js';
import { analyzer, type ThemeDictionary } from '../../modules/feedback/text/index.js';
import { progressBar } from '../progress.js';
import type { AnalyzeFlags } from './text.js';

const ZThemeFile = z.record(z.string().min(1), z.array(z.string().min(1)));

/** Show the bar only for files big enough to wait for. */
const BAR_ABOVE_BYTES = 1 << 20;

function readThemes(path: string): ThemeDictionary {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new AppError('VALIDATION_FAILED', `--themes: ${path} is not a readable JSON file`);
  }
  const parsed = ZThemeFile.safeParse(json);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', `--themes: ${path} must be {"theme": ["cue", "cue phrase", …], …}`);
  return parsed.data;
}

/** The comments of a file, one per non-empty line or from one CSV column. */
async function* comments(input: Readable, format: 'lines' | 'csv', file: string, column?: string, delimiter?: string): AsyncGenerator<string> {
  if (format === 'lines') {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) if (line.trim() !== '') yield line;
    return;
  }
  if (!column) throw new AppError('VALIDATION_FAILED', `${file} is a CSV file: name the column of comments with --column NAME`);
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter: delimiter === 'tab' ? '\t' : (delimiter ?? ','),
      relax_column_count: true,
      columns: (header: string[]) => {
        if (!header.includes(column)) throw new AppError('VALIDATION_FAILED', `no column "${column}" in ${file}; its columns are ${header.map((h) => JSON.stringify(h)).join(', ')}`);
        return header;
      },
    }),
  );
  for await (const record of parser as AsyncIterable<Record<string, string | undefined>>) {
    const text = record[column];
    if (text !== undefined && text.trim() !== '') yield text;
  }
}

const write = (out: NodeJS.WritableStream, chunk: string) =>
  out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));

const fmt = (n: number) => n.toLocaleString('en');

/** Write the analysis of every comment in `file` as JSON lines, and a summary. */
export async function runTextAnalyze(file: string, flags: AnalyzeFlags): Promise<void> {
  const size = readableFileSize(file, 'VALIDATION_FAILED');
  const format = flags.format ?? (flags.column || /\.(csv|tsv)$/i.test(file) ? 'csv' : 'lines');
  const delimiter = flags.delimiter ?? (/\.tsv$/i.test(file) ? 'tab' : undefined);
  const analyze = analyzer(flags.themes ? readThemes(flags.themes) : undefined);

  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  const bar = size > BAR_ABOVE_BYTES ? progressBar('analysing', size, 'bytes') : undefined;
  input.on('data', (chunk) => {
    bytes += chunk.length;
    bar?.update(bytes);
  });
  let out: NodeJS.WritableStream = process.stdout;
  let fileOut: WriteStream | undefined;
  if (flags.output) {
    fileOut = createWriteStream(flags.output);
    await new Promise<void>((resolve, reject) => {
      fileOut?.once('open', () => resolve()).once('error', () => reject(new AppError('VALIDATION_FAILED', `--output: cannot write ${flags.output}`)));
    });
    out = fileOut;
  }
  const started = Date.now();
  let n = 0;
  const counts = { positive: 0, neutral: 0, negative: 0 };
  try {
    let batch = '';
    for await (const comment of comments(input, format, file, flags.column, delimiter)) {
      const result = analyze(comment);
      counts[result.sentiment.label]++;
      batch += `${JSON.stringify(result)}\n`;
      if (++n % 256 === 0) {
        await write(out, batch);
        batch = '';
      }
    }
    if (batch) await write(out, batch);
  } finally {
    bar?.stop();
    input.destroy();
    if (fileOut) await new Promise<void>((resolve) => fileOut?.end(() => resolve()));
  }
  const seconds = Math.max((Date.now() - started) / 1000, 0.001);
  const summary =
    `analysed ${fmt(n)} comments in ${seconds.toFixed(1)} s, ${fmt(Math.round(n / seconds))} comments/s: ` +
    `${fmt(counts.positive)} positive, ${fmt(counts.neutral)} neutral, ${fmt(counts.negative)} negative` +
    (flags.output ? `; written to ${flags.output}` : '');
  if (flags.output) console.log(summary);
  else process.stderr.write(`${summary}\n`);
}
