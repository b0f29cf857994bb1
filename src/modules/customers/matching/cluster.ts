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

/** Cannot-link partners per record, compactly: record x's are partners[offsets[x] … offsets[x + 1]). */
export interface CannotLinks {
  offsets: Int32Array;
  partners: Int32Array;
}

/** Cannot-links from a sink of pairs. */
export function cannotLinksOf(n: number, pairs: PairSink): CannotLinks {
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < pairs.length; k++) {
    offsets[pairs.left(k) + 1] = (offsets[pairs.left(k) + 1] as number) + 1;
    offsets[pairs.right(k) + 1] = (offsets[pairs.right(k) + 1] as number) + 1;
  }
  for (let x = 0; x < n; x++) offsets[x + 1] = (offsets[x + 1] as number) + (offsets[x] as number);
  const partners = new Int32Array(offsets[n] as number);
  const fill = offsets.slice(0, n);
  for (let k = 0; k < pairs.length; k++) {
    const a = pairs.left(k);
    const b = pairs.right(k);
    partners[fill[a] as number] = b;
    fill[a] = (fill[a] as number) + 1;
    partners[fill[b] as number] = a;
    fill[b] = (fill[b] as number) + 1;
  }
  return { offsets, partners };
}

/**
 * Union–find over record numbers with the guards: join(a, b) merges the clusters of a
 * and b unless that would exceed the size cap or put two cannot-linked records together.
 * Apply merges strongest first. Typed arrays of n only: the parents (a root holds minus
 * its size), and per cluster a circular list of its members that have cannot-links (two
 * such lists join in one step), besides the cannot-links themselves.
 */
export class GuardedUnion {
  /** parent[x], or −size for a root. */
  private readonly parent: Int32Array;
  /** For a root, one member of its circular list of guarded members, or −1. */
  private guardOf: Int32Array;
  /** For a guarded member, the next in its cluster's circular list. */
  private guardNext: Int32Array;
  readonly refused = { conflict: 0, size: 0 };
  constructor(
    readonly n: number,
    private cannot: CannotLinks,
    private readonly maxSize = 50,
  ) {
    this.parent = new Int32Array(n).fill(-1);
    this.guardOf = new Int32Array(n).fill(-1);
    this.guardNext = new Int32Array(n);
    for (let x = 0; x < n; x++) {
      if ((cannot.offsets[x + 1] as number) > (cannot.offsets[x] as number)) {
        this.guardOf[x] = x;
        this.guardNext[x] = x;
      }
    }
  }
  find(x: number): number {
    const parent = this.parent;
    let r = x;
    while ((parent[r] as number) >= 0) r = parent[r] as number;
    while (x !== r) {
      const next = parent[x] as number;
      parent[x] = r;
      x = next;
    }
    return r;
  }
  /** Size of the cluster whose root is r. */
  sizeOf(root: number): number {
    return -(this.parent[root] as number);
  }
  /** Whether a guarded member of cluster `from` has a cannot-link into cluster `other`. */
  private conflict(from: number, other: number): boolean {
    const { offsets, partners } = this.cannot;
    const start = this.guardOf[from] as number;
    let x = start;
    do {
      for (let k = offsets[x] as number; k < (offsets[x + 1] as number); k++) if (this.find(partners[k] as number) === other) return true;
      x = this.guardNext[x] as number;
    } while (x !== start);
    return false;
  }
  join(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    const parent = this.parent;
    if (this.sizeOf(ra) + this.sizeOf(rb) > this.maxSize) {
      this.refused.size++;
      return;
    }
    const ga = this.guardOf[ra] as number;
    const gb = this.guardOf[rb] as number;
    // Look from the smaller cluster: whether any cannot-link crosses does not depend on the side.
    if (ga >= 0 && gb >= 0 && (this.sizeOf(ra) <= this.sizeOf(rb) ? this.conflict(ra, rb) : this.conflict(rb, ra))) {
      this.refused.conflict++;
      return;
    }
    if (this.sizeOf(ra) < this.sizeOf(rb)) [ra, rb] = [rb, ra];
    parent[ra] = (parent[ra] as number) + (parent[rb] as number);
    parent[rb] = ra;
    if (ga >= 0 && gb >= 0) {
      // Splice two circular lists into one.
      const next = this.guardNext;
      const t = next[ga] as number;
      next[ga] = next[gb] as number;
      next[gb] = t;
    }
    if (this.guardOf[ra] === -1) this.guardOf[ra] = this.guardOf[rb] as number;
  }
  /**
   * Per cluster root, its first record (−1 elsewhere): clusters are named by their first
   * record. Ends the joining: the guards' memory is let go.
   */
  firstRecords(): { firstOf: Int32Array; clusters: number } {
    this.guardOf = new Int32Array(0);
    this.guardNext = new Int32Array(0);
    this.cannot = { offsets: new Int32Array(0), partners: new Int32Array(0) };
    const firstOf = new Int32Array(this.n).fill(-1);
    let clusters = 0;
    for (let i = 0; i < this.n; i++) {
      const r = this.find(i);
      if (firstOf[r] === -1) {
        firstOf[r] = i;
        clusters++;
      }
    }
    return { firstOf, clusters };
  }
}

/**
 * Cluster `n` records from `merges` (pairs to merge, any order) and `cannotLink` (pairs
 * found in conflict). Deterministic: merges are applied by weight, then by index.
 */
export function cluster(n: number, merges: PairSink, cannotLink: PairSink, options: ClusterOptions = {}): Clustering {
  const union = new GuardedUnion(n, cannotLinksOf(n, cannotLink), options.maxClusterSize ?? 50);
  const order = Array.from({ length: merges.length }, (_, k) => k);
  order.sort((x, y) => merges.weight(y) - merges.weight(x) || merges.left(x) - merges.left(y) || merges.right(x) - merges.right(y));
  for (const k of order) union.join(merges.left(k), merges.right(k));
  const { firstOf, clusters } = union.firstRecords();
  const clusterOf = new Uint32Array(n);
  for (let i = 0; i < n; i++) clusterOf[i] = firstOf[union.find(i)] as number;
  return { clusterOf, clusters, refused: union.refused };
}
