import { describe, expect, it } from 'vitest';
import { Durations } from '../../followup/reports/report.maths.js';
import { addInto, bucketOf, decode, DenseHistogram, encode, EXACT_BELOW, RELATIVE_ERROR, valueOf, type ContactHistogram } from './sla.histogram.js';

/** A small seeded generator (mulberry32), so a failure repeats. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the first-contact histogram', () => {
  it('stands for every value within its relative error, and exactly below EXACT_BELOW', () => {
    expect(RELATIVE_ERROR).toBeLessThan(0.008);
    for (let v = 0; v < EXACT_BELOW; v++) expect(valueOf(bucketOf(v))).toBe(v);
    for (let v = EXACT_BELOW; v < 400 * 86_400_000; v = Math.ceil(v * 1.0037) + 1) {
      expect(Math.abs(valueOf(bucketOf(v)) / v - 1)).toBeLessThanOrEqual(RELATIVE_ERROR + 1e-12);
    }
  });

  it('round-trips through its stored form, and deltas that cancel leave nothing', () => {
    const h: ContactHistogram = new Map([
      [3, 2],
      [700, 1],
      [1500, 40],
    ]);
    expect(decode(encode(h))).toEqual(h);
    addInto(h, new Map(h), -1);
    expect(h.size).toBe(0);
    expect(encode(h).byteLength).toBe(0);
  });

  it('gives the median and 90th percentile of follow-up’s reports within 1 %', () => {
    const next = rng(11);
    for (const size of [1, 2, 3, 10, 101, 5000]) {
      const exact = new Durations();
      const h: ContactHistogram = new Map();
      for (let i = 0; i < size; i++) {
        // Log-normal around 40 minutes, as the bench's contacts; some under a second.
        const u = Math.max(1e-12, next());
        const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
        const ms = Math.floor(Math.exp(Math.log(2_400_000) + 3 * z));
        exact.add(ms);
        addInto(h, new Map([[bucketOf(ms), 1]]));
      }
      const dense = new DenseHistogram();
      dense.addEncoded(encode(h));
      const got = dense.quantiles();
      const want = exact.stats();
      expect(got.n).toBe(want.n);
      for (const k of ['medianMs', 'p90Ms'] as const) {
        const w = want[k] as number;
        expect(Math.abs((got[k] as number) - w), `${k} of ${size}`).toBeLessThanOrEqual(Math.max(1, 0.01 * w));
      }
    }
    expect(new DenseHistogram().quantiles()).toEqual({ n: 0, medianMs: null, p90Ms: null });
  });
});
