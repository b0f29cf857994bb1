/**
 * The importer: a byte stream (a file, an HTTP upload) → parsed rows → canonical records
 * → batched multi-row upserts into `source_records`, in bounded transactions, with the
 * import's history row and per-row errors written alongside. Memory stays flat: the
 * input is pulled a chunk at a time, only as fast as the database takes the rows (async
 * iteration is backpressure), and at most one chunk and one transaction's rows are held.
 * The rows of a chunk are read and converted synchronously: one async step per chunk,
 * not per row.
 */
import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import { z } from 'zod';
import { AppError, isAppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { appendFacts, recordFacts } from '../../store/index.js';
import { appendAudit, type Actor } from '../workspaces/index.js';
import type { ImportDeps } from './deps.js';
import { type ImportKind } from './kinds.js';
import { fieldForHeader, normalizeHeader, resolveMapping, type Mapping } from './mapping.js';
import { CsvReader } from './csv.js';
import { insertErrors, insertImport, RECORD_COLUMNS, RecordUpsert, updateImport, type ImportRecord, type RowError } from './import.store.js';
import { rowConverter, type ConvertedRow } from './rows.js';
import { compileDateFormat, isCurrencyCode, type DateFormat } from './values.js';

export const IMPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Stored errors per import; the rest are counted only. */
export const MAX_STORED_ERRORS = 10_000;
/** A single CSV record or JSONL line larger than this is a broken file (an unclosed quote …). */
const MAX_RECORD_BYTES = 1 << 20;
/**
 * JSONL has no header: the columns offered to the mapping are the keys of the first
 * `JSONL_SAMPLE_LINES` lines (fewer when they add up to more than `JSONL_SAMPLE_BYTES`), in
 * the order they first appear. Those lines are held in memory until the mapping is known.
 */
export const JSONL_SAMPLE_LINES = 1000;
const JSONL_SAMPLE_BYTES = 8 << 20;
/** Distinct keys remembered while looking for keys that first appear after the sample. */
const MAX_WATCHED_KEYS = 10_000;

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
  /** Who started it, for the audit log; by default the system, labelled `createdBy`. */
  actor?: Actor;
  /** Rows per INSERT statement (default 1000: 8 000 parameters, far below both databases' limits). */
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

/** Refuses binary files (NUL bytes; zip, gzip, PDF signatures), judged by the first chunk. */
function notText(first: Buffer): AppError | undefined {
  const head = first.subarray(0, 4096);
  const magic = head.subarray(0, 4).toString('latin1');
  if (head.includes(0) || magic.startsWith('PK\x03\x04') || magic.startsWith('\x1f\x8b') || magic.startsWith('%PDF')) {
    return new AppError('IMPORT_FILE_INVALID', 'the file is not text: only CSV or JSONL files can be imported');
  }
  return undefined;
}

/** Counts bytes and refuses binary files at the first chunk. */
class Sniffer extends Transform {
  bytes = 0;
  private first = true;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.first) {
      this.first = false;
      const refused = notText(chunk);
      if (refused) {
        done(refused);
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

/** Splits bytes into lines (LF or CRLF; BOM dropped), pushed as one array per chunk. */
class LineSplitter extends Transform {
  private rest = '';
  private line = 0;
  private decoder = new TextDecoder('utf-8', { fatal: false });
  private out: JsonLine[] = [];
  constructor() {
    super({ readableObjectMode: true, readableHighWaterMark: 4 });
  }
  private emit_(text: string): void {
    this.line++;
    const t = this.line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const clean = t.endsWith('\r') ? t.slice(0, -1) : t;
    if (clean.trim() !== '') this.out.push({ line: this.line, text: clean });
  }
  private send(): void {
    if (this.out.length > 0) this.push(this.out);
    this.out = [];
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const s = this.rest + this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', start)) {
      this.emit_(s.slice(start, i));
      start = i + 1;
    }
    this.rest = s.slice(start);
    this.send();
    if (this.rest.length > MAX_RECORD_BYTES) {
      done(new AppError('IMPORT_FILE_INVALID', `line ${this.line + 1} is longer than ${MAX_RECORD_BYTES} bytes: not a JSONL file?`));
      return;
    }
    done();
  }
  override _flush(done: TransformCallback): void {
    const s = this.rest + this.decoder.decode();
    if (s !== '') this.emit_(s);
    this.send();
    done();
  }
}

/** A problem with a row as a whole (bad JSON, wrong column count). */
interface RowProblem {
  value: string;
  reason: string;
}

/**
 * The rows of one chunk: `rows[i]` starts on line `lines[i]`, and is either its cells
 * (where each mapped column is: see `RowSource.positionOf`) or a problem.
 */
interface RowBatch {
  lines: number[];
  rows: (readonly unknown[] | RowProblem)[];
}

interface RowSource {
  /** Column names: the CSV header, or the keys of the first JSONL lines (see `JSONL_SAMPLE_LINES`). */
  headers(): Promise<string[]>;
  /**
   * JSONL only: call `onNew` once for each key first seen after the lines that named the
   * columns (a CSV's columns are all in its header), with the line it first appears on.
   */
  watchNewKeys?(onNew: (key: string, line: number) => void): void;
  /** JSONL only: whether any line read so far has the key (undefined once too many keys to tell). */
  hasSeen?(key: string): boolean | undefined;
  /** The last line read to name the columns. */
  headerLines(): number;
  /** Where a column's cell is in a row's cells; called for each mapped column before reading rows. */
  positionOf(column: string): number;
  batches(): AsyncGenerator<RowBatch>;
  bytes(): number;
}

const fileError = (err: unknown): Error => {
  if (isAppError(err)) return err;
  const e = err as { code?: string; message?: string };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE', 'the file is larger than the upload limit');
  return err instanceof Error ? err : new Error(String(err));
};

/** Chunks of the input as Buffers, the first one checked for binary content, bytes counted. */
function chunksOf(input: Readable): { next(): Promise<Buffer | undefined>; bytes(): number } {
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let bytes = 0;
  let done = false;
  return {
    async next() {
      if (done) return undefined;
      let r: IteratorResult<Buffer | string>;
      try {
        r = await it.next();
      } catch (err) {
        throw fileError(err);
      }
      if (r.done) {
        done = true;
        return undefined;
      }
      const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      if (bytes === 0) {
        const refused = notText(chunk);
        if (refused) throw refused;
      }
      bytes += chunk.length;
      return chunk;
    },
    bytes: () => bytes,
  };
}

function csvSource(input: Readable, delimiter: string): RowSource {
  const chunks = chunksOf(input);
  const reader = new CsvReader(delimiter, MAX_RECORD_BYTES);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let ended = false;
  /** The next chunk's complete records; undefined at the end. */
  const read = async (): Promise<{ records: string[][]; lines: number[] } | undefined> => {
    while (!ended) {
      const chunk = await chunks.next();
      if (chunk === undefined) ended = true;
      const batch = chunk === undefined ? reader.push(decoder.decode(), true) : reader.push(decoder.decode(chunk, { stream: true }));
      if (batch.records.length > 0) return batch;
    }
    return undefined;
  };
  let cols: string[] = [];
  const index = new Map<string, number>();
  let first: { records: string[][]; lines: number[] } | undefined;
  return {
    async headers() {
      const batch = await read();
      const head = batch?.records[0];
      if (!batch || !head) throw new AppError('IMPORT_FILE_INVALID', 'the file is empty: a CSV file needs a header row');
      cols = head.map((h) => h.trim());
      cols.forEach((h, i) => {
        if (!index.has(h)) index.set(h, i);
      });
      first = { records: batch.records.slice(1), lines: batch.lines.slice(1) };
      if (cols.every((h) => h === '')) throw new AppError('IMPORT_FILE_INVALID', 'the first row (the header) is empty');
      return cols;
    },
    positionOf: (column) => index.get(column) ?? -1,
    headerLines: () => 1,
    async *batches() {
      for (let batch = first ?? (await read()); batch; batch = await read()) {
        first = undefined;
        const rows: (string[] | RowProblem)[] = batch.records;
        for (let i = 0; i < rows.length; i++) {
          const record = rows[i] as string[];
          if (record.length !== cols.length) {
            rows[i] = { value: record.join(delimiter).slice(0, 200), reason: `has ${record.length} columns; the header has ${cols.length}` };
          }
        }
        yield { lines: batch.lines, rows };
      }
    },
    bytes: chunks.bytes,
  };
}

function jsonlSource(input: Readable): RowSource {
  const sniffer = new Sniffer();
  const splitter = new LineSplitter();
  pipeline(input, sniffer, splitter, () => {});
  const it = splitter[Symbol.asyncIterator]() as AsyncIterator<JsonLine[]>;
  const next = async () => {
    try {
      return await it.next();
    } catch (err) {
      throw fileError(err);
    }
  };
  const wanted: string[] = [];
  /** Keys seen so far (the sample's, then later ones), while watching for new ones. */
  const known = new Set<string>();
  let onNewKey: ((key: string, line: number) => void) | undefined;
  let tooManyKeys = false;
  let sampledThrough = 0;
  const toRow = (l: JsonLine): readonly unknown[] | RowProblem => {
    let value: unknown;
    try {
      value = JSON.parse(l.text);
    } catch {
      return { value: l.text.slice(0, 200), reason: 'not valid JSON' };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { value: l.text.slice(0, 200), reason: 'not a JSON object' };
    }
    const obj = value as Record<string, unknown>;
    if (onNewKey && l.line > sampledThrough) {
      for (const k of Object.keys(obj)) {
        if (known.has(k)) continue;
        if (known.size >= MAX_WATCHED_KEYS) {
          onNewKey = undefined;
          tooManyKeys = true;
          break;
        }
        known.add(k);
        onNewKey(k, l.line);
      }
    }
    return wanted.map((c) => (Object.hasOwn(obj, c) ? obj[c] : undefined));
  };
  const toBatch = (lines: JsonLine[]): RowBatch => ({ lines: lines.map((l) => l.line), rows: lines.map(toRow) });
  /** Batches read ahead to name the columns, yielded first. */
  let pending: JsonLine[][] = [];
  return {
    async headers() {
      // The keys of the first lines that are objects name the columns, in order of appearance;
      // bad lines among them are reported as rows, like any other.
      let firstLine: JsonLine | undefined;
      let sampled = 0;
      let bytes = 0;
      let objects = 0;
      while (sampled < JSONL_SAMPLE_LINES && bytes < JSONL_SAMPLE_BYTES) {
        const r = await next();
        if (r.done) break;
        pending.push(r.value);
        for (const line of r.value) {
          if (sampled >= JSONL_SAMPLE_LINES || bytes >= JSONL_SAMPLE_BYTES) break;
          firstLine ??= line;
          sampled++;
          bytes += line.text.length;
          sampledThrough = line.line;
          let v: unknown;
          try {
            v = JSON.parse(line.text);
          } catch {
            continue; // reported as a row error when the rows are read
          }
          if (typeof v !== 'object' || v === null || Array.isArray(v)) continue;
          objects++;
          for (const k of Object.keys(v)) known.add(k);
        }
      }
      if (!firstLine) throw new AppError('IMPORT_FILE_INVALID', 'the file is empty');
      if (objects === 0) throw new AppError('IMPORT_FILE_INVALID', `line ${firstLine.line} is not a JSON object: not a JSONL file?`);
      return [...known];
    },
    positionOf(column) {
      let at = wanted.indexOf(column);
      if (at === -1) at = wanted.push(column) - 1;
      return at;
    },
    watchNewKeys(onNew) {
      onNewKey = onNew;
    },
    hasSeen: (key) => (known.has(key) ? true : tooManyKeys ? undefined : false),
    headerLines: () => sampledThrough,
    async *batches() {
      const ahead = pending;
      pending = [];
      for (const lines of ahead) yield toBatch(lines);
      for (;;) {
        const r = await next();
        if (r.done) return;
        yield toBatch(r.value);
      }
    },
    bytes: () => sniffer.bytes,
  };
}

interface PendingRecord {
  externalId: string;
  data: string;
  occurredAt: number;
}

const byId = (a: PendingRecord, b: PendingRecord): number => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0);

/**
 * Run one import to the end: the history row is created first (status running) and
 * finished as succeeded, or failed with the reason on a fatal problem (which is rethrown).
 * Rows with problems are skipped and reported; the good rows are kept.
 */
export async function runImport(deps: ImportDeps, input: Readable, req: ImportRequest): Promise<ImportResult> {
  const { store, clock } = deps;
  const db = store.db;
  const batchSize = req.batchSize ?? 1000;
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
  const upsert = new RecordUpsert(db);
  /** imported_at / updated_at of every record this import writes, and occurred_at when the row has none. */
  const now = clock.now();
  let pending = new Map<string, PendingRecord>();
  let pendingErrors: RowError[] = [];
  let storedErrors = 0;
  let committedImported = 0;

  const actor: Actor = req.actor ?? { type: 'system', id: null, label: req.createdBy ?? 'system' };
  /** The audit log's entry for a finished import (in the transaction that finishes it). */
  const audit = (db: Parameters<typeof appendAudit>[0]) =>
    appendAudit(db, {
      workspaceId: record.workspaceId,
      actor,
      action: 'import.run',
      target: { type: 'import', id: record.id },
      details: {
        kind: record.kind,
        source: record.source,
        fileName: record.fileName,
        format: record.format,
        status: record.status,
        rowsRead: record.rowsRead,
        rowsImported: record.rowsImported,
        rowsFailed: record.rowsFailed,
        ...(record.error === null ? {} : { error: record.error }),
      },
      at: record.finishedAt ?? clock.now(),
    });

  /** Write the pending rows and errors, and the history row, in one transaction (with the audit entry once finished). */
  const flush = async (): Promise<void> => {
    const rows = [...pending.values()].sort(byId);
    const errors = pendingErrors;
    pending = new Map();
    pendingErrors = [];
    const { workspaceId, source: sourceName, kind } = record;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += batchSize) {
        const end = Math.min(rows.length, i + batchSize);
        const values: unknown[] = new Array((end - i) * RECORD_COLUMNS.length);
        let k = 0;
        for (let r = i; r < end; r++) {
          const row = rows[r] as PendingRecord;
          // In RECORD_COLUMNS order.
          values[k++] = workspaceId;
          values[k++] = sourceName;
          values[k++] = kind;
          values[k++] = row.externalId;
          values[k++] = row.data;
          values[k++] = row.occurredAt;
          values[k++] = now;
          values[k++] = now;
        }
        await upsert.run(trx, values);
      }
      if (errors.length > 0) await insertErrors(trx, workspaceId, record.id, storedErrors, errors);
      await updateImport(trx, record);
      // Last before commit, as the outbox wants: identity resolution places these records.
      await appendFacts(trx, workspaceId, recordFacts(rows.map((r) => ({ source: sourceName, kind, external_id: r.externalId }))), now);
      if (record.status !== 'running') await audit(trx);
    });
    storedErrors += errors.length;
    committedImported = record.rowsImported;
    req.onProgress?.({ rowsRead: record.rowsRead, rowsImported: record.rowsImported, rowsFailed: record.rowsFailed, bytesRead: source.bytes() });
  };

  try {
    const headers = await source.headers();
    // A JSONL key may first appear on any line: an explicit mapping may name one that the
    // lines which named the columns lack (checked at the end: see `hasSeen`).
    const late = source.hasSeen ? Object.values(req.mapping ?? {}).filter((c) => !headers.some((h) => h === c || normalizeHeader(h) === normalizeHeader(c))) : [];
    const resolved = resolveMapping(req.kind, [...headers, ...late], req.mapping, req.currency !== undefined);
    record.mapping = resolved.mapping;
    req.onMapping?.(resolved.mapping, resolved.guessed);
    const mappedColumns = new Set(Object.values(resolved.mapping));
    source.watchNewKeys?.((key, line) => {
      // A key no field is named like is ignored, as unmapped columns are; one that looks like a
      // field would have been considered for it: say that its values were not read.
      const field = mappedColumns.has(key) ? undefined : fieldForHeader(req.kind, key);
      if (field === undefined) return;
      const through = source.headerLines();
      const readFrom = resolved.mapping[field];
      const reason =
        readFrom === undefined
          ? `key "${key}" looks like ${field} but first appears after line ${through}, the part of the file that chose the columns: ` +
            `its values were not imported (map it explicitly, e.g. {"${field}": "${key}"}, and import again)`
          : `key "${key}" looks like ${field}, which this import reads from "${readFrom}"; "${key}" first appears after line ${through} ` +
            `and its values were not imported`;
      record.errorsTotal++;
      if (storedErrors + pendingErrors.length < MAX_STORED_ERRORS) pendingErrors.push({ line, field, value: key, reason });
    });
    const convert = rowConverter(req.kind, resolved.mapping, { dateFormat, decimal: req.decimal, defaultCurrency: req.currency }, resolved.headerCurrency, source.positionOf);
    let inTransaction = 0;
    for await (const { lines, rows } of source.batches()) {
      for (let i = 0; i < rows.length; i++) {
        const line = lines[i] as number;
        const cells = rows[i] as readonly unknown[] | RowProblem;
        record.rowsRead++;
        const out: ConvertedRow | RowError[] = Array.isArray(cells) ? convert(line, cells) : [{ line, field: '', ...(cells as RowProblem) }];
        if (Array.isArray(out)) {
          record.rowsFailed++;
          record.errorsTotal += out.length;
          for (const e of out) if (storedErrors + pendingErrors.length < MAX_STORED_ERRORS) pendingErrors.push(e);
        } else {
          record.rowsImported++;
          // Within one statement a key may appear once (PostgreSQL refuses otherwise): the later row wins.
          pending.delete(out.externalId);
          pending.set(out.externalId, { externalId: out.externalId, data: out.data, occurredAt: out.occurredAt ?? now });
        }
        if (++inTransaction >= transactionRows) {
          inTransaction = 0;
          await flush();
        }
      }
    }
    for (const [field, column] of Object.entries(resolved.mapping)) {
      if (source.hasSeen?.(column) !== false) continue;
      record.errorsTotal++;
      if (storedErrors + pendingErrors.length < MAX_STORED_ERRORS) {
        pendingErrors.push({ line: 0, field, value: column, reason: `no line of the file has the key "${column}" (mapped to ${field})` });
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
      await db
        .transaction()
        .execute(async (trx) => {
          await updateImport(trx, record);
          await audit(trx);
        })
        .catch(() => undefined);
    }
    throw failure;
  }
}
