/**
 * Labelled snapshots from customer histories, for learning health weights and backtesting
 * them (pure: no I/O).
 *
 * Snapshots are taken every `stepDays` going back from the last date whose label window has
 * closed (asOf − H); a customer contributes a snapshot on each such date on which they were
 * active (history.ts), labelled with whether they churned within H days after it. P(alive) and
 * the chance of an order in the next 90 days on a date come from a BG/NBD fitted to the
 * purchases made by that date (no peeking ahead).
 *
 * The backtest cut: test on the snapshots of the last `testDays` of closed windows, train on
 * those whose window closed by the cut (evaluate.ts `timeSplit`).
 */
import { bgNbdPAlive, bgNbdProbabilityOfPurchase, fitBgNbd, summariseTransactions, type BgNbdParams } from '../clv/index.js';
import { chooseHealthModel, type HealthSnapshot, type ModelChoice, type SwitchRule } from '../health/index.js';
import { activeAt, churnedAfter, DAY_MS, ordersBy, signalsAt, type CustomerHistory, type InsightSettings, type PurchaseOutlook } from './history.js';

export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** BG/NBD summary (weeks) of a customer's purchases up to `t`; undefined without any. */
export function summaryAt(h: CustomerHistory, t: number): { frequency: number; recency: number; T: number; monetaryValue: number } | undefined {
  const orders = ordersBy(h, t);
  if (orders.length === 0) return undefined;
  const [row] = summariseTransactions(
    orders.map((o) => ({ customerId: h.customerId, date: isoDay(o.at), amount: o.amount })),
    { calibrationEnd: isoDay(t), period: 'week' },
  );
  return row;
}

/** A BG/NBD fitted to the purchases made by `t` (undefined when the data do not identify it). */
export function fitPurchasesAt(histories: readonly CustomerHistory[], t: number): BgNbdParams | undefined {
  const rows = histories.map((h) => summaryAt(h, t)).filter((r): r is NonNullable<typeof r> => r !== undefined);
  if (rows.length < 30 || !rows.some((r) => r.frequency > 0)) return undefined;
  try {
    return fitBgNbd({ frequency: rows.map((r) => r.frequency), recency: rows.map((r) => r.recency), T: rows.map((r) => r.T) }).params;
  } catch {
    return undefined;
  }
}

/** The 90 days of `pOrderNext90d`, in the summaries' periods (weeks). */
export const ORDER_OUTLOOK_WEEKS = 90 / 7;

/** The purchase outlook of a customer whose summary (weeks) is `s`, under `params`; nulls without either. */
export function purchaseOutlook(params: BgNbdParams | undefined | null, s: { frequency: number; recency: number; T: number } | undefined): PurchaseOutlook {
  if (!params || !s) return { pAlive: null, pOrderNext90d: null };
  return { pAlive: bgNbdPAlive(params, s.frequency, s.recency, s.T), pOrderNext90d: bgNbdProbabilityOfPurchase(params, ORDER_OUTLOOK_WEEKS, s.frequency, s.recency, s.T) };
}

/** The purchase outlook on `t` under `params` (fitted to the purchases made by `t`). */
export const purchaseOutlookAt = (h: CustomerHistory, t: number, params: BgNbdParams | undefined): PurchaseOutlook => purchaseOutlook(params, params ? summaryAt(h, t) : undefined);

export interface SnapshotPlan {
  asOf: number;
  horizonDays: number;
  /** Days between snapshot dates (default 28). */
  stepDays?: number;
  /** The earliest snapshot date. */
  from: number;
}

/** Snapshot dates, newest first: asOf − H, then every stepDays back to `from`. */
export function snapshotDates(plan: SnapshotPlan): number[] {
  const step = (plan.stepDays ?? 28) * DAY_MS;
  const out: number[] = [];
  for (let t = plan.asOf - plan.horizonDays * DAY_MS; t >= plan.from; t -= step) out.push(t);
  return out;
}

/** Labelled snapshots of the histories on every date (a BG/NBD fitted per date on the same histories). */
export function labelledSnapshots(histories: readonly CustomerHistory[], dates: readonly number[], settings: InsightSettings): HealthSnapshot[] {
  const out: HealthSnapshot[] = [];
  for (const t of dates) {
    const params = fitPurchasesAt(histories, t);
    for (const h of histories) {
      if (!activeAt(h, t, settings)) continue;
      out.push({ customerId: h.customerId, at: new Date(t).toISOString(), signals: signalsAt(h, t, purchaseOutlookAt(h, t, params), settings), churned: churnedAfter(h, t, settings.horizonDays) });
    }
  }
  return out;
}

export interface LearnPlan {
  asOf: number;
  settings: InsightSettings;
  /** Days of closed label windows to test on (default 84: three snapshot dates). */
  testDays?: number;
  stepDays?: number;
  rule?: SwitchRule;
  seed?: number;
}

export interface Learnt {
  choice: ModelChoice;
  snapshots: number;
  events: number;
  cut: string;
  dates: { from: string; to: string; count: number };
}

/**
 * Snapshots from the histories (a sample of the workspace), then the defaults or learnt
 * weights by the switch rule on a time-split backtest.
 */
export function learnFromHistories(histories: readonly CustomerHistory[], plan: LearnPlan): Learnt {
  const { settings } = plan;
  let first = Infinity;
  for (const h of histories) for (const o of h.orders) first = Math.min(first, o.at);
  for (const h of histories) for (const s of h.subscriptions) first = Math.min(first, s.startedAt);
  // Give P(alive) and the 8-week usage trend some history before the first snapshot.
  const from = Number.isFinite(first) ? first + 90 * DAY_MS : plan.asOf;
  const dates = snapshotDates({ asOf: plan.asOf, horizonDays: settings.horizonDays, stepDays: plan.stepDays ?? 28, from });
  const snapshots = labelledSnapshots(histories, dates, settings);
  const cutMs = plan.asOf - settings.horizonDays * DAY_MS - (plan.testDays ?? 84) * DAY_MS;
  const cut = new Date(cutMs).toISOString();
  const choice = chooseHealthModel(snapshots, {
    cut,
    horizonDays: settings.horizonDays,
    asOf: new Date(plan.asOf).toISOString(),
    seed: plan.seed ?? 1,
    ...(plan.rule ? { rule: plan.rule } : {}),
  });
  return {
    choice,
    snapshots: snapshots.length,
    events: snapshots.reduce((n, s) => n + (s.churned ? 1 : 0), 0),
    cut,
    dates: { from: dates.length ? new Date(dates[dates.length - 1] as number).toISOString() : cut, to: dates.length ? new Date(dates[0] as number).toISOString() : cut, count: dates.length },
  };
}
