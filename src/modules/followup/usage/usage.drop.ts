/**
 * "Usage down by half week on week", the arithmetic. Weeks run Monday 00:00 to Monday 00:00
 * UTC; a week is named by its end. Pure.
 */
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** Fewer events than this in the earlier week is noise, not usage that can drop. */
export const MIN_PRIOR_EVENTS = 10;
/** Down by this share or more. */
export const DROP_SHARE = 0.5;

/** The last Monday 00:00 UTC at or before `ms` (1970-01-01 was a Thursday). */
export function weekStartOf(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  return (day - ((day + 3) % 7)) * DAY_MS;
}

export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The two weeks compared for the week ending at `weekEnd`: [prior) then [current). */
export function windowsOf(weekEnd: number): { prior: { from: number; to: number }; current: { from: number; to: number } } {
  return { prior: { from: weekEnd - 2 * WEEK_MS, to: weekEnd - WEEK_MS }, current: { from: weekEnd - WEEK_MS, to: weekEnd } };
}

/** The drop in percent (0–100) when usage fell by half or more from an active prior week; undefined otherwise. */
export function usageDrop(prior: number, current: number, minPrior = MIN_PRIOR_EVENTS): number | undefined {
  if (prior < minPrior || current > prior * (1 - DROP_SHARE)) return undefined;
  return Math.round(((prior - current) / prior) * 100);
}
