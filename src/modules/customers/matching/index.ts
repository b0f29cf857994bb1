/**
 * Probabilistic person matching (Fellegi–Sunter, m and u estimated by EM) and batch
 * dedupe: the public surface of customers/matching. Everything here is pure except
 * dedupe-file.ts (reading and writing files for `emptychair dedupe` and the bench).
 */
export type { PersonFields } from './types.js';
export { prepare, toFeatures, fromFeatures, type Prepared, type PrepareOptions } from './prepare.js';
export { blockingKeys, BLOCKING_RULES } from './blocking.js';
export { scorePair, decidePair, decide, explain, type PairScore, type FieldEvidence, type Decision } from './score.js';
export { ZMatchModel, DEFAULT_MODEL, DEFAULT_THRESHOLDS, COMPARISONS, type MatchModel, type ComparisonField } from './model.js';
export { trainModel, type TrainOptions, type TrainResult } from './em.js';
export { dedupe, type DedupeOptions, type DedupeResult, type DedupePhase } from './dedupe.js';
export { cluster, PairSink, type Clustering, type ClusterOptions } from './cluster.js';
export { synthetic, syntheticRecords, type SyntheticOptions, type SyntheticRecord } from './synthetic.js';
export { pairwiseQuality, type Quality } from './evaluate.js';
export { jaro, jaroWinkler, levenshtein } from './comparators.js';
export { nysiis } from './phonetic.js';
