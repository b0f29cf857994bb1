/**
 * The histogram of elapsed times to first contact in the SLA rollup: log-spaced buckets, so that
 * a year of days sums in a few thousand additions and its median and 90th percentile stay within
 * 1 % of follow-up's exact figures (report.maths.ts `quantileSorted` over the sorted times).
 *
 * Buckets: one per millisecond below EXACT_BELOW (exact), then ratio RATIO each. A value is
 * represented by its bucket's geometric middle, at most √RATIO − 1 = 0.75 % from it; quantiles
 * interpolate two such values (type 7, as the reports do), so they stay within that too, and
 * rounding to whole ms adds at most 1 ms (0.2 % at EXACT_BELOW): under 1 % in all.
 *
 * Stored sparse, one row per day: little-endian pairs (u16 bucket, i32 count), buckets in
 * ascending order. Pure: no I/O.
 */
export const EXACT_BELOW = 512;
export const RATIO = 1.015;
const LOG_RATIO = Math.log(RATIO);
const MAX_BUCKET = 0xffff;
const PAIR = 6;

/** Worst relative error of a quantile read from the histogram, before rounding to whole ms. */
export const RELATIVE_ERROR = Math.sqrt(RATIO) - 1;

export function bucketOf(ms: number): number {
  const v = Math.max(0, Math.floor(ms));
  if (v < EXACT_BELOW) return v;
  return Math.min(MAX_BUCKET, EXACT_BELOW + Math.floor(Math.log(v / EXACT_BELOW) / LOG_RATIO));
}

/** The value a bucket stands for: itself below EXACT_BELOW, else the geometric middle of its range. */
export function valueOf(bucket: number): number {
  if (bucket < EXACT_BELOW) return bucket;
  return EXACT_BELOW * Math.exp((bucket - EXACT_BELOW + 0.5) * LOG_RATIO);
}

/** Counts per bucket; sparse, summed from days or changed by deltas. */
export type ContactHistogram = Map<number, number>;

export function addInto(into: ContactHistogram, from: ContactHistogram, sign = 1): void {
  for (const [b, n] of from) {
    const v = (into.get(b) ?? 0) + sign * n;
    if (v === 0) into.delete(b);
    else into.set(b, v);
  }
}

export function encode(h: ContactHistogram): Uint8Array {
  const keys = [...h.keys()].filter((b) => h.get(b) !== 0).sort((a, b) => a - b);
  const out = new Uint8Array(keys.length * PAIR);
  const view = new DataView(out.buffer);
  keys.forEach((b, i) => {
    view.setUint16(i * PAIR, b, true);
    view.setInt32(i * PAIR + 2, h.get(b) as number, true);
  });
  return out;
}

/** Add a stored histogram into `into`. */
export function decodeInto(into: ContactHistogram, bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let o = 0; o + PAIR <= bytes.byteLength; o += PAIR) {
    const b = view.getUint16(o, true);
    into.set(b, (into.get(b) ?? 0) + view.getInt32(o + 2, true));
  }
}

export const decode = (bytes: Uint8Array): ContactHistogram => {
  const h: ContactHistogram = new Map();
  decodeInto(h, bytes);
  return h;
};

/**
 * The read path's sum of many days: dense counts indexed by bucket (a few thousand cover any
 * delay up to years), so that adding a day is a pass over its pairs and no map is built.
 */
export class DenseHistogram {
  private counts = new Float64Array(2048);
  n = 0;

  addEncoded(bytes: Uint8Array): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let o = 0; o + PAIR <= bytes.byteLength; o += PAIR) {
      const b = view.getUint16(o, true);
      if (b >= this.counts.length) {
        const grown = new Float64Array(Math.max(b + 1, this.counts.length * 2));
        grown.set(this.counts);
        this.counts = grown;
      }
      const c = view.getInt32(o + 2, true);
      this.counts[b] = (this.counts[b] as number) + c;
      this.n += c;
    }
  }

  /** The value of the k-th smallest time (0-based). */
  private rank(k: number): number {
    let seen = 0;
    let last = 0;
    for (let b = 0; b < this.counts.length; b++) {
      const c = this.counts[b] as number;
      if (c <= 0) continue;
      seen += c;
      last = b;
      if (k < seen) return valueOf(b);
    }
    return valueOf(last);
  }

  /**
   * Median and 90th percentile as report.maths.ts computes them (linear between closest ranks,
   * h = (n − 1)·q), each rank's value taken from its bucket; rounded to whole ms as the reports are.
   */
  quantiles(): { n: number; medianMs: number | null; p90Ms: number | null } {
    const n = this.n;
    if (n <= 0) return { n: 0, medianMs: null, p90Ms: null };
    const at = (q: number): number => {
      const x = (n - 1) * q;
      const lo = Math.floor(x);
      const a = this.rank(lo);
      const b = this.rank(Math.min(n - 1, lo + 1));
      return Math.round(a + (x - lo) * (b - a));
    };
    return { n, medianMs: at(0.5), p90Ms: at(0.9) };
  }
}
