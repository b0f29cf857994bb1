/**
 * Blocked pairs, walked and scored: shared by the in-memory engine (dedupe.ts) and the
 * partitioned one (partition.ts). Records are filed under the hashes of their blocking keys
 * (entries sorted by key hash, then record); each block up to `maxBlock` is compared in
 * full, a larger one by sorted neighbourhood (members sorted by date of birth and name, each
 * compared with the next `window`). A pair sharing several keys is compared once, under the
 * first key (in rule order) whose block was compared in full. Pure: no I/O.
 */
import { PairSink } from './cluster.js';
import { compareInto, newVector } from './compare.js';
import { logit2, weightTable, type MatchModel } from './model.js';
import type { Prepared } from './prepare.js';
import { decide, hasConflict, vectorWeight } from './score.js';

export interface BlockIndex {
  /** Sorted entries: key hash × scale + record. */
  entries: Float64Array;
  scale: number;
  /** Per record, all its key hashes in rule order (the same resolution as the entries): keyHash[keyStart[i] … keyStart[i + 1]). */
  keyStart: Uint32Array;
  keyHash: Uint32Array;
  /** Key hashes whose blocks (anywhere) hold more than maxBlock entries. */
  oversize: Set<number>;
}

/** Add to `into` the key hashes of the blocks in `entries` larger than maxBlock. */
export function addOversize(entries: Float64Array, scale: number, maxBlock: number, into: Set<number>): void {
  const total = entries.length;
  let runStart = 0;
  for (let x = 1; x <= total; x++) {
    if (x < total && Math.floor((entries[x] as number) / scale) === Math.floor((entries[runStart] as number) / scale)) continue;
    if (x - runStart > maxBlock) into.add(Math.floor((entries[runStart] as number) / scale));
    runStart = x;
  }
}

/** Call `score(i, j)` once for each blocked pair of records to compare. */
export function walkBlocks(
  index: BlockIndex,
  record: (i: number) => Prepared,
  score: (i: number, j: number) => void,
  options: { maxBlock: number; window: number; onProgress?: (done: number, total: number) => void },
): void {
  const { entries, scale, keyStart, keyHash, oversize } = index;
  const { maxBlock, window } = options;
  const total = entries.length;
  const consider = (i: number, j: number, h: number) => {
    // Two keys of one record may collide on their hash.
    if (i === j) return;
    // Compare under the first key the two share (in rule order) whose block was compared in full.
    for (let a = keyStart[i] as number; a < (keyStart[i + 1] as number); a++) {
      const ka = keyHash[a] as number;
      let shared = false;
      for (let b = keyStart[j] as number; b < (keyStart[j + 1] as number); b++) {
        if (keyHash[b] === ka) {
          shared = true;
          break;
        }
      }
      if (!shared) continue;
      if (ka === h) break;
      if (!oversize.has(ka)) return;
    }
    score(i, j);
  };
  const sortKey = (i: number) => {
    const p = record(i);
    return `${p.dob ?? '~'}|${p.first ?? ''}|${p.last ?? ''}`;
  };
  let runStart = 0;
  let reported = 0;
  for (let x = 1; x <= total; x++) {
    const h = Math.floor((entries[runStart] as number) / scale);
    if (x < total && Math.floor((entries[x] as number) / scale) === h) continue;
    const size = x - runStart;
    if (size >= 2) {
      if (size <= maxBlock) {
        for (let a = runStart; a < x; a++) {
          const i = (entries[a] as number) % scale;
          for (let b = a + 1; b < x; b++) consider(i, (entries[b] as number) % scale, h);
        }
      } else {
        const members = Array.from(entries.subarray(runStart, x), (e) => e % scale);
        const keys = new Map(members.map((i) => [i, sortKey(i)]));
        members.sort((p, q) => ((keys.get(p) as string) < (keys.get(q) as string) ? -1 : (keys.get(p) as string) > (keys.get(q) as string) ? 1 : p - q));
        for (let a = 0; a < members.length; a++) {
          for (let b = a + 1; b <= a + window && b < members.length; b++) consider(members[a] as number, members[b] as number, h);
        }
      }
    }
    runStart = x;
    if (options.onProgress && x - reported >= 65536) {
      reported = x;
      options.onProgress(x, total);
    }
  }
  options.onProgress?.(total, total);
}

/** Scores pairs and collects what clustering and the pairs report need. */
export class PairScorer {
  readonly merges = new PairSink();
  readonly cannotLink = new PairSink();
  /** Pairs at or above review (when kept), smaller record first. */
  readonly kept: PairSink | undefined;
  comparisons = 0;
  reviews = 0;
  private readonly table: Float64Array[];
  private readonly priorLogit: number;
  private readonly v = newVector();
  constructor(
    model: MatchModel,
    private readonly thresholds: { merge: number; review: number },
    keep: boolean,
  ) {
    this.table = weightTable(model);
    this.priorLogit = logit2(model.prior);
    this.kept = keep ? new PairSink() : undefined;
  }
  /** Score records a and b, recorded under the numbers i and j. */
  score(a: Prepared, b: Prepared, i: number, j: number): void {
    const v = this.v;
    this.comparisons++;
    compareInto(a, b, v);
    const w = vectorWeight(v, this.table);
    const odds = this.priorLogit + w;
    const probability = odds > 60 ? 1 : odds < -60 ? 0 : 1 / (1 + 2 ** -odds);
    const conflict = hasConflict(v);
    const d = decide(probability, conflict, this.thresholds);
    if (d === 'merge') this.merges.push(i, j, w);
    else if (d === 'review') this.reviews++;
    if (conflict && odds > -10) this.cannotLink.push(i, j, w);
    if (this.kept && d !== 'apart') this.kept.push(i < j ? i : j, i < j ? j : i, w);
  }
}
