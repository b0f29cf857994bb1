/**
 * A period against the one before it, honestly: the change of the score, and whether it is
 * larger than the 95 % intervals suggest. Overlapping intervals are "within noise"; intervals
 * apart on fewer than FEW_ANSWERS answers are flagged too, since the normal approximation the
 * intervals use is poor on small samples (it gives a zero-width interval when all agree).
 */
import type { Summary } from '../../api/feedback-reports';

export const FEW_ANSWERS = 30;

export type Verdict = 'no-current' | 'no-previous' | 'noise' | 'few' | 'beyond-noise';

export interface Change {
  /** Current value − previous value (points of NPS, or percentage points), when both exist. */
  delta: number | null;
  verdict: Verdict;
}

export function compare(current: Summary, previous: Summary): Change {
  if (current.value === null) return { delta: null, verdict: 'no-current' };
  if (previous.value === null) return { delta: null, verdict: 'no-previous' };
  const delta = current.value - previous.value;
  const overlap =
    current.low === null || current.high === null || previous.low === null || previous.high === null || (current.low <= previous.high && previous.low <= current.high);
  if (overlap) return { delta, verdict: 'noise' };
  if (Math.min(current.n, previous.n) < FEW_ANSWERS) return { delta, verdict: 'few' };
  return { delta, verdict: 'beyond-noise' };
}

/** Rounded as the cards show values (whole points), so that the arrow agrees with the number. */
export const roundedDelta = (delta: number): number => Math.round(delta) || 0;

export function arrowOf(delta: number): '↑' | '↓' | '→' {
  const d = roundedDelta(delta);
  return d > 0 ? '↑' : d < 0 ? '↓' : '→';
}

export function formatDelta(delta: number): string {
  const d = roundedDelta(delta);
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d)}`;
}

export const VERDICT_TEXT: Record<Verdict, string> = {
  'no-current': 'No answers in this period.',
  'no-previous': 'No answers in the period before to compare with.',
  noise: 'within noise: the 95 % intervals overlap',
  few: 'the 95 % intervals are apart, but on fewer than 30 answers: read with care',
  'beyond-noise': 'larger than noise: the 95 % intervals do not overlap',
};
