/**
 * Files for `emptychair dedupe` and the bench (with prepare-pool.ts, the part of matching/
 * that does I/O): read a CSV or JSONL file of people in chunks of whole records, resolve
 * which column is which field (field-mapping.ts), prepare the records on worker threads,
 * and write the clusters and the pairs.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../../platform/errors.js';
import { readableFileSize } from '../../../platform/files.js';
import { PERSON_KEYS, type PersonKey } from './codec.js';
import type { DedupeResult } from './dedupe.js';
import type { MatchModel } from './model.js';
import { objectLine, type ChunkSpec } from './chunk.js';
import { resolveFields, type FieldMapping } from './field-mapping.js';
import { createPreparePool, type PreparedChunk, type PreparePool } from './prepare-pool.js';
import type { Prepared, PrepareOptions } from './prepare.js';
import { decidePair, explain, scorePair } from './score.js';

export const DEDUPE_FORMATS = ['csv', 'jsonl'] as const;
export type DedupeFormat = (typeof DEDUPE_FORMATS)[number];

export interface ReadOptions extends PrepareOptions {
  format?: DedupeFormat;
  mapping?: FieldMapping;
  /** The column holding each record's id; the record number (1 = first record) otherwise. */
  idColumn?: string;
  delimiter?: string;
  /** Worker threads reading and preparing records (default: one per core; 0 = inline). */
  workers?: number;
  onMapping?: (mapping: Record<string, string>, guessed: string[]) => void;
  onProgress?: (bytesRead: number, bytesTotal: number, rows: number) => void;
}

export interface PeopleFile {
  /** Record ids from the id column; undefined when records are numbered (see idOf). */
  ids: string[] | undefined;
  prepared: Prepared[];
  headers: string[];
  mapping: Record<string, string>;
  guessed: string[];
  idHeader: string;
}

/** Record i's id: from the id column, or its number. */
export const idOf = (file: Pick<PeopleFile, 'ids'>, i: number): string => (file.ids ? (file.ids[i] as string) : String(i + 1));

export function formatOfFile(path: string): DedupeFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return undefined;
}

const SAMPLE = 1000;
const CHUNK = 1 << 20;
const LF = 0x0a;
const QUOTE = 0x22;

/** End of the last whole record in `bytes` (0 when none): an LF outside quotes for CSV. */
function lastBoundary(bytes: Uint8Array, csv: boolean, limit = bytes.length): number {
  if (!csv) return bytes.lastIndexOf(LF, limit - 1) + 1;
  let inQuote = false;
  let last = 0;
  for (let i = 0; i < limit; i++) {
    const b = bytes[i];
    if (b === QUOTE) inQuote = !inQuote;
    else if (b === LF && !inQuote) last = i + 1;
  }
  return last;
}

/** End of the first whole record (the header), or 0. */
function firstBoundary(bytes: Uint8Array): number {
  let inQuote = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) inQuote = !inQuote;
    else if (b === LF && !inQuote) return i + 1;
  }
  return 0;
}

function countLines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === LF) n++;
  return n;
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** Headers and sample rows from the start of the file (whole records only). */
function sampleOf(text: string, format: DedupeFormat, delimiter: string): { headers: string[]; rows: string[][] } {
  if (format === 'csv') {
    let records: string[][];
    try {
      records = parseCsv(text, { bom: true, skip_empty_lines: true, relax_column_count: true, delimiter, to: SAMPLE + 1 }) as string[][];
    } catch (e) {
      throw new AppError('DEDUPE_INPUT_INVALID', `not a valid CSV file: ${e instanceof Error ? e.message : String(e)}`);
    }
    const [headers = [], ...rows] = records;
    return { headers: headers.map((h) => h.trim()), rows };
  }
  const objects: Record<string, unknown>[] = [];
  let line = 0;
  for (const l of text.split('\n')) {
    line++;
    if (objects.length >= SAMPLE) break;
    if (l.trim() === '') continue;
    objects.push(objectLine(l, line));
  }
  const headers = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return { headers, rows: objects.map((o) => headers.map((h) => cell(o[h]))) };
}

/** Read and prepare every record of a file, on worker threads. */
export async function readPeople(path: string, options: ReadOptions = {}): Promise<PeopleFile> {
  const size = readableFileSize(path, 'DEDUPE_INPUT_INVALID');
  const format = options.format ?? formatOfFile(path);
  if (!format) throw new AppError('DEDUPE_INPUT_INVALID', `cannot tell the format of ${path} from its name: pass --format csv or --format jsonl`);
  const delimiter = options.delimiter === 'tab' ? '\t' : (options.delimiter ?? (path.toLowerCase().endsWith('.tsv') ? '\t' : ','));
  const csv = format === 'csv';
  const fail = (e: unknown): never => {
    if (e instanceof AppError) throw new AppError(e.code, `${path}: ${e.message}`, e.details);
    throw e;
  };

  const file = await open(path, 'r');
  let pool: PreparePool | undefined;
  try {
    let position = 0;
    const readMore = async (): Promise<Uint8Array | undefined> => {
      const buf = new Uint8Array(CHUNK);
      const { bytesRead } = await file.read(buf, 0, CHUNK, position);
      position += bytesRead;
      return bytesRead === 0 ? undefined : buf.subarray(0, bytesRead);
    };
    // The start of the file: enough whole records for the headers and a sample.
    let carry: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
    let eof = false;
    const textDecoder = new TextDecoder();
    for (;;) {
      const more = await readMore();
      if (!more) {
        eof = true;
        break;
      }
      carry = concat(carry, more);
      if (countLines(carry, carry.length) > SAMPLE + 1) break;
    }
    if (carry[0] === 0xef && carry[1] === 0xbb && carry[2] === 0xbf) carry = carry.subarray(3);
    const prefixEnd = eof ? carry.length : lastBoundary(carry, csv);
    const { headers, rows: sample } = (() => {
      try {
        return sampleOf(textDecoder.decode(carry.subarray(0, prefixEnd)), format, delimiter);
      } catch (e) {
        return fail(e);
      }
    })();
    if (headers.length === 0) throw new AppError('DEDUPE_INPUT_INVALID', `${path} is empty`);
    let idAt = -1;
    if (options.idColumn !== undefined) {
      idAt = headers.indexOf(options.idColumn);
      if (idAt < 0) throw new AppError('DEDUPE_INPUT_INVALID', `--id: no column "${options.idColumn}" in the file; its columns are ${headers.map((x) => JSON.stringify(x)).join(', ')}`);
    }
    const resolved = resolveFields(headers, options.mapping ?? {}, sample, idAt >= 0 ? [idAt] : []);
    const found = Object.keys(resolved.columns) as PersonKey[];
    if (!found.some((f) => f !== 'country' && f !== 'city')) {
      throw new AppError(
        'DEDUPE_INPUT_INVALID',
        `no column looks like a name, e-mail, phone, date of birth or address; its columns are ${headers.map((x) => JSON.stringify(x)).join(', ')}: name them with --map or --first-name, --email …`,
      );
    }
    const cols = PERSON_KEYS.flatMap((f, k) => (resolved.columns[f] !== undefined ? [[k, resolved.columns[f]] as [number, number]] : []));
    const mapping: Record<string, string> = {};
    for (const [k, c] of cols) mapping[PERSON_KEYS[k] as string] = headers[c] as string;
    options.onMapping?.(mapping, resolved.guessed);

    const spec: ChunkSpec = {
      format,
      delimiter,
      columns: cols.map(([k, c]) => [k, csv ? c : (headers[c] as string)]),
      ...(idAt >= 0 ? { id: csv ? idAt : (headers[idAt] as string) } : {}),
    };
    pool = createPreparePool(spec, { defaultCountry: options.defaultCountry, dateOrder: options.dateOrder }, options.workers);
    const inFlight: Promise<PreparedChunk>[] = [];
    const prepared: Prepared[] = [];
    const ids: string[] | undefined = idAt >= 0 ? [] : undefined;
    const collect = (c: PreparedChunk) => {
      for (const p of c.prepared) prepared.push(p);
      if (ids && c.ids) for (const id of c.ids) ids.push(id);
    };
    let line = 1;
    if (csv) {
      const header = firstBoundary(carry) || carry.length;
      line += countLines(carry, header);
      carry = carry.subarray(header);
    }
    const send = async (part: Uint8Array) => {
      if (part.length === 0) return;
      const own = new Uint8Array(part.length);
      own.set(part);
      const startLine = line;
      line += countLines(part, part.length);
      inFlight.push((pool as PreparePool).submit(own, startLine));
      while (inFlight.length > 6) collect(await (inFlight.shift() as Promise<PreparedChunk>));
      options.onProgress?.(Math.min(position, size), size, prepared.length);
    };
    try {
      for (;;) {
        const end = eof ? carry.length : lastBoundary(carry, csv);
        if (end > 0) {
          await send(carry.subarray(0, end));
          carry = carry.subarray(end);
        }
        if (eof) break;
        const more = await readMore();
        if (!more) eof = true;
        else carry = concat(carry, more);
      }
      for (const c of inFlight) collect(await c);
    } catch (e) {
      fail(e);
    }
    options.onProgress?.(size, size, prepared.length);
    return { ids, prepared, headers, mapping, guessed: resolved.guessed, idHeader: idAt >= 0 ? (headers[idAt] as string) : 'record' };
  } finally {
    await pool?.close();
    await file.close();
  }
}

async function writeRows(path: string, header: string[], rows: (emit: (row: unknown[]) => Promise<void>) => Promise<void>): Promise<void> {
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.on('error', (e) => reject(new AppError('DEDUPE_INPUT_INVALID', `cannot write ${path}: ${e.message}`))));
  failed.catch(() => {});
  let buffer: unknown[][] = [header];
  const drain = async () => {
    if (!out.write(stringify(buffer))) await Promise.race([once(out, 'drain'), failed]);
    buffer = [];
  };
  await rows(async (row) => {
    buffer.push(row);
    if (buffer.length >= 8192) await drain();
  });
  if (buffer.length > 0) await drain();
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}

/** `<id>,cluster_id,cluster_size`: the cluster is named by the id of its first record. */
export async function writeClusters(path: string, file: Pick<PeopleFile, 'ids' | 'idHeader'>, result: Pick<DedupeResult, 'clusterOf'>): Promise<void> {
  const n = result.clusterOf.length;
  const sizes = new Uint32Array(n);
  for (const c of result.clusterOf) sizes[c] = (sizes[c] as number) + 1;
  await writeRows(path, [file.idHeader, 'cluster_id', 'cluster_size'], async (emit) => {
    for (let i = 0; i < n; i++) {
      const c = result.clusterOf[i] as number;
      await emit([idOf(file, i), idOf(file, c), sizes[c]]);
    }
  });
}

/** Pairs at or above review: ids, probability, evidence in bits, decision, and the evidence a person reads. */
export async function writePairs(
  path: string,
  file: Pick<PeopleFile, 'ids' | 'prepared' | 'idHeader'>,
  result: Pick<DedupeResult, 'pairs' | 'clusterOf'>,
  model: MatchModel,
  thresholds: { merge: number; review: number },
): Promise<number> {
  const pairs = result.pairs;
  if (!pairs) return 0;
  const order = Array.from(pairs.left.keys()).sort((x, y) => (pairs.weight[y] as number) - (pairs.weight[x] as number) || (pairs.left[x] as number) - (pairs.left[y] as number) || (pairs.right[x] as number) - (pairs.right[y] as number));
  const seen = new Set<number>();
  let written = 0;
  await writeRows(path, [`${file.idHeader}_a`, `${file.idHeader}_b`, 'probability', 'weight', 'decision', 'same_cluster', 'evidence'], async (emit) => {
    for (const k of order) {
      const i = pairs.left[k] as number;
      const j = pairs.right[k] as number;
      const key = i * 4294967296 + j;
      if (seen.has(key)) continue;
      seen.add(key);
      const score = scorePair(file.prepared[i] as Prepared, file.prepared[j] as Prepared, model);
      const decision = decidePair(score, thresholds);
      const evidence = explain(score) + (score.conflict ? `; held for review: ${score.conflict}` : '');
      written++;
      await emit([idOf(file, i), idOf(file, j), score.probability.toFixed(6), score.weight.toFixed(2), decision, result.clusterOf[i] === result.clusterOf[j] ? 'yes' : 'no', evidence]);
    }
  });
  return written;
}
