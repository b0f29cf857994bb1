import { createReadStream, createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { readableFileSize } from '../../platform/files.js';
import { analyzer, type ThemeDictionary } from '../../modules/feedback/text/index.js';
import { action, progressBar } from '../output.js';
import { parseFlags } from '../parse.js';

const ZAnalyzeFlags = z.object({
  column: z.string().min(1).optional(),
  format: z.enum(['lines', 'csv']).optional(),
  delimiter: z.string().min(1).max(3).optional(),
  output: z.string().min(1).optional(),
  themes: z.string().min(1).optional(),
});
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

export function textCommand(program: Command): void {
  const text = program.command('text').description('text analytics on customer comments: sentiment, language and themes, in-process');
  text
    .command('analyze')
    .usage('<file> [--column NAME] [--output FILE]')
    .argument('<file>', 'one comment per line, or a CSV file with --column')
    .description('write one JSON line per comment: {text, sentiment: {score, label}, language, themes, phrases}; the score is in [−1, 1]')
    .option('--column <name>', 'the CSV column holding the comments (implies --format csv)')
    .option('--format <format>', 'lines or csv (default: csv for .csv/.tsv files or with --column, else lines)')
    .option('--delimiter <char>', 'CSV delimiter (default ","; "tab" for TSV)')
    .option('--output <file>', 'write the JSON lines here instead of stdout')
    .option('--themes <file>', 'JSON theme dictionary {"theme": ["cue", …]} replacing the default one')
    .action(
      action(async (file: string, raw: Record<string, unknown>) => {
        const flags = parseFlags(ZAnalyzeFlags, raw);
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
      }),
    );
}
