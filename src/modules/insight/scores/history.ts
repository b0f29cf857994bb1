/**
 * One customer's history as the health score reads it, and what it says "as of" a moment:
 * the signals (health/signals.ts), whether the customer was a customer then, and whether they
 * churned in the horizon after it. The same functions build today's scores and the labelled
 * snapshots of the past that weights are learnt and backtested on. Pure: no I/O.
 *
 * Churn (logo churn, PRODUCT.md): a customer is **active** on day T when they have a live
 * subscription on T (started on or before T, not cancelled by T) or placed an order in the
 * `activeDays` (default 180) up to T. An active customer **churned within H days** of T when,
 * in (T, T + H], they placed no order and had no live subscription at T + H: they stopped
 * paying. Failed or refunded orders do not count as orders.
 */
import { z } from 'zod';
import { usageTrend, type Signals } from '../health/index.js';

export const DAY_MS = 86_400_000;

export interface HistoryOrder {
  at: number;
  amount: number;
  currency: string | null;
}

export interface HistorySubscription {
  startedAt: number;
  /** null: still live (or its end is unknown and it is not counted; see `ended`). */
  canceledAt: number | null;
  /** Cancelled, ended or expired without a date: never counted as live. */
  endedWithoutDate: boolean;
}

export interface HistoryTicket {
  openedAt: number;
  firstResponseAt: number | null;
}

export interface HistoryAnswer {
  at: number;
  nps: number | null;
  csat: number | null;
  /** −1…1, for answers with open text. */
  sentiment: number | null;
}

/** Everything about one customer (the identity graph's root) the score reads. Arrays in any order. */
export interface CustomerHistory {
  customerId: string;
  name: string | null;
  /** The CRM account (source:id) the customer belongs to, if any. */
  accountId: string | null;
  /** When the customer first appeared (sign-up, first contact record); null: unknown. */
  createdAt: number | null;
  orders: HistoryOrder[];
  subscriptions: HistorySubscription[];
  tickets: HistoryTicket[];
  answers: HistoryAnswer[];
  /** Times of follow-up SLA breaches (first contact or resolution). */
  breaches: number[];
  /** Times of failed payments (failed orders, `Payment Failed` events). */
  paymentFailures: number[];
  /** Activity per UTC day (day number since 1970): tracked events, page views, web visits. */
  activity: Map<number, number>;
}

export const ZInsightSettings = z
  .object({
    /** The label's horizon: churn within this many days. */
    horizonDays: z.number().int().min(14).max(365).default(90),
    /** An order in this many days before a moment makes the customer active then. */
    activeDays: z.number().int().min(14).max(730).default(180),
    /** A ticket whose first response came later than this (wall-clock hours) counts as an SLA breach. */
    ticketFirstResponseHours: z.number().min(0.25).max(24 * 30).default(24),
    /** Hour of the day (UTC) the daily refresh runs. */
    refreshHourUtc: z.number().int().min(0).max(23).default(3),
    /** Weekly snapshots kept per customer. */
    snapshotWeeks: z.number().int().min(2).max(260).default(26),
  })
  .strict();
export type InsightSettings = z.infer<typeof ZInsightSettings>;
export const DEFAULT_INSIGHT_SETTINGS: InsightSettings = ZInsightSettings.parse({});

const countIn = (times: readonly number[], from: number, to: number) => times.reduce((n, t) => n + (t > from && t <= to ? 1 : 0), 0);

function liveAt(s: HistorySubscription, t: number): boolean {
  if (s.endedWithoutDate) return false;
  return s.startedAt <= t && (s.canceledAt === null || s.canceledAt > t);
}

/** Whether the customer had a live subscription on `t`. */
export const subscribedAt = (h: CustomerHistory, t: number): boolean => h.subscriptions.some((s) => liveAt(s, t));

/** Whether the customer was a customer on `t` (see the file's comment). */
export function activeAt(h: CustomerHistory, t: number, settings: Pick<InsightSettings, 'activeDays'> = DEFAULT_INSIGHT_SETTINGS): boolean {
  if (subscribedAt(h, t)) return true;
  const from = t - settings.activeDays * DAY_MS;
  return h.orders.some((o) => o.at > from && o.at <= t);
}

/** For a customer active on `t`: did they churn in (t, t + H]? */
export function churnedAfter(h: CustomerHistory, t: number, horizonDays: number): boolean {
  const end = t + horizonDays * DAY_MS;
  if (h.orders.some((o) => o.at > t && o.at <= end)) return false;
  return !h.subscriptions.some((s) => liveAt(s, end));
}

/** When the customer is first known to exist: sign-up, first order, subscription or ticket. */
export function firstSeen(h: CustomerHistory): number | null {
  let first = h.createdAt ?? Infinity;
  for (const o of h.orders) first = Math.min(first, o.at);
  for (const s of h.subscriptions) first = Math.min(first, s.startedAt);
  for (const k of h.tickets) first = Math.min(first, k.openedAt);
  return Number.isFinite(first) ? first : null;
}

function latest(answers: readonly HistoryAnswer[], key: 'nps' | 'csat', from: number, to: number): number | null {
  let best: HistoryAnswer | undefined;
  for (const a of answers) if (a[key] !== null && a.at > from && a.at <= to && (!best || a.at > best.at)) best = a;
  return best ? (best[key] as number) : null;
}

function meanSentiment(answers: readonly HistoryAnswer[], from: number, to: number): number | null {
  let sum = 0;
  let n = 0;
  for (const a of answers)
    if (a.sentiment !== null && a.at > from && a.at <= to) {
      sum += a.sentiment;
      n++;
    }
  return n ? sum / n : null;
}

function activityIn(activity: ReadonlyMap<number, number>, fromDay: number, toDay: number): number {
  let n = 0;
  for (const [day, count] of activity) if (day >= fromDay && day < toDay) n += count;
  return n;
}

/**
 * SLA breaches on `t`'s side of time: follow-up breaches, and tickets whose first response
 * came (or has not come by `t`) later than the target; a ticket's breach happens at
 * openedAt + target.
 */
export function breachTimes(h: CustomerHistory, t: number, targetHours: number): number[] {
  const target = targetHours * 3_600_000;
  const out = h.breaches.filter((b) => b <= t);
  for (const k of h.tickets) {
    const due = k.openedAt + target;
    if (due > t) continue;
    if (k.firstResponseAt === null || k.firstResponseAt > due) out.push(due);
  }
  return out;
}

/** What the purchase model (BG/NBD fitted to the orders placed by `t`) says of a customer on `t`; nulls without orders or without a model. */
export interface PurchaseOutlook {
  pAlive: number | null;
  /** P(at least one order in the 90 days after `t`). */
  pOrderNext90d: number | null;
}

/**
 * The signals of a customer on `t`, from what had happened by then and nothing later: every
 * count and time is bounded by `t`, and tracked activity, which is kept per UTC day, counts
 * only days that had ended by `t` (an event later on `t`'s own day is after `t`). The
 * purchase outlook comes from the CLV model (it needs the workspace's fit as of `t`).
 */
export function signalsAt(h: CustomerHistory, t: number, outlook: PurchaseOutlook | null, settings: Pick<InsightSettings, 'ticketFirstResponseHours'> = DEFAULT_INSIGHT_SETTINGS): Signals {
  /** The first day not over by `t`: days before it are complete. */
  const day = Math.floor(t / DAY_MS);
  const ninety = 90 * DAY_MS;
  const recent = meanSentiment(h.answers, t - ninety, t);
  const before = meanSentiment(h.answers, t - 2 * ninety, t - ninety);
  let everActive = false;
  let lastActivity = -Infinity;
  for (const [d] of h.activity)
    if (d < day) {
      everActive = true;
      lastActivity = Math.max(lastActivity, (d + 1) * DAY_MS);
    }
  for (const o of h.orders) if (o.at <= t) lastActivity = Math.max(lastActivity, o.at);
  for (const a of h.answers) if (a.at <= t) lastActivity = Math.max(lastActivity, a.at);
  for (const k of h.tickets) if (k.openedAt <= t) lastActivity = Math.max(lastActivity, k.openedAt);
  const first = firstSeen(h);
  return {
    npsLast: latest(h.answers, 'nps', t - 180 * DAY_MS, t),
    csatLast: latest(h.answers, 'csat', t - 180 * DAY_MS, t),
    // With no answer in the 90 days before, the trend is measured against neutral (0).
    sentimentTrend: recent === null ? null : recent - (before ?? 0),
    ticketsLast30d: countIn(
      h.tickets.map((k) => k.openedAt),
      t - 30 * DAY_MS,
      t,
    ),
    slaBreachesLast30d: countIn(breachTimes(h, t, settings.ticketFirstResponseHours), t - 30 * DAY_MS, t),
    usageTrend: everActive ? usageTrend(activityIn(h.activity, day - 28, day), activityIn(h.activity, day - 56, day - 28)) : null,
    pAlive: outlook?.pAlive ?? null,
    pOrderNext90d: outlook?.pOrderNext90d ?? null,
    liveSubscription: subscribedAt(h, t) ? 1 : h.subscriptions.some((s) => s.startedAt <= t) ? 0 : null,
    paymentFailuresLast90d: countIn(h.paymentFailures, t - ninety, t),
    tenureDays: first === null || first > t ? null : (t - first) / DAY_MS,
    daysSinceLastActivity: Number.isFinite(lastActivity) ? Math.max(0, (t - lastActivity) / DAY_MS) : null,
  };
}

/** The customer's orders before or on `t` (for the CLV summary as of `t`). */
export const ordersBy = (h: CustomerHistory, t: number): HistoryOrder[] => h.orders.filter((o) => o.at <= t);

/** The most common currency of a customer's orders (ties: the first seen); null without orders. */
export function mainCurrency(orders: readonly HistoryOrder[]): string | null {
  const counts = new Map<string, number>();
  for (const o of orders) if (o.currency) counts.set(o.currency, (counts.get(o.currency) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [c, k] of counts) if (k > n) [best, n] = [c, k];
  return best;
}
