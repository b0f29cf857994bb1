/**
 * The batch engine: prepared records in, a cluster per record out. Blocks by every
 * record's keys (hashed, sorted once), scores each blocked pair once (a pair sharing
 * several keys is compared under the first), trains the model on the records unless one
 * is given, and clusters with the guards of cluster.ts. Blocks larger than `maxBlock`
 * (a very common name) are compared by sorted neighbourhood instead: members sorted by
 * date of birth and name, each compared with the next `window`. Pure: no I/O.
 */
import { seededRandom, type Random } from '../../../platform/random.js';
import { blockingKeys, hash32 } from './blocking.js';
import { cluster, PairSink } from './cluster.js';
import { compareInto, newVector } from './compare.js';
import { trainModel, type TrainResult } from './em.js';
import { DEFAULT_MODEL, DEFAULT_THRESHOLDS, logit2, weightTable, type MatchModel } from './model.js';
import type { Prepared } from './prepare.js';
import { decide, hasConflict, vectorWeight } from './score.js';

export type DedupePhase = 'train' | 'block' | 'compare' | 'cluster';

export interface DedupeOptions {
  /** Use this model; without one, the model is trained on the records (fewer than `minTrainRecords`: DEFAULT_MODEL). */
  model?: MatchModel;
  random?: Random;
  thresholds?: { merge: number; review: number };
  /** Blocks up to this size are compared in full (default 16). */
  maxBlock?: number;
  /** In larger blocks, each record is compared with the next `window` in sorted order (default 4). */
  window?: number;
  /** Largest cluster allowed (default 50). */
  maxClusterSize?: number;
  /** Fewer records than this are scored with DEFAULT_MODEL instead of training (default 1000). */
  minTrainRecords?: number;
  /** Keep the pairs at or above the review threshold (for a pairs report). */
  keepPairs?: boolean;
  onProgress?: (phase: DedupePhase, done: number, total: number) => void;
}

export interface DedupeResult {
  /** Per record, the index of the first record of its cluster. */
  clusterOf: Uint32Array;
  clusters: number;
  comparisons: number;
  /** Pairs at or above review (when keepPairs): record indices and weights; merged ones flagged. */
  pairs?: { left: Uint32Array; right: Uint32Array; weight: Float64Array; merged: Uint8Array };
  merges: number;
  reviews: number;
  refused: { conflict: number; size: number };
  model: MatchModel;
  training?: TrainResult;
  /** Seconds per phase. */
  seconds: Record<DedupePhase, number>;
  blocks: { keys: number; oversize: number };
}

const now = () => performance.now() / 1000;

export function dedupe(records: readonly Prepared[], options: DedupeOptions = {}): DedupeResult {
  const n = records.length;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const maxBlock = options.maxBlock ?? 16;
  const window = options.window ?? 4;
  const progress = options.onProgress ?? (() => {});
  const seconds: Record<DedupePhase, number> = { train: 0, block: 0, compare: 0, cluster: 0 };

  let t = now();
  let model = options.model;
  let training: TrainResult | undefined;
  if (!model) {
    if (n >= (options.minTrainRecords ?? 1000)) {
      progress('train', 0, 1);
      training = trainModel(records, { random: options.random ?? seededRandom(1) });
      model = training.model;
      progress('train', 1, 1);
    } else {
      model = DEFAULT_MODEL;
    }
  }
  seconds.train = now() - t;

  // Keys: per record, hashed, in rule order; and the sorted (hash, record) entries.
  t = now();
  const keyStart = new Uint32Array(n + 1);
  let keyHash = new Uint32Array(Math.max(16, n * 4));
  let total = 0;
  for (let i = 0; i < n; i++) {
    keyStart[i] = total;
    for (const key of blockingKeys(records[i] as Prepared)) {
      if (total === keyHash.length) {
        const grown = new Uint32Array(keyHash.length * 2);
        grown.set(keyHash);
        keyHash = grown;
      }
      keyHash[total++] = hash32(key);
    }
  }
  keyStart[n] = total;
  const bits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  if (bits > 26) throw new RangeError('dedupe handles at most 67 million records at once');
  const scale = 2 ** bits;
  const hashScale = 2 ** Math.min(32, 53 - bits);
  const toKey = (h: number) => Math.floor((h / 4294967296) * hashScale);
  const entries = new Float64Array(total);
  for (let i = 0; i < n; i++) for (let k = keyStart[i] as number; k < (keyStart[i + 1] as number); k++) entries[k] = toKey(keyHash[k] as number) * scale + i;
  entries.sort();
  // Reduce the per-record hashes to the same resolution as the entries, for the first-shared-key test.
  for (let k = 0; k < total; k++) keyHash[k] = toKey(keyHash[k] as number);
  const oversize = new Set<number>();
  let runStart = 0;
  for (let x = 1; x <= total; x++) {
    if (x < total && Math.floor((entries[x] as number) / scale) === Math.floor((entries[runStart] as number) / scale)) continue;
    if (x - runStart > maxBlock) oversize.add(Math.floor((entries[runStart] as number) / scale));
    runStart = x;
  }
  seconds.block = now() - t;

  // Compare.
  t = now();
  const table = weightTable(model);
  const priorLogit = logit2(model.prior);
  const v = newVector();
  const merges = new PairSink();
  const cannotLink = new PairSink();
  const kept = options.keepPairs ? new PairSink() : undefined;
  let comparisons = 0;
  let reviews = 0;
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
    comparisons++;
    compareInto(records[i] as Prepared, records[j] as Prepared, v);
    const w = vectorWeight(v, table);
    const odds = priorLogit + w;
    const probability = odds > 60 ? 1 : odds < -60 ? 0 : 1 / (1 + 2 ** -odds);
    const conflict = hasConflict(v);
    const d = decide(probability, conflict, thresholds);
    if (d === 'merge') merges.push(i, j, w);
    else if (d === 'review') reviews++;
    if (conflict && odds > -10) cannotLink.push(i, j, w);
    if (kept && d !== 'apart') kept.push(i < j ? i : j, i < j ? j : i, w);
  };
  const sortKey = (i: number) => {
    const p = records[i] as Prepared;
    return `${p.dob ?? '~'}|${p.first ?? ''}|${p.last ?? ''}`;
  };
  runStart = 0;
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
    if (x - reported >= 65536) {
      reported = x;
      progress('compare', x, total);
    }
  }
  progress('compare', total, total);
  seconds.compare = now() - t;

  t = now();
  const clustering = cluster(n, merges, cannotLink, { maxClusterSize: options.maxClusterSize });
  seconds.cluster = now() - t;

  const result: DedupeResult = {
    clusterOf: clustering.clusterOf,
    clusters: clustering.clusters,
    comparisons,
    merges: merges.length,
    reviews,
    refused: clustering.refused,
    model,
    seconds,
    blocks: { keys: total, oversize: oversize.size },
  };
  if (training) result.training = training;
  if (kept) {
    const left = new Uint32Array(kept.length);
    const right = new Uint32Array(kept.length);
    const weight = new Float64Array(kept.length);
    const merged = new Uint8Array(kept.length);
    for (let k = 0; k < kept.length; k++) {
      left[k] = kept.left(k);
      right[k] = kept.right(k);
      weight[k] = kept.weight(k);
      merged[k] = clustering.clusterOf[left[k] as number] === clustering.clusterOf[right[k] as number] ? 1 : 0;
    }
    result.pairs = { left, right, weight, merged };
  }
  return result;
}
