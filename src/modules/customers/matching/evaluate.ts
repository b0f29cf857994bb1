/**
 * Pairwise quality of a clustering against the truth: over all pairs of records, those
 * put together (predicted) and those of one person (true). Pure: no I/O.
 */
export interface Quality {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
}

/** `truth[i]` is record i's person, `clusterOf[i]` its cluster; any integer labels. */
export function pairwiseQuality(truth: ArrayLike<number>, clusterOf: ArrayLike<number>): Quality {
  const n = truth.length;
  const pairsOf = (counts: Map<number, number>) => {
    let s = 0;
    for (const c of counts.values()) s += (c * (c - 1)) / 2;
    return s;
  };
  const bump = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
  const byTruth = new Map<number, number>();
  const byCluster = new Map<number, number>();
  const byBoth = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const t = truth[i] as number;
    const c = clusterOf[i] as number;
    bump(byTruth, t);
    bump(byCluster, c);
    bump(byBoth, t * 4294967296 + c);
  }
  const truePairs = pairsOf(byTruth);
  const predictedPairs = pairsOf(byCluster);
  const correctPairs = pairsOf(byBoth);
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs, predictedPairs, correctPairs };
}
