/**
 * Active customers, logo churn, gross and net revenue retention and retention cohorts, from
 * each billing customer's monthly state. Pure maths: no I/O.
 *
 * Definitions (../shared/PRODUCT.md, made monthly):
 * - A customer's state is taken at the end of each calendar month (UTC). They are **active**
 *   then if a subscription of theirs is running at that instant, or they placed an order in
 *   that month or the eleven before ("bought in the last 12 months", the usual definition of an
 *   active customer of a shop: people who buy coffee beans a few times a year have not left
 *   when they skip a quarter). Their **MRR** is the sum of their running subscriptions' MRR at
 *   that instant, per currency.
 * - **Logo churn** over months p0…p1 = customers active at the start (the end of p0 − 1) who are
 *   not active at the end (of p1) ÷ customers active at the start.
 * - **GRR** = Σ over those with MRR at the start of min(MRR at the end, MRR at the start) ÷ MRR
 *   at the start; **NRR** = Σ of their MRR at the end ÷ MRR at the start. Per currency: MRR in
 *   different currencies is never added.
 * - **Cohort** c = the customers whose first purchase or subscription start fell in month c;
 *   cell k = the share of them active in month c + k: they bought in that month or were
 *   subscribed at its end (the repeat-purchase cohort). Measured with the 12-month window, every
 *   cell of the first year would read 100 %.
 *
 * How the rollup stays small and exact: a customer's state changes only in the months around
 * their orders and subscription events, and from some month T on (three months after their
 * last order, one after their last subscription event) it never changes again: the **tail**.
 * So each customer contributes explicit values for months before T and one "from T on" value,
 * and a reader adds the tails of all months ≤ m to the explicit value of month m. A customer
 * who subscribed years ago and never changed plan contributes a handful of cells, not one per
 * month, and nothing has to be rolled forward when a month begins. Pairs (month a, month
 * a + lag) are kept for lags 1…MAX_LAG, so any period of up to MAX_LAG months is exact.
 * Contributions add: a change to a customer is its new contribution minus its old one.
 */
import { mrrAt, type BillingItem, type SubscriptionItem } from './billing.items.js';
import { monthEnd, monthOf, type MonthSpan } from './periods.js';

/** An order keeps its customer active at the end of its own month and the next eleven. */
export const ACTIVE_MONTHS = 12;
/** The longest period (in months) whose churn and retention the rollups answer exactly. */
export const MAX_LAG = 24;

/** MRR per currency (thousandths of the unit), only currencies with a positive amount. */
export type Mrr = Record<string, number>;

export interface CustomerState {
  /** The cohort: month of the first purchase or subscription start. */
  first: number;
  /** The first month from which the state never changes (≥ first + 1). */
  tail: number;
  /** Active at the end of months first … tail − 1. */
  active: boolean[];
  /** Bought in the month, or subscribed at its end (the cohorts' measure), months first … tail − 1. */
  inMonth: boolean[];
  /** MRR at the end of months first … tail − 1. */
  mrr: Mrr[];
  tailActive: boolean;
  tailMrr: Mrr;
}

/** The monthly state of one customer from all their billing items; null without any. */
export function customerState(items: readonly BillingItem[], activeMonths = ACTIVE_MONTHS): CustomerState | null {
  if (items.length === 0) return null;
  const orderMonths = new Set<number>();
  const subs: SubscriptionItem[] = [];
  let firstAt = Number.POSITIVE_INFINITY;
  let tail = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    if (item.kind === 'order') {
      const m = monthOf(item.at);
      orderMonths.add(m);
      firstAt = Math.min(firstAt, item.at);
      tail = Math.max(tail, m + activeMonths);
    } else {
      subs.push(item);
      firstAt = Math.min(firstAt, item.start);
      tail = Math.max(tail, monthOf(item.start) + 1);
      if (item.end !== null) tail = Math.max(tail, monthOf(item.end) + 1);
      for (const s of item.steps) tail = Math.max(tail, monthOf(s.at) + 1);
    }
  }
  const first = monthOf(firstAt);
  tail = Math.max(tail, first + 1);
  // A fixed order, so that the same items give the same state (and the same stored text).
  subs.sort((x, y) => x.start - y.start || (x.currency < y.currency ? -1 : x.currency > y.currency ? 1 : 0));
  const at = (m: number): { active: boolean; inMonth: boolean; mrr: Mrr } => {
    const end = monthEnd(m);
    let subscribed = false;
    const mrr: Mrr = {};
    for (const s of subs) {
      if (end <= s.start || (s.end !== null && end > s.end)) continue;
      subscribed = true;
      const v = mrrAt(s, end);
      if (v > 0) mrr[s.currency] = (mrr[s.currency] ?? 0) + v;
    }
    let active = subscribed;
    for (let k = 0; k < activeMonths && !active; k++) active = orderMonths.has(m - k);
    return { active, inMonth: subscribed || orderMonths.has(m), mrr };
  };
  const active: boolean[] = [];
  const inMonth: boolean[] = [];
  const mrr: Mrr[] = [];
  for (let m = first; m < tail; m++) {
    const s = at(m);
    active.push(s.active);
    inMonth.push(s.inMonth);
    mrr.push(s.mrr);
  }
  // From the tail on no order counts any more: in the month means subscribed, as active does.
  const last = at(tail);
  return { first, tail, active, inMonth, mrr, tailActive: last.active, tailMrr: last.mrr };
}

// ---------------------------------------------------------------- contributions

export interface MonthRow {
  month: number;
  /** '' for customer counts; else MRR in that currency. */
  currency: string;
  active: number;
  active_tail: number;
  new_customers: number;
  mrr: number;
  mrr_tail: number;
}

export interface RetentionRow {
  month: number;
  lag_months: number;
  currency: string;
  retained: number;
  kept: number;
  net: number;
}

export interface CohortRow {
  cohort: number;
  age: number;
  active: number;
  active_tail: number;
}

const LOGOS = '';
const ALL_LAGS = Array.from({ length: MAX_LAG }, (_, k) => k + 1);

/** Sums of customer contributions, keyed by cell: what a batch adds to (or takes from) the rollup tables. */
export class RetentionDelta {
  /** With `lags`, only pairs of those lags are kept (a one-off read that needs a few). */
  private readonly lags: readonly number[] | undefined;

  constructor(lags?: readonly number[]) {
    // Each lag once: a one-month period asks for lags [1, 1], and a pair counted twice is a customer retained twice.
    this.lags = lags && [...new Set(lags)];
  }

  readonly months = new Map<string, MonthRow>();
  readonly retention = new Map<string, RetentionRow>();
  readonly cohorts = new Map<string, CohortRow>();

  private month(month: number, currency: string): MonthRow {
    const key = `${month}|${currency}`;
    let row = this.months.get(key);
    if (!row) this.months.set(key, (row = { month, currency, active: 0, active_tail: 0, new_customers: 0, mrr: 0, mrr_tail: 0 }));
    return row;
  }

  private pair(month: number, lag: number, currency: string): RetentionRow {
    const key = `${month}|${lag}|${currency}`;
    let row = this.retention.get(key);
    if (!row) this.retention.set(key, (row = { month, lag_months: lag, currency, retained: 0, kept: 0, net: 0 }));
    return row;
  }

  private cohort(cohort: number, age: number): CohortRow {
    const key = `${cohort}|${age}`;
    let row = this.cohorts.get(key);
    if (!row) this.cohorts.set(key, (row = { cohort, age, active: 0, active_tail: 0 }));
    return row;
  }

  /** Add a customer's contribution (`sign` 1), or take it away (−1). */
  add(s: CustomerState, sign: 1 | -1): void {
    this.month(s.first, LOGOS).new_customers += sign;
    const explicit = s.tail - s.first;
    for (let i = 0; i < explicit; i++) {
      const m = s.first + i;
      if (s.active[i]) this.month(m, LOGOS).active += sign;
      if (s.inMonth[i]) this.cohort(s.first, i).active += sign;
      for (const [currency, v] of Object.entries(s.mrr[i] ?? {})) this.month(m, currency).mrr += sign * v;
    }
    if (s.tailActive) {
      this.month(s.tail, LOGOS).active_tail += sign;
      this.cohort(s.first, explicit).active_tail += sign;
    }
    for (const [currency, v] of Object.entries(s.tailMrr)) this.month(s.tail, currency).mrr_tail += sign * v;

    // Pairs that start in an explicit month; pairs that start in the tail come from the tail sums.
    for (let i = 0; i < explicit; i++) {
      const a = s.first + i;
      const activeA = s.active[i] === true;
      const mrrA = Object.entries(s.mrr[i] ?? {});
      if (!activeA && mrrA.length === 0) continue;
      for (const lag of this.lags ?? ALL_LAGS) {
        const j = i + lag;
        const activeB = j < explicit ? s.active[j] === true : s.tailActive;
        const mrrB = j < explicit ? (s.mrr[j] ?? {}) : s.tailMrr;
        if (activeA && activeB) this.pair(a, lag, LOGOS).retained += sign;
        for (const [currency, v] of mrrA) {
          const b = mrrB[currency] ?? 0;
          const row = this.pair(a, lag, currency);
          row.kept += sign * Math.min(v, b);
          row.net += sign * b;
        }
      }
    }
  }

  /** The change from `before` to `after` (either may be absent). */
  change(before: CustomerState | null, after: CustomerState | null): void {
    if (before) this.add(before, -1);
    if (after) this.add(after, 1);
  }

  /** Cells that changed (zeros dropped), as rows. */
  rows(): { months: MonthRow[]; retention: RetentionRow[]; cohorts: CohortRow[] } {
    return {
      months: [...this.months.values()].filter((r) => r.active || r.active_tail || r.new_customers || r.mrr || r.mrr_tail),
      retention: [...this.retention.values()].filter((r) => r.retained || r.kept || r.net),
      cohorts: [...this.cohorts.values()].filter((r) => r.active || r.active_tail),
    };
  }
}

// ---------------------------------------------------------------- reading

export interface PeriodFigures {
  /** Customers active at the start (the end of the month before) and at the end. */
  activeStart: number;
  activeEnd: number;
  /** First purchases or sign-ups in the period. */
  newCustomers: number;
  /** Active at the start and not at the end. */
  lost: number;
  /** 100 · lost ÷ activeStart; null without customers at the start. */
  logoChurnPct: number | null;
  revenue: RevenueFigures[];
}

export interface RevenueFigures {
  currency: string;
  /** Thousandths of the unit. */
  mrrStart: number;
  mrrEnd: number;
  /** MRR at the end of the customers who had MRR at the start, each capped at their start MRR (GRR's numerator). */
  kept: number;
  /** MRR at the end of the customers who had MRR at the start (NRR's numerator). */
  net: number;
  grrPct: number | null;
  nrrPct: number | null;
}

export interface CohortLine {
  cohort: number;
  size: number;
  /** Customers who bought in the month or were subscribed at its end, at age 0, 1, … (up to the last month asked for). */
  active: number[];
}

const sumUpTo = (rows: Map<number, number>, upTo: number): number => {
  let s = 0;
  for (const [m, v] of rows) if (m <= upTo) s += v;
  return s;
};

/** The rollup tables (or a segment's contributions) read back into figures. */
export class RetentionCube {
  private readonly active = new Map<number, number>();
  private readonly activeTail = new Map<number, number>();
  private readonly fresh = new Map<number, number>();
  private readonly mrr = new Map<string, Map<number, number>>();
  private readonly mrrTail = new Map<string, Map<number, number>>();
  private readonly pairs = new Map<string, RetentionRow>();
  private readonly cohortCells = new Map<string, CohortRow>();

  constructor(months: readonly MonthRow[], retention: readonly RetentionRow[], cohorts: readonly CohortRow[]) {
    const bump = (map: Map<number, number>, k: number, v: number) => {
      if (v !== 0) map.set(k, (map.get(k) ?? 0) + v);
    };
    const per = (map: Map<string, Map<number, number>>, currency: string) => {
      let m = map.get(currency);
      if (!m) map.set(currency, (m = new Map()));
      return m;
    };
    for (const r of months) {
      if (r.currency === LOGOS) {
        bump(this.active, r.month, r.active);
        bump(this.activeTail, r.month, r.active_tail);
        bump(this.fresh, r.month, r.new_customers);
      } else {
        bump(per(this.mrr, r.currency), r.month, r.mrr);
        bump(per(this.mrrTail, r.currency), r.month, r.mrr_tail);
      }
    }
    for (const r of retention) this.pairs.set(`${r.month}|${r.lag_months}|${r.currency}`, r);
    for (const r of cohorts) this.cohortCells.set(`${r.cohort}|${r.age}`, r);
  }

  /** Currencies that ever had MRR. */
  currencies(): string[] {
    return [...new Set([...this.mrr.keys(), ...this.mrrTail.keys()])].sort();
  }

  activeAt(m: number): number {
    return (this.active.get(m) ?? 0) + sumUpTo(this.activeTail, m);
  }

  newIn(m: number): number {
    return this.fresh.get(m) ?? 0;
  }

  mrrAt(m: number, currency: string): number {
    return (this.mrr.get(currency)?.get(m) ?? 0) + sumUpTo(this.mrrTail.get(currency) ?? new Map(), m);
  }

  /** Customers active at the end of `a` and of `a + lag`. */
  retained(a: number, lag: number): number {
    return (this.pairs.get(`${a}|${lag}|${LOGOS}`)?.retained ?? 0) + sumUpTo(this.activeTail, a);
  }

  /** GRR's and NRR's numerators from the end of `a` to the end of `a + lag`. */
  revenueKept(a: number, lag: number, currency: string): { kept: number; net: number } {
    const row = this.pairs.get(`${a}|${lag}|${currency}`);
    const tail = sumUpTo(this.mrrTail.get(currency) ?? new Map(), a);
    return { kept: (row?.kept ?? 0) + tail, net: (row?.net ?? 0) + tail };
  }

  /** The figures of months span.first … span.last. */
  period(span: MonthSpan): PeriodFigures {
    const a = span.first - 1;
    const lag = span.last - a;
    if (lag < 1 || lag > MAX_LAG) throw new RangeError(`a period covers 1 to ${MAX_LAG} months, got ${lag}`);
    const activeStart = this.activeAt(a);
    const lost = activeStart - this.retained(a, lag);
    let newCustomers = 0;
    for (let m = span.first; m <= span.last; m++) newCustomers += this.newIn(m);
    const revenue = this.currencies().map((currency) => {
      const mrrStart = this.mrrAt(a, currency);
      const { kept, net } = this.revenueKept(a, lag, currency);
      return {
        currency,
        mrrStart,
        mrrEnd: this.mrrAt(span.last, currency),
        kept,
        net,
        grrPct: mrrStart > 0 ? (100 * kept) / mrrStart : null,
        nrrPct: mrrStart > 0 ? (100 * net) / mrrStart : null,
      };
    });
    return { activeStart, activeEnd: this.activeAt(span.last), newCustomers, lost, logoChurnPct: activeStart > 0 ? (100 * lost) / activeStart : null, revenue };
  }

  /** Cohorts first…last, each with its customers active in the month at ages 0 … (upTo − cohort). */
  cohorts(first: number, last: number, upTo: number): CohortLine[] {
    const out: CohortLine[] = [];
    for (let c = first; c <= last; c++) {
      const active: number[] = [];
      let tail = 0;
      for (let k = 0; c + k <= upTo; k++) {
        const cell = this.cohortCells.get(`${c}|${k}`);
        tail += cell?.active_tail ?? 0;
        active.push((cell?.active ?? 0) + tail);
      }
      out.push({ cohort: c, size: this.newIn(c), active });
    }
    return out;
  }
}
