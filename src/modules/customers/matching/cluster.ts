/**
 * Clusters from scored pairs, guarded against over-merging: only pairs at or above the
 * merge threshold join records, strongest first; two clusters never join when any pair
 * across them was compared and found in conflict (different first names or dates of
 * birth: a household sharing an e-mail, say), nor when the joined cluster would exceed
 * a size cap. So one weak or shared link cannot chain two people together. Pure: no I/O.
 */

export interface ClusterOptions {
  /** Largest cluster allowed (default 50). */
  maxClusterSize?: number;
}

/** Merge edges and cannot-link pairs, collected while pairs are scored. */
export class PairSink {
  private a = new Uint32Array(1024);
  private b = new Uint32Array(1024);
  private w = new Float64Array(1024);
  length = 0;
  push(i: number, j: number, weight: number): void {
    if (this.length === this.a.length) {
      const grow = <T extends Uint32Array | Float64Array>(x: T): T => {
        const y = new (x.constructor as new (n: number) => T)(x.length * 2);
        y.set(x);
        return y;
      };
      this.a = grow(this.a);
      this.b = grow(this.b);
      this.w = grow(this.w);
    }
    this.a[this.length] = i;
    this.b[this.length] = j;
    this.w[this.length] = weight;
    this.length++;
  }
  left(k: number): number {
    return this.a[k] as number;
  }
  right(k: number): number {
    return this.b[k] as number;
  }
  weight(k: number): number {
    return this.w[k] as number;
  }
}

export interface Clustering {
  /** Per record, the index of its cluster's first record. */
  clusterOf: Uint32Array;
  clusters: number;
  /** Merge pairs refused by the guards. */
  refused: { conflict: number; size: number };
}

/**
 * Cluster `n` records from `merges` (pairs to merge, any order) and `cannotLink` (pairs
 * found in conflict). Deterministic: merges are applied by weight, then by index.
 */
export function cluster(n: number, merges: PairSink, cannotLink: PairSink, options: ClusterOptions = {}): Clustering {
  const maxSize = options.maxClusterSize ?? 50;
  const parent = new Uint32Array(n);
  const size = new Uint32Array(n).fill(1);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[x] !== r) {
      const next = parent[x] as number;
      parent[x] = r;
      x = next;
    }
    return r;
  };
  // Cannot-link partners per record, only for records that have any.
  const partners = new Map<number, number[]>();
  const link = (x: number, y: number) => {
    let list = partners.get(x);
    if (!list) partners.set(x, (list = []));
    list.push(y);
  };
  for (let k = 0; k < cannotLink.length; k++) {
    link(cannotLink.left(k), cannotLink.right(k));
    link(cannotLink.right(k), cannotLink.left(k));
  }
  // Members with partners, per root, so a join checks only those.
  const guarded = new Map<number, number[]>();
  for (const x of partners.keys()) guarded.set(x, [x]);

  const order = Array.from({ length: merges.length }, (_, k) => k);
  order.sort((x, y) => merges.weight(y) - merges.weight(x) || merges.left(x) - merges.left(y) || merges.right(x) - merges.right(y));
  const refused = { conflict: 0, size: 0 };
  for (const k of order) {
    let ra = find(merges.left(k));
    let rb = find(merges.right(k));
    if (ra === rb) continue;
    if ((size[ra] as number) + (size[rb] as number) > maxSize) {
      refused.size++;
      continue;
    }
    const ga = guarded.get(ra);
    const gb = guarded.get(rb);
    if (ga && gb) {
      const [small, otherRoot] = ga.length <= gb.length ? [ga, rb] : [gb, ra];
      let conflict = false;
      for (const x of small) {
        for (const y of partners.get(x) as number[]) {
          if (find(y) === otherRoot) {
            conflict = true;
            break;
          }
        }
        if (conflict) break;
      }
      if (conflict) {
        refused.conflict++;
        continue;
      }
    }
    if ((size[ra] as number) < (size[rb] as number)) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    size[ra] = (size[ra] as number) + (size[rb] as number);
    if (gb) {
      if (ga) for (const x of gb) ga.push(x);
      else guarded.set(ra, gb);
      guarded.delete(rb);
    }
  }
  // Name each cluster by its first record.
  const firstOf = new Uint32Array(n).fill(0xffffffff);
  const clusterOf = new Uint32Array(n);
  let clusters = 0;
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (firstOf[r] === 0xffffffff) {
      firstOf[r] = i;
      clusters++;
    }
    clusterOf[i] = firstOf[r] as number;
  }
  return { clusterOf, clusters, refused };
}
