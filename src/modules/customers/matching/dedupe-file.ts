/**
 * `emptychair dedupe` on a file of any size, in memory that does not grow with it (the I/O
 * side of matching/, with prepare-pool.ts and spill.ts). The pipeline:
 * 1. read: the file in chunks of whole records; worker threads parse, prepare and encode
 *    them (codec.ts), each record once in file order (for the ids and the training sample)
 *    and once per partition its blocking keys hash to; all of it goes to temporary files.
 *    A reservoir keeps a bounded uniform sample of prepared records for training;
 * 2. train: the model by EM on that sample (em.ts), unless one is given;
 * 3. block: per partition, the blocks larger than maxBlock (compared by sorted neighbourhood);
 * 4. compare: per partition, block, score, and write the merge pairs as a sorted run, the
 *    conflicting pairs, and (for --pairs) the listed pairs with their evidence;
 * 5. cluster: the merge runs merged strongest first into a guarded union–find over record
 *    numbers (cluster.ts);
 * 6. write: the clusters, reading the records' ids back in file order, and the pairs.
 * What grows with the file is a few 32-bit integers per record, and only from clustering
 * on (the union–find, the lists of records with conflicts and their offsets: 16 bytes a
 * record; then the union–find, each cluster's first record and its members still to
 * write: 12), plus the conflicting pairs themselves (8 bytes each). Otherwise memory holds
 * the workers, a bounded training sample, and one partition at a time; the number of
 * partitions grows with the file.
 */
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { AppError } from '../../../platform/errors.js';
import { readableFileSize } from '../../../platform/files.js';
import { seededRandom } from '../../../platform/random.js';
import { objectLine, type ChunkSpec } from './chunk.js';
import { ALL_ENTRY_WORDS, Block, LENGTH_WORDS, PERSON_KEYS, recordOf, setBase, type EncodedChunk, type PersonKey } from './codec.js';
import { GuardedUnion, type CannotLinks } from './cluster.js';
import type { DedupePhase } from './dedupe.js';
import { trainModel, type TrainResult } from './em.js';
import { resolveFields, type FieldMapping } from './field-mapping.js';
import { DEFAULT_MODEL, DEFAULT_THRESHOLDS, type MatchModel } from './model.js';
import { PartitionScratch, partitionOversize, readPartition, scorePartition } from './partition.js';
import { createPreparePool, type PreparePool } from './prepare-pool.js';
import type { PrepareOptions } from './prepare.js';
import { decidePair, explain, scorePair } from './score.js';
import { FileReader, FileWriter, mergeRuns, readBlocks, readRecords, RunWriter, WorkDir } from './spill.js';

export const DEDUPE_FORMATS = ['csv', 'jsonl'] as const;
export type DedupeFormat = (typeof DEDUPE_FORMATS)[number];

export type DedupeFilePhase = 'read' | DedupePhase | 'write';

export interface DedupeFileOptions extends PrepareOptions {
  format?: DedupeFormat;
  mapping?: FieldMapping;
  /** The column holding each record's id; the record number (1 = first record) otherwise. */
  idColumn?: string;
  delimiter?: string;
  /** Worker threads reading and preparing records (default: one per core; 0 = inline). */
  workers?: number;
  /** Use this model; without one, the model is trained on a sample of the records (fewer than minTrainRecords: DEFAULT_MODEL). */
  model?: MatchModel;
  /** Seed for the training sample and for training (default 1). */
  seed?: number;
  thresholds?: { merge: number; review: number };
  /** Blocks up to this size are compared in full (default 16); larger ones by sorted neighbourhood with `window` (default 4). */
  maxBlock?: number;
  window?: number;
  /** Largest cluster allowed (default 50). */
  maxClusterSize?: number;
  /** Fewer records than this are scored with DEFAULT_MODEL (default 1000). */
  minTrainRecords?: number;
  /** Records the model is trained on at most: a uniform sample (default 100 000). */
  trainSample?: number;
  /** Memory for one partition's work, in MB (default 64): sets the number of partitions from the file's size. */
  memoryMb?: number;
  /** Hash partitions of the blocking keys (default: from memoryMb); the result does not depend on it. */
  partitions?: number;
  /** Where the temporary files go (default: os.tmpdir()); removed when the run ends. */
  tempDir?: string;
  /** Write `<id>,cluster_id,cluster_size` per record here. */
  output?: string;
  /** Write the pairs at or above the review threshold, with their evidence, here. */
  pairs?: string;
  onMapping?: (mapping: Record<string, string>, guessed: string[]) => void;
  /** Progress of each phase: read in bytes, block and compare in partitions, cluster in merge pairs, write in records. */
  onProgress?: (phase: DedupeFilePhase, done: number, total: number) => void;
}

export interface DedupeFileResult {
  records: number;
  clusters: number;
  comparisons: number;
  merges: number;
  reviews: number;
  refused: { conflict: number; size: number };
  model: MatchModel;
  training?: TrainResult;
  /** Records the model was trained on (a sample of the file). */
  trainedOn: number;
  partitions: number;
  /** Bytes of temporary files at their largest. */
  tempBytes: number;
  /** Pairs written to `pairs`. */
  pairsWritten: number;
  blocks: { keys: number; oversize: number };
  mapping: Record<string, string>;
  guessed: string[];
  /** Seconds per phase. */
  seconds: Record<DedupeFilePhase, number>;
}

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


/** Bytes of temporary files per byte of input, about (measured on the benchmark's CSV: 7.3). */
const SPILL_PER_INPUT_BYTE = 8;
/**
 * Memory per byte of a partition on disk while it is worked on: its bytes, its decoded
 * records, and the garbage V8 lets pile up (about four times the live heap) before it collects.
 */
const MEMORY_PER_PARTITION_BYTE = 8;

/** Partitions for a file of `bytes` so that one partition's work fits in `memoryMb`. */
export function partitionsFor(bytes: number, memoryMb = 64): number {
  const perPartition = (memoryMb * 1024 * 1024) / MEMORY_PER_PARTITION_BYTE;
  return Math.min(1000, Math.max(1, Math.ceil((bytes * SPILL_PER_INPUT_BYTE) / perPartition)));
}

interface Input {
  spec: ChunkSpec;
  mapping: Record<string, string>;
  guessed: string[];
  idHeader: string;
  hasIds: boolean;
}

/**
 * Read the file in chunks of whole records, prepared and encoded on worker threads;
 * `onChunk` gets them in file order.
 */
async function readChunks(path: string, options: DedupeFileOptions, partitions: number, useChunk: (chunk: EncodedChunk) => void): Promise<Input> {
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
    pool = createPreparePool(spec, { defaultCountry: options.defaultCountry, dateOrder: options.dateOrder }, partitions, options.workers);
    // Chunks in flight: enough to keep every worker busy, few enough to bound the memory they hold.
    const maxInFlight = Math.max(2, pool.workers * 2);
    const inFlight: Promise<EncodedChunk>[] = [];
    const onChunk = (chunk: EncodedChunk) => {
      useChunk(chunk);
      (pool as PreparePool).release(chunk);
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
      while (inFlight.length >= maxInFlight) onChunk(await (inFlight.shift() as Promise<EncodedChunk>));
      options.onProgress?.('read', Math.min(position, size), size);
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
      while (inFlight.length > 0) onChunk(await (inFlight.shift() as Promise<EncodedChunk>));
    } catch (e) {
      fail(e);
    }
    options.onProgress?.('read', size, size);
    return { spec, mapping, guessed: resolved.guessed, idHeader: idAt >= 0 ? (headers[idAt] as string) : 'record', hasIds: idAt >= 0 };
  } finally {
    await pool?.close();
    await file.close();
  }
}

const now = () => performance.now() / 1000;
/** Let signals (Ctrl-C) and progress output through between pieces of synchronous work. */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Dedupe the people of a file (CSV or JSONL), writing the clusters and the pairs asked for. */
export async function dedupeFile(path: string, options: DedupeFileOptions = {}): Promise<DedupeFileResult> {
  const size = readableFileSize(path, 'DEDUPE_INPUT_INVALID');
  const partitions = options.partitions ?? partitionsFor(size, options.memoryMb);
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError('partitions must be a positive whole number');
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const maxBlock = options.maxBlock ?? 16;
  const window = options.window ?? 4;
  const seed = options.seed ?? 1;
  const progress = options.onProgress ?? (() => {});
  const seconds: Record<DedupeFilePhase, number> = { read: 0, train: 0, block: 0, compare: 0, cluster: 0, write: 0 };
  const work = new WorkDir(options.tempDir);
  let tempBytes: number;
  try {
    // 1. Read: records in file order to one file, and each partition's records to its own.
    let t = now();
    const recordsFile = new FileWriter(work.file('records.bin'));
    const partFiles = Array.from({ length: partitions }, (_, q) => new FileWriter(work.file(`part-${q}.bin`), 1 << 16));
    const sampleSize = options.model ? 0 : (options.trainSample ?? 100_000);
    // The sample as each record's own text and field lengths: a fraction of the memory of prepared records.
    const sampleText: string[] = [];
    const sampleLengths = new Uint32Array(sampleSize * LENGTH_WORDS);
    const reservoir = seededRandom(seed ^ 0x5a17e);
    let n = 0;
    let input: Input;
    try {
      input = await readChunks(path, options, partitions, (chunk) => {
        const base = n;
        const { bytes, offsets } = chunk;
        for (let q = 0; q <= partitions; q++) {
          const start = offsets[q] as number;
          const end = offsets[q + 1] as number;
          if (end === start) continue;
          setBase(bytes, start, base);
          const block = bytes.subarray(start, end);
          if (q === 0) recordsFile.write(block);
          else (partFiles[q - 1] as FileWriter).write(block);
        }
        if (sampleSize > 0) {
          // Algorithm R: record i replaces a random member with probability sampleSize / (i + 1).
          let all: Block | undefined;
          for (let k = 0; k < chunk.records; k++) {
            const i = base + k;
            const slot = i < sampleSize ? i : Math.floor(reservoir.next() * (i + 1));
            if (slot >= sampleSize) continue;
            all ??= new Block(bytes, offsets[0] as number);
            const own = all.ownText(k);
            sampleText[slot] = own.text;
            sampleLengths.set(own.lengths, slot * LENGTH_WORDS);
          }
        }
        n += chunk.records;
      });
    } finally {
      recordsFile.close();
      for (const f of partFiles) f.close();
    }
    if (n > 2 ** 31 - 1) throw new RangeError('dedupe handles at most 2^31 − 1 records');
    tempBytes = recordsFile.position + partFiles.reduce((s, f) => s + f.position, 0);
    seconds.read = now() - t;

    // 2. Train on the sample.
    t = now();
    let model = options.model;
    let training: TrainResult | undefined;
    if (!model) {
      if (n >= (options.minTrainRecords ?? 1000)) {
        progress('train', 0, 1);
        const sample = sampleText.map((text, slot) => recordOf(text, 0, sampleLengths, slot * LENGTH_WORDS));
        training = trainModel(sample, { random: seededRandom(seed) });
        model = training.model;
        progress('train', 1, 1);
      } else model = DEFAULT_MODEL;
    }
    const trainedOn = training ? sampleText.length : 0;
    sampleText.length = 0;
    seconds.train = now() - t;

    // 3. Block: the oversize blocks, from each partition's own keys.
    t = now();
    const oversize = new Set<number>();
    let keys = 0;
    const scratch = new PartitionScratch();
    const reader = new FileReader();
    for (let q = 0; q < partitions; q++) {
      const part = readPartition(reader.read(work.file(`part-${q}.bin`)), q, partitions, scratch);
      partitionOversize(part, maxBlock, oversize);
      keys += part.entries.length;
      progress('block', q + 1, partitions);
      await yieldToEvents();
    }
    seconds.block = now() - t;

    // 4. Compare, one partition at a time.
    t = now();
    const merges = new RunWriter(work.file('merges.bin'));
    const cannot = new FileWriter(work.file('cannot.bin'));
    const listed = options.pairs ? new RunWriter(work.file('pairs.bin')) : undefined;
    let comparisons = 0;
    let reviews = 0;
    let cannotCount = 0;
    try {
      // One partition's work in a function of its own, so that nothing of it outlives it.
      const comparePartition = (q: number, model: MatchModel) => {
        const part = readPartition(reader.read(work.file(`part-${q}.bin`)), q, partitions, scratch);
        const s = scorePartition(part, oversize, model, { thresholds, maxBlock, window, keepPairs: listed !== undefined });
        comparisons += s.comparisons;
        reviews += s.reviews;
        const ord = part.ordinal;
        const m = s.merges;
        // Local numbers keep the file's order, so sorting by them sorts by ordinal.
        const order = Array.from({ length: m.length }, (_, k) => k).sort((x, y) => m.weight(y) - m.weight(x) || m.left(x) - m.left(y) || m.right(x) - m.right(y));
        merges.run(order.length, (k) => {
          const x = order[k] as number;
          return { weight: m.weight(x), left: ord[m.left(x)] as number, right: ord[m.right(x)] as number };
        });
        const c = s.cannotLink;
        if (c.length > 0) {
          const pairs = new Uint32Array(c.length * 2);
          for (let k = 0; k < c.length; k++) {
            pairs[2 * k] = ord[c.left(k)] as number;
            pairs[2 * k + 1] = ord[c.right(k)] as number;
          }
          cannot.write(new Uint8Array(pairs.buffer));
          cannotCount += c.length;
        }
        const kept = s.kept;
        if (listed && kept) {
          const keptOrder = Array.from({ length: kept.length }, (_, k) => k).sort(
            (x, y) => kept.weight(y) - kept.weight(x) || kept.left(x) - kept.left(y) || kept.right(x) - kept.right(y),
          );
          const idOf = (x: number) => (input.hasIds ? part.id(x) : String((ord[x] as number) + 1));
          listed.run(keptOrder.length, (k) => {
            const x = keptOrder[k] as number;
            const i = kept.left(x);
            const j = kept.right(x);
            const score = scorePair(part.record(i), part.record(j), model);
            const evidence = explain(score) + (score.conflict ? `; held for review: ${score.conflict}` : '');
            const row = [idOf(i), idOf(j), score.probability.toFixed(6), score.weight.toFixed(2), decidePair(score, thresholds), evidence];
            return { weight: kept.weight(x), left: ord[i] as number, right: ord[j] as number, payload: JSON.stringify(row) };
          });
        }
      };
      for (let q = 0; q < partitions; q++) {
        comparePartition(q, model);
        progress('compare', q + 1, partitions);
        await yieldToEvents();
      }
    } finally {
      merges.close();
      cannot.close();
      listed?.close();
    }
    tempBytes += statSync(work.file('merges.bin')).size + cannotCount * 8 + (listed ? statSync(work.file('pairs.bin')).size : 0);
    seconds.compare = now() - t;

    // 5. Cluster: merges strongest first, guarded by the conflicting pairs.
    t = now();
    const union = new GuardedUnion(n, readCannotLinks(work.file('cannot.bin'), n), options.maxClusterSize ?? 50);
    let applied = 0;
    for (const r of mergeRuns(work.file('merges.bin'), merges.runs)) {
      union.join(r.left, r.right);
      if (++applied % 65536 === 0) {
        progress('cluster', applied, merges.count);
        await yieldToEvents();
      }
    }
    progress('cluster', merges.count, merges.count);
    const { firstOf, clusters } = union.firstRecords();
    seconds.cluster = now() - t;

    // 6. Write.
    t = now();
    if (options.output) writeClusters(options.output, work.file('records.bin'), n, input.idHeader, input.hasIds, union, firstOf, (done) => progress('write', done, n));
    let pairsWritten = 0;
    if (options.pairs && listed) pairsWritten = writePairs(options.pairs, work.file('pairs.bin'), listed.runs, input.idHeader, union);
    seconds.write = now() - t;

    const result: DedupeFileResult = {
      records: n,
      clusters,
      comparisons,
      merges: merges.count,
      reviews,
      refused: union.refused,
      model,
      trainedOn,
      partitions,
      tempBytes,
      pairsWritten,
      blocks: { keys, oversize: oversize.size },
      mapping: input.mapping,
      guessed: input.guessed,
      seconds,
    };
    if (training) result.training = training;
    return result;
  } finally {
    work.remove();
  }
}

/** The conflicting pairs of a file of (left, right) u32 pairs, as partners per record. */
function readCannotLinks(path: string, n: number): CannotLinks {
  const offsets = new Int32Array(n + 1);
  for (const piece of readRecords(path, 8)) {
    const pairs = new Uint32Array(piece.buffer, piece.byteOffset, piece.length / 4);
    for (let k = 0; k < pairs.length; k++) {
      const x = (pairs[k] as number) + 1;
      offsets[x] = (offsets[x] as number) + 1;
    }
  }
  for (let x = 0; x < n; x++) offsets[x + 1] = (offsets[x + 1] as number) + (offsets[x] as number);
  const partners = new Int32Array(offsets[n] as number);
  const fill = offsets.slice(0, n);
  for (const piece of readRecords(path, 8)) {
    const pairs = new Uint32Array(piece.buffer, piece.byteOffset, piece.length / 4);
    for (let k = 0; k < pairs.length; k += 2) {
      const a = pairs[k] as number;
      const b = pairs[k + 1] as number;
      partners[fill[a] as number] = b;
      fill[a] = (fill[a] as number) + 1;
      partners[fill[b] as number] = a;
      fill[b] = (fill[b] as number) + 1;
    }
  }
  return { offsets, partners };
}

/** A CSV cell as csv-stringify writes it: quoted when it holds a comma, a quote or a line break. */
const cell = (v: string | number): string => {
  const t = String(v);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};

/** Write CSV rows to `path` through a buffer (synchronous writes: no promise or array per row). */
class CsvFile {
  private readonly out: FileWriter;
  private text = '';
  private readonly encoder = new TextEncoder();
  constructor(readonly path: string, header: string[]) {
    try {
      this.out = new FileWriter(path);
    } catch (e) {
      throw new AppError('DEDUPE_INPUT_INVALID', `cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.row(header);
  }
  row(cells: (string | number)[]): void {
    this.text += cells.map(cell).join(',') + '\n';
    if (this.text.length >= 1 << 16) this.flush();
  }
  private flush(): void {
    this.out.write(this.encoder.encode(this.text));
    this.text = '';
  }
  close(): void {
    this.flush();
    this.out.close();
  }
}

/** `<id>,cluster_id,cluster_size`: the cluster is named by the id of its first record. */
function writeClusters(
  path: string,
  recordsPath: string,
  n: number,
  idHeader: string,
  hasIds: boolean,
  union: GuardedUnion,
  firstOf: Int32Array,
  onProgress: (done: number) => void,
): void {
  // The ids of first records of clusters with members yet to come, and per root how many are to come.
  const pending = new Map<number, string>();
  const toCome = new Int32Array(n);
  let i = 0;
  const out = new CsvFile(path, [idHeader, 'cluster_id', 'cluster_size']);
  try {
    for (const bytes of readBlocks(recordsPath)) {
      const block = new Block(bytes, 0);
      for (let k = 0; k < block.records; k++, i++) {
        const id = hasIds ? block.id(k * ALL_ENTRY_WORDS) : String(i + 1);
        const root = union.find(i);
        const first = firstOf[root] as number;
        const size = union.sizeOf(root);
        let clusterId = id;
        if (first === i) {
          if (size > 1) {
            pending.set(i, id);
            toCome[root] = size - 1;
          }
        } else {
          clusterId = pending.get(first) as string;
          toCome[root] = (toCome[root] as number) - 1;
          if (toCome[root] === 0) pending.delete(first);
        }
        out.row([id, clusterId, size]);
      }
      onProgress(i);
    }
  } finally {
    out.close();
  }
  if (i !== n) throw new Error(`wrote ${i} of ${n} records`);
}

/** Pairs at or above review, strongest first: ids, probability, evidence in bits, decision, same cluster, and the evidence a person reads. */
function writePairs(path: string, pairsPath: string, runs: readonly [number, number][], idHeader: string, union: GuardedUnion): number {
  let written = 0;
  let lastLeft = -1;
  let lastRight = -1;
  const out = new CsvFile(path, [`${idHeader}_a`, `${idHeader}_b`, 'probability', 'weight', 'decision', 'same_cluster', 'evidence']);
  try {
    for (const r of mergeRuns(pairsPath, runs)) {
      // A pair whose two records share two keys with one hash comes twice, side by side.
      if (r.left === lastLeft && r.right === lastRight) continue;
      lastLeft = r.left;
      lastRight = r.right;
      const [a, b, probability, weight, decision, evidence] = JSON.parse(r.payload as string) as string[];
      written++;
      out.row([a as string, b as string, probability as string, weight as string, decision as string, union.find(r.left) === union.find(r.right) ? 'yes' : 'no', evidence as string]);
    }
  } finally {
    out.close();
  }
  return written;
}
