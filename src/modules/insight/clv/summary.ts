/**
 * Customer summaries from transactions (customer, date, amount), as the models read them
 * and as `lifetimes.utils.summary_data_from_transaction_data` /
 * `calibration_and_holdout_data` compute them:
 * - dates become periods (days, or weeks starting on Monday); purchases in the same period
 *   are merged into one, their amounts summed;
 * - frequency = purchase periods − 1 (repeat purchases), recency = last − first period,
 *   T = calibration end's period − first period;
 * - monetary value = the mean amount of the repeat purchase periods (the first is left
 *   out), 0 when there are none;
 * - with a holdout end: the purchase periods after the calibration end date up to the
 *   holdout end, for customers first seen in the calibration period.
 * Transactions after the last end date are ignored; customers first seen after the
 * calibration end are left out.
 */
import { AppError } from '../../../platform/errors.js';

export type Period = 'day' | 'week';

export interface SummaryOptions {
  /** Last day of the calibration period, YYYY-MM-DD (inclusive). */
  calibrationEnd: string;
  /** Last day of the holdout period, YYYY-MM-DD (inclusive), after the calibration end. */
  holdoutEnd?: string;
  period: Period;
}

export interface CustomerSummaryRow {
  customerId: string;
  frequency: number;
  recency: number;
  T: number;
  monetaryValue: number;
  /** With a holdout: purchase periods in it. */
  holdoutFrequency?: number;
  /** With a holdout: its length in periods. */
  holdoutDuration?: number;
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-?(\d{2})-?(\d{2})(?:$|[T ])/;

/** Days since 1970-01-01 of a date written YYYY-MM-DD, YYYYMMDD or as an ISO date-time (its calendar date); undefined if not a date. */
export function dayNumber(text: string): number | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return Math.round(ms / DAY_MS);
}

/** The period of a day number: the day itself, or the week (Monday to Sunday) counted from Monday 1970-01-05. */
export const periodOf = (day: number, period: Period) => (period === 'day' ? day : Math.floor((day - 4) / 7));

function parseEnd(text: string, flag: string): number {
  const day = dayNumber(text);
  if (day === undefined) throw new AppError('CLV_INPUT_INVALID', `${flag} must be a date YYYY-MM-DD (got "${text}")`);
  return day;
}

interface Customer {
  /** period → amount (calibration). */
  periods: Map<number, number>;
}

/** Accumulates transactions one at a time (for streaming), then summarises. */
export class SummaryBuilder {
  private readonly calibrationEndDay: number;
  private readonly holdoutEndDay: number | undefined;
  private readonly customers = new Map<string, Customer>();
  /** Holdout purchase periods per customer (kept apart: the file need not be sorted by date). */
  private readonly holdout = new Map<string, Set<number>>();
  rows = 0;
  ignored = 0;

  constructor(readonly options: SummaryOptions) {
    this.calibrationEndDay = parseEnd(options.calibrationEnd, 'the calibration end');
    this.holdoutEndDay = options.holdoutEnd === undefined ? undefined : parseEnd(options.holdoutEnd, 'the holdout end');
    if (this.holdoutEndDay !== undefined && this.holdoutEndDay <= this.calibrationEndDay)
      throw new AppError('CLV_INPUT_INVALID', `the holdout end ${options.holdoutEnd} must be after the calibration end ${options.calibrationEnd}`);
  }

  /** One transaction; `where` names it in errors (e.g. "line 12"). */
  add(customerId: string, date: string, amount: number, where = `transaction ${this.rows + 1}`): void {
    this.rows++;
    if (customerId === '') throw new AppError('CLV_INPUT_INVALID', `${where}: the customer id is empty`);
    const day = dayNumber(date);
    if (day === undefined) throw new AppError('CLV_INPUT_INVALID', `${where}: "${date}" is not a date (YYYY-MM-DD)`);
    if (!Number.isFinite(amount)) throw new AppError('CLV_INPUT_INVALID', `${where}: the amount must be a number`);
    const period = periodOf(day, this.options.period);
    if (day <= this.calibrationEndDay) {
      let c = this.customers.get(customerId);
      if (!c) {
        c = { periods: new Map() };
        this.customers.set(customerId, c);
      }
      c.periods.set(period, (c.periods.get(period) ?? 0) + amount);
      return;
    }
    if (this.holdoutEndDay !== undefined && day <= this.holdoutEndDay) {
      let set = this.holdout.get(customerId);
      if (!set) {
        set = new Set();
        this.holdout.set(customerId, set);
      }
      set.add(period);
      return;
    }
    this.ignored++;
  }

  /** One row per customer first seen in the calibration period, in the order first seen. */
  finish(): CustomerSummaryRow[] {
    const endPeriod = periodOf(this.calibrationEndDay, this.options.period);
    const holdoutDuration = this.holdoutEndDay === undefined ? undefined : periodOf(this.holdoutEndDay, this.options.period) - endPeriod;
    const out: CustomerSummaryRow[] = [];
    for (const [customerId, c] of this.customers) {
      let first = Infinity;
      let last = -Infinity;
      let total = 0;
      for (const [p, amount] of c.periods) {
        if (p < first) first = p;
        if (p > last) last = p;
        total += amount;
      }
      const frequency = c.periods.size - 1;
      const row: CustomerSummaryRow = {
        customerId,
        frequency,
        recency: last - first,
        T: endPeriod - first,
        monetaryValue: frequency > 0 ? (total - (c.periods.get(first) as number)) / frequency : 0,
      };
      if (holdoutDuration !== undefined) {
        row.holdoutFrequency = this.holdout.get(customerId)?.size ?? 0;
        row.holdoutDuration = holdoutDuration;
      }
      out.push(row);
    }
    return out;
  }
}

/** Summaries of a list of transactions. */
export function summariseTransactions(rows: Iterable<{ customerId: string; date: string; amount: number }>, options: SummaryOptions): CustomerSummaryRow[] {
  const b = new SummaryBuilder(options);
  for (const r of rows) b.add(r.customerId, r.date, r.amount);
  return b.finish();
}
