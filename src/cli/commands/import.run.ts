/** The work of `emptychair import`, loaded only when it runs (see main.ts). */
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { systemClock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { readableFileSize } from '../../platform/files.js';
import {
  describeMapping, errorReportFromRows, errorsOf, formatOf, IMPORT_FORMATS, kindOf, startImport, ZMapping, ZReadSettings, ZSource, type ImportKind, type Mapping,
} from '../../modules/imports/index.js';
import { migrateToLatest } from '../../store/index.js';
import { configFrom, type ServerFlags } from '../options.js';
import { parseFlags } from '../parse.js';
import { withStore } from '../runtime.js';

const ZImportFlags = ZReadSettings.extend({
  workspace: z.string().min(1),
  source: ZSource,
  format: z.enum(IMPORT_FORMATS).optional(),
  map: z.string().min(1).optional(),
  column: z.array(z.string().regex(/^[A-Za-z]+=.+$/, 'use field=Header, e.g. email="E-mail Address"')).optional(),
  errors: z.string().min(1).optional(),
});

function readMappingFile(path: string): Mapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AppError('VALIDATION_FAILED', `--map: cannot read ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('IMPORT_INVALID_MAPPING', `--map: ${path} is not JSON; write {"field": "Header", …}`);
  }
  const parsed = ZMapping.safeParse(json);
  if (!parsed.success) throw new AppError('IMPORT_INVALID_MAPPING', `--map: ${path} must be {"field": "Header", …} with text values`);
  return parsed.data;
}

const fmt = (n: number) => n.toLocaleString('en');

/** Import `file` as records of `kindName`: the operands, the --map-<field> columns and the flags that commander read. */
export async function runImport([kindName, file]: [string, string], mapped: Mapping, raw: ServerFlags & Record<string, unknown>): Promise<void> {
  const kind = kindOf(kindName);
  if (!kind) throw new AppError('IMPORT_UNKNOWN_KIND', `unknown kind "${kindName}": use contacts, accounts, orders, subscriptions or tickets`);
  const flags = parseFlags(ZImportFlags, raw);
  const format = flags.format ?? formatOf(file);
  if (!format) throw new AppError('IMPORT_FILE_INVALID', `cannot tell the format of ${file} from its name: pass --format csv or --format jsonl`);
  const size = readableFileSize(file, 'IMPORT_FILE_INVALID');
  const mapping: Mapping = { ...(flags.map ? readMappingFile(flags.map) : {}) };
  for (const c of flags.column ?? []) {
    const at = c.indexOf('=');
    mapping[c.slice(0, at)] = c.slice(at + 1);
  }
  Object.assign(mapping, mapped);

  await withStore(configFrom(raw as ServerFlags), async (store) => {
    await migrateToLatest(store);
    const bar = new cliProgress.SingleBar(
      {
        format: `import ${kind} [{bar}] {percentage}% | {rows} rows | {rate} rows/s | {failed} failed`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    let barStarted = false;
    const input = createReadStream(file, { highWaterMark: 256 * 1024 });
    const { record } = await startImport({ store, clock: systemClock }, input, {
      workspaceId: flags.workspace,
      kind: kind as ImportKind,
      source: flags.source,
      fileName: basename(file),
      format,
      mapping: Object.keys(mapping).length > 0 ? mapping : undefined,
      dateFormat: flags.dateFormat,
      decimal: flags.decimal,
      currency: flags.currency,
      delimiter: flags.delimiter,
      createdBy: `cli ${process.env.USER ?? ''}`.trim(),
      onMapping: (m, guessed) => {
        const guesses = guessed.length ? ` (guessed: ${guessed.join(', ')})` : '';
        console.log(`mapping: ${describeMapping(m)}${guesses}`);
        bar.start(Math.max(size, 1), 0, { rows: 0, rate: 0, failed: 0 });
        barStarted = true;
      },
      onProgress: (p) => {
        const seconds = Math.max((Date.now() - started) / 1000, 0.001);
        bar.update(p.bytesRead, { rows: fmt(p.rowsRead), rate: fmt(Math.round(p.rowsRead / seconds)), failed: fmt(p.rowsFailed) });
      },
    }).finally(() => {
      if (barStarted) bar.stop();
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `imported ${fmt(record.rowsImported)} of ${fmt(record.rowsRead)} rows (${record.kind} from ${record.source}) in ${seconds.toFixed(1)} s, ` +
        `${fmt(Math.round(record.rowsRead / Math.max(seconds, 0.001)))} rows/s; ${fmt(record.rowsFailed)} failed (import ${record.id})`,
    );
    if (record.errorsTotal > 0) {
      const errors = await errorsOf(store.db, record.workspaceId, record.id);
      const capped = errors.length < record.errorsTotal ? ` (the first ${fmt(errors.length)} kept)` : '';
      if (flags.errors) {
        writeFileSync(flags.errors, errorReportFromRows(errors));
        console.log(`${fmt(record.errorsTotal)} row errors written to ${flags.errors}${capped}`);
      } else {
        for (const e of errors.slice(0, 5)) console.error(`line ${e.line}: ${e.field || 'row'} ${JSON.stringify(e.value)}: ${e.reason}`);
        console.error(`${fmt(record.errorsTotal)} row errors${capped}; write them all with --errors report.csv`);
      }
    }
  });
}
