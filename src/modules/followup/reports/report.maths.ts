/**
 * The maths of the follow-up reports. Pure: task rows (numbers) and an instant in, figures out.
 *
 * First-contact SLA of one task (PRODUCT.md: SLA met % = share of clocks stopped before their
 * deadline), judged at `asOf`:
 * - no clock (no policy, so no first-contact deadline): not counted (`noTarget`);
 * - missed: a breach was recorded, or the contact came after the deadline, or there is no
 *   contact yet, the clock is not paused and the deadline has passed (a deadline job that has
 *   not run yet does not make a late clock look pending);
 * - met: contacted at or before the deadline (and no breach recorded);
 * - pending: no contact, no breach, and the deadline not reached (or the clock paused while
 *   waiting on the customer): excluded from n, so a report never counts a clock that may still
 *   be met.
 * SLA met % = 100 · met / (met + missed). The resolution target is judged the same way with
 * resolved_at, resolution_due_at and resolution_breached_at.
 *
 * Quantiles are linear interpolation between closest ranks (the "type 7" of Hyndman & Fan,
 * numpy's and Excel PERCENTILE.INC's default): of sorted x₁…xₙ, q at h = (n − 1)·q.
 */
import { workingElapsed, ZSlaPlan, type SlaPlan } from '../clock/sla.js';
import type { DurationStats, Period, SlaFigures, SpeedBucket } from './report.schema.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** What the speed report reads of a task, as numbers. */
export interface ReportTask {
  startedAt: number;
  teamId: string | null;
  ownerUserId: string | null;
  kind: string;
  contactedAt: number | null;
  pausedMs: number;
  /** The SLA plan's JSON (for working time); null without a clock or a contact. */
  plan: string | null;
}

export type Outcome = 'met' | 'missed' | 'pending' | 'no_target';

/**
 * A target's outcome at `asOf` (the reports count it in SQL with the same rules: report.store.ts
 * `outcomeSql`). `due`: the deadline; `stoppedAt`: contact or resolution; `breachedAt`: the
 * breach the deadline job recorded.
 */
export function judge(due: number | null, stoppedAt: number | null, breachedAt: number | null, paused: boolean, asOf: number): Outcome {
  if (due === null) return 'no_target';
  if (breachedAt !== null) return 'missed';
  if (stoppedAt !== null) return stoppedAt <= due ? 'met' : 'missed';
  return !paused && due <= asOf ? 'missed' : 'pending';
}

export class SlaCounter {
  met = 0;
  missed = 0;
  pending = 0;
  noTarget = 0;
  add(o: Outcome, n = 1): void {
    if (o === 'met') this.met += n;
    else if (o === 'missed') this.missed += n;
    else if (o === 'pending') this.pending += n;
    else this.noTarget += n;
  }
  figures(): SlaFigures {
    const n = this.met + this.missed;
    return { met: this.met, missed: this.missed, n, metPct: n === 0 ? null : (100 * this.met) / n, pending: this.pending, noTarget: this.noTarget };
  }
}

/** The q-quantile (0…1) of sorted values, linear between closest ranks; null for none. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(n - 1, lo + 1)] as number;
  return a + (h - lo) * (b - a);
}

/** Durations collected one by one; median and p90 at the end (sorted once). */
export class Durations {
  private values: number[] = [];
  add(ms: number): void {
    this.values.push(ms);
  }
  get n(): number {
    return this.values.length;
  }
  stats(): DurationStats {
    const sorted = Float64Array.from(this.values).sort();
    const round = (v: number | null) => (v === null ? null : Math.round(v));
    return { n: sorted.length, medianMs: round(quantileSorted(sorted, 0.5)), p90Ms: round(quantileSorted(sorted, 0.9)) };
  }
}

/** Speed-to-lead buckets of the elapsed time to first contact: [0, 5 min), [5 min, 1 h), [1 h, 24 h), 24 h and more. */
export function speedBucket(elapsedMs: number | null): SpeedBucket {
  if (elapsedMs === null) return 'not_contacted';
  if (elapsedMs < 5 * MINUTE_MS) return 'under_5m';
  if (elapsedMs < HOUR_MS) return '5m_to_1h';
  if (elapsedMs < DAY_MS) return '1h_to_24h';
  return 'over_24h';
}

export const SPEED_BUCKET_LABEL: Record<SpeedBucket, string> = {
  under_5m: 'Under 5 min',
  '5m_to_1h': '5–60 min',
  '1h_to_24h': '1–24 h',
  over_24h: 'Over 24 h',
  not_contacted: 'Not yet contacted',
};

/**
 * Working time from the trigger to the first contact on the task's SLA calendar, less the time
 * its clock was paused; null without a plan or a contact. Plans are snapshots shared by many
 * tasks: parsed once per distinct JSON text.
 */
export function workingTimeToContact(t: ReportTask, plans: Map<string, SlaPlan | null>): number | null {
  if (t.contactedAt === null || !t.plan) return null;
  let plan = plans.get(t.plan);
  if (plan === undefined) {
    const parsed = ZSlaPlan.safeParse(JSON.parse(t.plan));
    plan = parsed.success ? (parsed.data as SlaPlan) : null;
    plans.set(t.plan, plan);
  }
  if (!plan) return null;
  return workingElapsed(plan, { startedAt: t.startedAt, pausedMs: t.pausedMs }, t.contactedAt);
}

/** The first instant of the period holding instant `t` (UTC; weeks start on Monday). */
export function periodStart(period: Period, t: number): number {
  const day = Math.floor(t / DAY_MS);
  if (period === 'day') return day * DAY_MS;
  if (period === 'week') return (day - ((day + 3) % 7)) * DAY_MS; // 1970-01-01 was a Thursday
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function nextPeriod(period: Period, start: number): number {
  if (period === 'day') return start + DAY_MS;
  if (period === 'week') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
