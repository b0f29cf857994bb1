/**
 * NPS, CSAT and CES from score histograms, as ../shared/PRODUCT.md defines them, always with n
 * and a 95 % interval. Pure maths: no I/O.
 *
 * A histogram (`counts[s]` answers gave score s) is what the rollups keep per day: it is the
 * whole of what an answer set says about these metrics, so n, the shares, the mean and the
 * sum of squares (for the mean's interval) all come out of it exactly, and histograms of days
 * add up to the histogram of a period.
 *
 * Intervals:
 * - NPS: value ± 1.96 · SE with PRODUCT.md's SE `100·sqrt((pP + pD − (pP − pD)²) / n)`, clamped
 *   to −100…100 (the same as the feedback reports).
 * - CSAT % (share of 4–5) and CES % (share of 5–7): the Wilson score interval. Unlike the normal
 *   approximation it never collapses to a point at 0 % or 100 % and stays inside 0…100, which
 *   matters for the small n of one agent or one day (3 answers of 5: normal [100, 100], Wilson
 *   [43.8, 100]).
 * - Means: mean ± 1.96 · s/√n with the sample standard deviation s (normal approximation; null
 *   below two answers).
 */

export type SatisfactionMetric = 'nps' | 'csat' | 'ces';
export const SATISFACTION_METRICS: readonly SatisfactionMetric[] = ['nps', 'csat', 'ces'];

export const SCALE: Record<SatisfactionMetric, { min: number; max: number }> = { nps: { min: 0, max: 10 }, csat: { min: 1, max: 5 }, ces: { min: 1, max: 7 } };

/** Counts per score 0…10 (11 entries; CSAT and CES leave the scores outside their scale at 0). */
export type Histogram = number[];

export const Z95 = 1.959963984540054;

export const emptyHistogram = (): Histogram => new Array<number>(11).fill(0);

/** Add `b` into `a` (in place) and return `a`. */
export function addInto(a: Histogram, b: readonly number[]): Histogram {
  for (let s = 0; s < 11; s++) a[s] = (a[s] ?? 0) + (b[s] ?? 0);
  return a;
}

/** The histogram of a list of scores. */
export function histogramOf(scores: readonly number[]): Histogram {
  const h = emptyHistogram();
  for (const s of scores) {
    if (!Number.isInteger(s) || s < 0 || s > 10) throw new RangeError(`a score is an integer 0–10, got ${s}`);
    h[s] = (h[s] ?? 0) + 1;
  }
  return h;
}

export interface SatisfactionSummary {
  metric: SatisfactionMetric;
  n: number;
  /** NPS −100…100; CSAT % of 4–5; CES % of 5–7. Null with no answers. */
  value: number | null;
  /** 95 % interval of `value` (NPS: normal with PRODUCT.md's SE; CSAT/CES: Wilson). */
  low: number | null;
  high: number | null;
  mean: number | null;
  /** 95 % interval of the mean (null below two answers). */
  meanLow: number | null;
  meanHigh: number | null;
  /** NPS: promoters (9–10); CSAT: 4–5; CES: 5–7. */
  top: number;
  /** NPS: passives (7–8); CSAT: 3; CES: 4. */
  middle: number;
  /** NPS: detractors (0–6); CSAT: 1–2; CES: 1–3. */
  bottom: number;
}

/** The score from which an answer is "top" (promoter, satisfied, easy) and the neutral band below it. */
const TOP: Record<SatisfactionMetric, { top: number; middle: number }> = { nps: { top: 9, middle: 7 }, csat: { top: 4, middle: 3 }, ces: { top: 5, middle: 4 } };

/** The Wilson score interval of a share k/n, in percent. */
export function wilson(k: number, n: number, z = Z95): { low: number; high: number } {
  if (n <= 0) throw new RangeError('n must be positive');
  const p = k / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  return { low: Math.max(0, (100 * (centre - spread)) / denominator), high: Math.min(100, (100 * (centre + spread)) / denominator) };
}

/** NPS's standard error, in points, as PRODUCT.md defines it. */
export function npsStandardError(promoters: number, detractors: number, n: number): number {
  const pP = promoters / n;
  const pD = detractors / n;
  return 100 * Math.sqrt(Math.max(0, pP + pD - (pP - pD) ** 2) / n);
}

export function summarise(metric: SatisfactionMetric, counts: readonly number[]): SatisfactionSummary {
  const { min, max } = SCALE[metric];
  const bands = TOP[metric];
  let n = 0;
  let sum = 0;
  let squares = 0;
  let top = 0;
  let middle = 0;
  for (let s = min; s <= max; s++) {
    const c = counts[s] ?? 0;
    n += c;
    sum += s * c;
    squares += s * s * c;
    if (s >= bands.top) top += c;
    else if (s >= bands.middle) middle += c;
  }
  const bottom = n - top - middle;
  if (n === 0) return { metric, n, value: null, low: null, high: null, mean: null, meanLow: null, meanHigh: null, top, middle, bottom };
  const mean = sum / n;
  let meanLow: number | null = null;
  let meanHigh: number | null = null;
  if (n >= 2) {
    const variance = Math.max(0, (squares - n * mean * mean) / (n - 1));
    const half = (Z95 * Math.sqrt(variance)) / Math.sqrt(n);
    meanLow = Math.max(min, mean - half);
    meanHigh = Math.min(max, mean + half);
  }
  if (metric === 'nps') {
    const value = (100 * (top - bottom)) / n;
    const se = npsStandardError(top, bottom, n);
    return { metric, n, value, low: Math.max(-100, value - Z95 * se), high: Math.min(100, value + Z95 * se), mean, meanLow, meanHigh, top, middle, bottom };
  }
  const interval = wilson(top, n);
  return { metric, n, value: (100 * top) / n, low: interval.low, high: interval.high, mean, meanLow, meanHigh, top, middle, bottom };
}
