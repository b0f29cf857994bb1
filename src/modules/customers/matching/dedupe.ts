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
import { cluster } from './cluster.js';
import { addOversize, PairScorer, walkBlocks } from './pairs.js';
import { trainModel, type TrainResult } from './em.js';
import { DEFAULT_MODEL, DEFAULT_THRESHOLDS, type MatchModel } from './model.js';
import type { Prepared } from './prepare.js';

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
  addOversize(entries, scale, maxBlock, oversize);
  seconds.block = now() - t;

  // Compare.
  t = now();
  const scorer = new PairScorer(model, thresholds, options.keepPairs ?? false);
  walkBlocks({ entries, scale, keyStart, keyHash, oversize }, (i) => records[i] as Prepared, (i, j) => scorer.score(records[i] as Prepared, records[j] as Prepared, i, j), {
    maxBlock,
    window,
    onProgress: (done, all) => progress('compare', done, all),
  });
  const { merges, cannotLink, kept, comparisons, reviews } = scorer;
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
