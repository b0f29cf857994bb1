/**
 * NPS, CSAT and CES as `../shared/PRODUCT.md` defines them, with n and a 95 % interval.
 * Pure maths: no I/O.
 */
import type { Metric } from '../surveys/survey.schema.js';

export type NpsCategory = 'promoter' | 'passive' | 'detractor';
export type Category = NpsCategory | 'satisfied' | 'neutral' | 'dissatisfied';

export function npsCategory(score: number): NpsCategory {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

/** The category of a score on its scale: NPS's three, or satisfied / neutral / dissatisfied. */
export function categoryOf(metric: Metric, score: number): Category {
  if (metric === 'nps') return npsCategory(score);
  if (metric === 'csat') return score >= 4 ? 'satisfied' : score === 3 ? 'neutral' : 'dissatisfied';
  return score >= 5 ? 'satisfied' : score === 4 ? 'neutral' : 'dissatisfied';
}

const Z95 = 1.959963984540054;

export interface Summary {
  metric: Metric;
  n: number;
  /** NPS: −100…100; CSAT: % of 4–5; CES: % of 5–7. Null with no answers. */
  value: number | null;
  /** 95 % interval of `value` (normal approximation), clamped to the scale. */
  low: number | null;
  high: number | null;
  mean: number | null;
}

/** Counts of each score on a scale: `counts[s]` answers gave score s. */
export type ScoreCounts = Record<number, number>;

export function summarise(metric: Metric, counts: ScoreCounts): Summary {
  let n = 0;
  let sum = 0;
  let top = 0;
  let bottom = 0;
  for (const [key, count] of Object.entries(counts)) {
    const s = Number(key);
    n += count;
    sum += s * count;
    if (metric === 'nps') {
      if (s >= 9) top += count;
      else if (s <= 6) bottom += count;
    } else if (metric === 'csat' ? s >= 4 : s >= 5) top += count;
  }
  if (n === 0) return { metric, n, value: null, low: null, high: null, mean: null };
  const mean = sum / n;
  if (metric === 'nps') {
    const pP = top / n;
    const pD = bottom / n;
    const value = 100 * (pP - pD);
    const se = 100 * Math.sqrt(Math.max(0, pP + pD - (pP - pD) ** 2) / n);
    return { metric, n, value, low: Math.max(-100, value - Z95 * se), high: Math.min(100, value + Z95 * se), mean };
  }
  const p = top / n;
  const se = 100 * Math.sqrt((p * (1 - p)) / n);
  const value = 100 * p;
  return { metric, n, value, low: Math.max(0, value - Z95 * se), high: Math.min(100, value + Z95 * se), mean };
}
