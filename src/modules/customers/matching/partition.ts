/**
 * One partition of the external dedupe (dedupe-file.ts): the records that have a blocking
 * key whose hash falls in this partition, read from their encoded blocks (codec.ts). The
 * blocks of those keys are whole here, so they are compared here; a record's other keys
 * (in other partitions) are known by hash, so that a pair sharing several keys is still
 * compared once, under the first key whose block was compared in full (pairs.ts). Records
 * arrive in file order, so a partition's record numbers keep the file's order and the
 * result does not depend on how many partitions there are. Pure: no I/O.
 */
import { blocksOf, TEXT_WORDS, partitionOf, type Block } from './codec.js';
import { addOversize, PairScorer, walkBlocks } from './pairs.js';
import type { MatchModel } from './model.js';
import type { Prepared } from './prepare.js';

/** Local record numbers are packed with a 32-bit key hash into a double: at most 2^21 per partition. */
const MAX_LOCAL_BITS = 21;

export interface PartitionRecords {
  /** Records here. */
  count: number;
  /** Per record: its ordinal in the file. */
  ordinal: Uint32Array;
  keyStart: Uint32Array;
  keyHash: Uint32Array;
  /** Sorted entries of the keys that belong to this partition: hash × scale + record. */
  entries: Float64Array;
  scale: number;
  /** The record (decoded on first use; kept while the partition is worked on). */
  record(i: number): Prepared;
  /** The record's id (from the id column). */
  id(i: number): string;
}

/** Arrays reused from one partition to the next (fewer, steadier allocations). */
export class PartitionScratch {
  private readonly u32 = new Map<string, Uint32Array>();
  private f64 = new Float64Array(0);
  uint32(name: string, length: number): Uint32Array {
    let a = this.u32.get(name);
    if (!a || a.length < length) this.u32.set(name, (a = new Uint32Array(Math.ceil(length * 1.25))));
    return a.subarray(0, length);
  }
  float64(length: number): Float64Array {
    if (this.f64.length < length) this.f64 = new Float64Array(Math.ceil(length * 1.25));
    return this.f64.subarray(0, length);
  }
}

/** Read the records of partition `q` of `partitions` from its blocks. */
export function readPartition(bytes: Uint8Array, q: number, partitions: number, scratch = new PartitionScratch()): PartitionRecords {
  const blocks = [...blocksOf(bytes)];
  let count = 0;
  let words = 0;
  for (const b of blocks) {
    count += b.records;
    words += b.words.length;
  }
  const bits = Math.max(1, Math.ceil(Math.log2(count + 1)));
  if (bits > MAX_LOCAL_BITS) throw new RangeError(`a dedupe partition holds ${count} records, more than ${2 ** MAX_LOCAL_BITS - 1}: use more partitions`);
  const scale = 2 ** bits;
  // Keys take fewer words than their blocks: words bound them.
  const ordinal = scratch.uint32('ordinal', count);
  const blockOf = scratch.uint32('blockOf', count);
  const textAt = scratch.uint32('textAt', count);
  const keyStart = scratch.uint32('keyStart', count + 1);
  const keyHash = scratch.uint32('keyHash', words);
  const entries = scratch.float64(words);
  let i = 0;
  let keys = 0;
  let own = 0;
  blocks.forEach((b, bi) => {
    const w = b.words;
    let at = 0;
    for (let r = 0; r < b.records; r++) {
      ordinal[i] = b.base + (w[at] as number);
      const n = w[at + 1] as number;
      keyStart[i] = keys;
      for (let k = 0; k < n; k++) {
        const h = w[at + 2 + k] as number;
        keyHash[keys++] = h;
        if (partitionOf(h, partitions) === q) entries[own++] = h * scale + i;
      }
      blockOf[i] = bi;
      textAt[i] = at + 2 + n;
      at += 2 + n + TEXT_WORDS;
      i++;
    }
  });
  keyStart[count] = keys;
  const sorted = entries.subarray(0, own).sort();
  const decoded: (Prepared | undefined)[] = new Array<Prepared | undefined>(count);
  return {
    count,
    ordinal,
    keyStart,
    keyHash: keyHash.subarray(0, keys),
    entries: sorted,
    scale,
    record: (x) => (decoded[x] ??= (blocks[blockOf[x] as number] as Block).record(textAt[x] as number)),
    id: (x) => (blocks[blockOf[x] as number] as Block).id(textAt[x] as number),
  };
}

/** Add the hashes of this partition's keys whose blocks exceed maxBlock. */
export function partitionOversize(part: PartitionRecords, maxBlock: number, into: Set<number>): void {
  addOversize(part.entries, part.scale, maxBlock, into);
}

/** Score the blocked pairs of a partition; pairs are numbered by local record (see part.ordinal). */
export function scorePartition(
  part: PartitionRecords,
  oversize: Set<number>,
  model: MatchModel,
  options: { thresholds: { merge: number; review: number }; maxBlock: number; window: number; keepPairs: boolean },
): PairScorer {
  const scorer = new PairScorer(model, options.thresholds, options.keepPairs);
  walkBlocks(
    { entries: part.entries, scale: part.scale, keyStart: part.keyStart, keyHash: part.keyHash, oversize },
    part.record,
    (i, j) => scorer.score(part.record(i), part.record(j), i, j),
    options,
  );
  return scorer;
}
