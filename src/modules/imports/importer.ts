/**
 * The importer: a byte stream (a file, an HTTP upload) → parsed rows → canonical records
 * → batched multi-row upserts into `source_records`, in bounded transactions, with the
 * import's history row and per-row errors written alongside. Memory stays flat: rows are
 * pulled from the parser only as fast as the database takes them (async iteration over
 * a stream pipeline is backpressure), and at most one transaction's rows are held.
 */
import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { AppError, isAppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { ImportDeps } from './deps.js';
import { type ImportKind } from './kinds.js';
import { resolveMapping, type Mapping } from './mapping.js';
import { insertErrors, insertImport, updateImport, upsertRecords, type ImportRecord, type RecordRow, type RowError } from './import.store.js';
import { rowConverter } from './rows.js';
import { compileDateFormat, isCurrencyCode, type DateFormat } from './values.js';

export const IMPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Stored errors per import; the rest are counted only. */
export const MAX_STORED_ERRORS = 10_000;
/** A single CSV record or JSONL line larger than this is a broken file (an unclosed quote …). */
const MAX_RECORD_BYTES = 1 << 20;

/** `.csv` → csv, `.jsonl`/`.ndjson` → jsonl; by MIME type as a fallback; undefined otherwise. */
export function formatOf(fileName: string, mimeType?: string): ImportFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  const mime = (mimeType ?? '').toLowerCase().split(';')[0]?.trim();
  if (mime === 'text/csv') return 'csv';
  if (mime === 'application/jsonl' || mime === 'application/x-ndjson' || mime === 'application/x-jsonlines') return 'jsonl';
  return undefined;
}

export const ZSource = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, 'a short name of letters, digits, "-", "_" or "." (e.g. crm, billing, support)');

/** How values are read; validated at every edge (CLI flags, HTTP fields). */
export const ZReadSettings = z.object({
  dateFormat: z.string().trim().max(64).optional(),
  decimal: z.enum(['.', ',']).optional(),
  currency: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .refine(isCurrencyCode, 'must be an ISO 4217 currency code, e.g. USD')
    .optional(),
  delimiter: z
    .string()
    .transform((s) => (s === '\\t' || s.toLowerCase() === 'tab' ? '\t' : s))
    .refine((s) => s.length === 1 && !/["\r\n]/.test(s), 'must be one character (e.g. , ; or tab)')
    .optional(),
});
export type ReadSettings = z.infer<typeof ZReadSettings>;

export interface ImportProgress {
  rowsRead: number;
  rowsImported: number;
  rowsFailed: number;
  bytesRead: number;
}

export interface ImportRequest extends ReadSettings {
  workspaceId: string;
  kind: ImportKind;
  source: string;
  fileName: string;
  format: ImportFormat;
  mapping?: Mapping;
  /** Who started it, as people read it (an e-mail, "key billing sync", "cli"). */
  createdBy: string | null;
  /** Rows per INSERT statement (default 500). */
  batchSize?: number;
  /** Rows per transaction (default 10 000). */
  transactionRows?: number;
  /** Called once the mapping is known, before any row is written. */
  onMapping?(mapping: Mapping, guessed: string[]): void;
  /** Called after each committed transaction. */
  onProgress?(progress: ImportProgress): void;
}

export interface ImportResult {
  record: ImportRecord;
}

/** Counts bytes and refuses binary files (NUL bytes; zip, gzip, PDF signatures) at the first chunk. */
class Sniffer extends Transform {
  bytes = 0;
  private first = true;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.first) {
      this.first = false;
      const head = chunk.subarray(0, 4096);
      const magic = head.subarray(0, 4).toString('latin1');
      if (head.includes(0) || magic.startsWith('PK\x03\x04') || magic.startsWith('\x1f\x8b') || magic.startsWith('%PDF')) {
        done(new AppError('IMPORT_FILE_INVALID', 'the file is not text: only CSV or JSONL files can be imported'));
        return;
      }
    }
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

interface JsonLine {
  line: number;
  text: string;
}

/** Splits bytes into lines (LF or CRLF; BOM dropped) as objects, one per line. */
class LineSplitter extends Transform {
  private rest = '';
  private line = 0;
  private decoder = new TextDecoder('utf-8', { fatal: false });
  constructor() {
    super({ readableObjectMode: true, readableHighWaterMark: 256 });
  }
  private emit_(text: string): void {
    this.line++;
    const t = this.line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const clean = t.endsWith('\r') ? t.slice(0, -1) : t;
    if (clean.trim() !== '') this.push({ line: this.line, text: clean } satisfies JsonLine);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const s = this.rest + this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', start)) {
      this.emit_(s.slice(start, i));
      start = i + 1;
    }
    this.rest = s.slice(start);
    if (this.rest.length > MAX_RECORD_BYTES) {
      done(new AppError('IMPORT_FILE_INVALID', `line ${this.line + 1} is longer than ${MAX_RECORD_BYTES} bytes: not a JSONL file?`));
      return;
    }
    done();
  }
  override _flush(done: TransformCallback): void {
    const s = this.rest + this.decoder.decode();
    if (s !== '') this.emit_(s);
    done();
  }
}

/** A row as the converter sees it: its first line, and a cell getter by column name. */
interface SourceRow {
  line: number;
  get?: (column: string) => unknown;
  /** A problem with the row as a whole (bad JSON, wrong column count). */
  error?: { value: string; reason: string };
}

interface RowSource {
  /** Column names: the CSV header, or the keys of the first JSONL object. */
  headers(): Promise<string[]>;
  rows(): AsyncGenerator<SourceRow>;
  bytes(): number;
}

const fileError = (err: unknown): Error => {
  if (isAppError(err)) return err;
  const e = err as { code?: string; message?: string; lines?: number };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE', 'the file is larger than the upload limit');
  if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
    return new AppError('IMPORT_FILE_INVALID', `not a valid CSV file${e.lines ? ` at line ${e.lines}` : ''}: ${e.message ?? e.code}`);
  }
  return err instanceof Error ? err : new Error(String(err));
};

function csvSource(input: Readable, delimiter: string): RowSource {
  const sniffer = new Sniffer();
  const parser = parse({
    bom: true,
    info: true,
    delimiter,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  pipeline(input, sniffer, parser, () => {});
  const it = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number; empty_lines: number } }>;
  let header: string[] | undefined;
  let lastLine = 0;
  let lastEmpty = 0;
  let crlfInside = 0;
  const next = async () => {
    try {
      return await it.next();
    } catch (err) {
      throw fileError(err);
    }
  };
  return {
    async headers() {
      const first = await next();
      if (first.done) throw new AppError('IMPORT_FILE_INVALID', 'the file is empty: a CSV file needs a header row');
      header = first.value.record.map((h) => h.trim());
      for (const v of first.value.record) if (v.indexOf('\r\n') !== -1) crlfInside += v.split('\r\n').length - 1;
      lastLine = first.value.info.lines - crlfInside;
      lastEmpty = first.value.info.empty_lines;
      if (header.every((h) => h === '')) throw new AppError('IMPORT_FILE_INVALID', 'the first row (the header) is empty');
      return header;
    },
    async *rows() {
      const cols = header ?? [];
      const index = new Map<string, number>();
      cols.forEach((h, i) => {
        if (!index.has(h)) index.set(h, i);
      });
      for (;;) {
        const r = await next();
        if (r.done) return;
        const { record, info } = r.value;
        // csv-parse counts a CRLF inside a quoted field as two lines: count it once.
        for (const v of record) if (v.indexOf('\r\n') !== -1) crlfInside += v.split('\r\n').length - 1;
        const line = lastLine + 1 + (info.empty_lines - lastEmpty);
        lastLine = info.lines - crlfInside;
        lastEmpty = info.empty_lines;
        if (record.length !== cols.length) {
          yield { line, error: { value: record.join(delimiter).slice(0, 200), reason: `has ${record.length} columns; the header has ${cols.length}` } };
          continue;
        }
        yield { line, get: (c) => record[index.get(c) ?? -1] };
      }
    },
    bytes: () => sniffer.bytes,
  };
}

function jsonlSource(input: Readable): RowSource {
  const sniffer = new Sniffer();
  const splitter = new LineSplitter();
  pipeline(input, sniffer, splitter, () => {});
  const it = splitter[Symbol.asyncIterator]() as AsyncIterator<JsonLine>;
  const next = async () => {
    try {
      return await it.next();
    } catch (err) {
      throw fileError(err);
    }
  };
  const toRow = (l: JsonLine): SourceRow => {
    let value: unknown;
    try {
      value = JSON.parse(l.text);
    } catch {
      return { line: l.line, error: { value: l.text.slice(0, 200), reason: 'not valid JSON' } };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { line: l.line, error: { value: l.text.slice(0, 200), reason: 'not a JSON object' } };
    }
    const obj = value as Record<string, unknown>;
    return { line: l.line, get: (c) => (Object.hasOwn(obj, c) ? obj[c] : undefined) };
  };
  let pending: JsonLine | undefined;
  return {
    async headers() {
      // The first line that is an object names the columns; earlier bad lines are reported as rows.
      const first = await next();
      if (first.done) throw new AppError('IMPORT_FILE_INVALID', 'the file is empty');
      pending = first.value;
      try {
        const v = JSON.parse(first.value.text) as unknown;
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) return Object.keys(v);
      } catch {
        // reported as a row error below
      }
      throw new AppError('IMPORT_FILE_INVALID', `line ${first.value.line} is not a JSON object: not a JSONL file?`);
    },
    async *rows() {
      if (pending) yield toRow(pending);
      for (;;) {
        const r = await next();
        if (r.done) return;
        yield toRow(r.value);
      }
    },
    bytes: () => sniffer.bytes,
  };
}

const byId = (a: RecordRow, b: RecordRow): number => (a.external_id < b.external_id ? -1 : a.external_id > b.external_id ? 1 : 0);

/**
 * Run one import to the end: the history row is created first (status running) and
 * finished as succeeded, or failed with the reason on a fatal problem (which is rethrown).
 * Rows with problems are skipped and reported; the good rows are kept.
 */
export async function runImport(deps: ImportDeps, input: Readable, req: ImportRequest): Promise<ImportResult> {
  const { store, clock } = deps;
  const db = store.db;
  const batchSize = req.batchSize ?? 500;
  const transactionRows = Math.max(batchSize, req.transactionRows ?? 10_000);
  const startedAt = clock.now();
  let dateFormat: DateFormat;
  try {
    dateFormat = compileDateFormat(req.dateFormat);
  } catch (err) {
    input.resume();
    throw new AppError('VALIDATION_FAILED', (err as Error).message);
  }
  const record: ImportRecord = {
    workspaceId: req.workspaceId,
    id: newId('imp', startedAt),
    kind: req.kind,
    source: req.source,
    fileName: req.fileName,
    format: req.format,
    mapping: {},
    options: Object.fromEntries(
      Object.entries({ dateFormat: req.dateFormat, decimal: req.decimal, currency: req.currency, delimiter: req.delimiter, mapping: req.mapping }).filter(([, v]) => v !== undefined),
    ),
    status: 'running',
    rowsRead: 0,
    rowsImported: 0,
    rowsFailed: 0,
    errorsTotal: 0,
    error: null,
    startedAt,
    finishedAt: null,
    createdBy: req.createdBy,
  };
  await insertImport(db, record);

  const source = req.format === 'csv' ? csvSource(input, req.delimiter ?? ',') : jsonlSource(input);
  let pending = new Map<string, RecordRow>();
  let pendingErrors: RowError[] = [];
  let storedErrors = 0;
  let committedImported = 0;

  const flush = async (): Promise<void> => {
    const rows = [...pending.values()].sort(byId);
    const errors = pendingErrors;
    pending = new Map();
    pendingErrors = [];
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += batchSize) await upsertRecords(trx, rows.slice(i, i + batchSize));
      if (errors.length > 0) await insertErrors(trx, record.workspaceId, record.id, storedErrors, errors);
      await updateImport(trx, record);
    });
    storedErrors += errors.length;
    committedImported = record.rowsImported;
    req.onProgress?.({ rowsRead: record.rowsRead, rowsImported: record.rowsImported, rowsFailed: record.rowsFailed, bytesRead: source.bytes() });
  };

  try {
    const headers = await source.headers();
    const resolved = resolveMapping(req.kind, headers, req.mapping, req.currency !== undefined);
    record.mapping = resolved.mapping;
    req.onMapping?.(resolved.mapping, resolved.guessed);
    const convert = rowConverter(req.kind, resolved.mapping, { dateFormat, decimal: req.decimal, defaultCurrency: req.currency }, resolved.headerCurrency);
    const now = clock.now();
    let inTransaction = 0;
    for await (const row of source.rows()) {
      record.rowsRead++;
      const out = row.error ? { errors: [{ line: row.line, field: '', ...row.error }] } : convert(row.line, row.get as (c: string) => unknown);
      if ('errors' in out) {
        record.rowsFailed++;
        record.errorsTotal += out.errors.length;
        for (const e of out.errors) if (storedErrors + pendingErrors.length < MAX_STORED_ERRORS) pendingErrors.push(e);
      } else {
        record.rowsImported++;
        // Within one statement a key may appear once (PostgreSQL refuses otherwise): the later row wins.
        pending.delete(out.row.externalId);
        pending.set(out.row.externalId, {
          workspace_id: record.workspaceId,
          source: record.source,
          kind: record.kind,
          external_id: out.row.externalId,
          data: JSON.stringify(out.row.data),
          occurred_at: out.row.occurredAt ?? now,
          imported_at: now,
          updated_at: now,
        });
      }
      if (++inTransaction >= transactionRows) {
        inTransaction = 0;
        await flush();
      }
    }
    record.status = 'succeeded';
    record.finishedAt = clock.now();
    await flush();
    return { record };
  } catch (err) {
    const failure = fileError(err);
    input.destroy();
    record.status = 'failed';
    record.error = failure.message;
    record.finishedAt = clock.now();
    try {
      // Rows read before the problem were valid: keep them, as with any other import.
      await flush();
    } catch {
      record.rowsImported = committedImported;
      await updateImport(db, record).catch(() => undefined);
    }
    throw failure;
  }
}
