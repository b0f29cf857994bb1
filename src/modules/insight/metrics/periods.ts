/**
 * Time buckets of the metrics, all in UTC: days since the epoch, weeks from Monday, and months
 * as an index (months since January 1970) for the monthly customer and revenue figures. Pure.
 */

export const DAY_MS = 86_400_000;

export type Granularity = 'day' | 'week' | 'month';

export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/** Months since 1970-01 of an instant. */
export function monthOf(ms: number): number {
  const d = new Date(ms);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/** The first instant of month `m`. */
export const monthStart = (m: number): number => Date.UTC(1970 + Math.floor(m / 12), ((m % 12) + 12) % 12, 1);

/** The instant month `m` ends (the first instant of the next month). */
export const monthEnd = (m: number): number => monthStart(m + 1);

/** `2026-03`. */
export function monthLabel(m: number): string {
  const d = new Date(monthStart(m));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

const MONTH = /^(\d{4})-(\d{2})$/;

/** `2026-03` → its month index; undefined for anything else. */
export function parseMonth(label: string): number | undefined {
  const m = MONTH.exec(label);
  if (!m) return undefined;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  return (Number(m[1]) - 1970) * 12 + month - 1;
}

/** The first instant of the day, week (Monday) or month holding UTC day `day`. */
export function bucketStart(granularity: Granularity, day: number): number {
  if (granularity === 'day') return day * DAY_MS;
  if (granularity === 'week') return (day - ((day + 3) % 7)) * DAY_MS; // 1970-01-01 was a Thursday
  return monthStart(monthOf(day * DAY_MS));
}

/** The first instant of the bucket after the one starting at `start`. */
export function nextBucket(granularity: Granularity, start: number): number {
  if (granularity === 'day') return start + DAY_MS;
  if (granularity === 'week') return start + 7 * DAY_MS;
  return monthEnd(monthOf(start));
}

/** The starts of every bucket overlapping [from, to), the first at its own beginning. */
export function bucketStarts(granularity: Granularity, from: number, to: number): number[] {
  const out: number[] = [];
  for (let s = bucketStart(granularity, dayOf(from)); s < to; s = nextBucket(granularity, s)) out.push(s);
  return out;
}

/** Months first…last, inclusive. */
export interface MonthSpan {
  first: number;
  last: number;
}

/**
 * The months a period's customer and revenue figures cover: the complete months (ended by
 * `now`) whose end falls inside (from, to]. A period too short to hold one (the last 7 days)
 * takes the last complete month that ended by its end. So "the last 30 days" is last month,
 * "the last 90 days" the last three (or two) complete months, "the last 12 months" twelve.
 */
export function completeMonths(from: number, to: number, now: number): MonthSpan {
  // The latest month that has ended by then: the one before the month holding that instant.
  const last = monthOf(Math.min(to, now)) - 1;
  let first = last;
  while (monthEnd(first - 1) > from) first -= 1;
  return { first, last };
}

export const spanLength = (s: MonthSpan): number => s.last - s.first + 1;

/** The span of the same length just before. */
export const previousSpan = (s: MonthSpan): MonthSpan => ({ first: s.first - spanLength(s), last: s.first - 1 });
