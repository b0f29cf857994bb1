/**
 * Signals and labels "as of" a moment see nothing after it: adding anything that happens after
 * T (orders, subscriptions, cancellations, tickets, answers, breaches, failed payments, tracked
 * activity, even later on T's own day) leaves every signal as of T, and the purchase model
 * fitted as of T, exactly as they were. The label reads only (T, T + H].
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../../platform/random.js';
import { activeAt, churnedAfter, DAY_MS, signalsAt, type CustomerHistory } from './history.js';
import { fitPurchasesAt, purchaseOutlookAt } from './learning.js';

const HOUR = 3_600_000;
/** Wednesday 4 March 2026, 15:00 UTC: in the middle of a day, so that the rest of the day is after T. */
const T = Date.UTC(2026, 2, 4, 15);
const from = T - 400 * DAY_MS;

const between = (rng: Random, a: number, b: number) => Math.round(a + (b - a) * rng.next());

function empty(id: string): CustomerHistory {
  return { customerId: id, name: null, accountId: null, createdAt: null, orders: [], subscriptions: [], tickets: [], answers: [], breaches: [], paymentFailures: [], activity: new Map() };
}

/** `n` things that happen on [a, b] (orders only with `orders`), pushed into the history. */
function addEvents(h: CustomerHistory, rng: Random, a: number, b: number, n: number, orders = true): void {
  for (let i = 0; i < n; i++) {
    const at = between(rng, a, b);
    switch (i % 8) {
      case 0:
      case 1:
        if (orders) h.orders.push({ at, amount: between(rng, 10, 90), currency: 'EUR' });
        break;
      case 2: {
        const canceled = rng.next() < 0.5 ? at + between(rng, 1, 200) * DAY_MS : null;
        h.subscriptions.push({ startedAt: at, canceledAt: canceled, endedWithoutDate: false });
        break;
      }
      case 3:
        h.tickets.push({ openedAt: at, firstResponseAt: rng.next() < 0.8 ? at + between(rng, 1, 60) * HOUR : null });
        break;
      case 4:
        h.answers.push({ at, nps: between(rng, 0, 10), csat: rng.next() < 0.5 ? between(rng, 1, 5) : null, sentiment: rng.next() * 2 - 1 });
        break;
      case 5:
        h.breaches.push(at);
        break;
      case 6:
        h.paymentFailures.push(at);
        break;
      case 7: {
        const day = Math.floor(at / DAY_MS);
        h.activity.set(day, (h.activity.get(day) ?? 0) + between(rng, 1, 5));
        break;
      }
    }
  }
}

function copy(h: CustomerHistory): CustomerHistory {
  return {
    ...h,
    orders: [...h.orders],
    subscriptions: h.subscriptions.map((s) => ({ ...s })),
    tickets: [...h.tickets],
    answers: [...h.answers],
    breaches: [...h.breaches],
    paymentFailures: [...h.paymentFailures],
    activity: new Map(h.activity),
  };
}

/** The same customers, with more happening after T: the rest of T's day, and the next 200 days. */
function withFuture(histories: readonly CustomerHistory[], seed: number): CustomerHistory[] {
  const rng = seededRandom(seed);
  return histories.map((h) => {
    const later = copy(h);
    addEvents(later, rng, T + 1, (Math.floor(T / DAY_MS) + 1) * DAY_MS - 1, 8);
    addEvents(later, rng, T + 1, T + 200 * DAY_MS, 24);
    // a live subscription cancelled after T, and activity later on T's own day
    for (const s of later.subscriptions) if (s.startedAt <= T && s.canceledAt === null && rng.next() < 0.5) s.canceledAt = T + between(rng, 1, 3 * HOUR);
    const today = Math.floor(T / DAY_MS);
    later.activity.set(today, (later.activity.get(today) ?? 0) + 7);
    return later;
  });
}

/** Customers who buy as BG/NBD has it (exponential gaps at a rate of their own, gone after each purchase with a probability of their own), with everything else at random. */
function population(n: number, seed: number): CustomerHistory[] {
  const rng = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const h = empty(`c${i}`);
    h.createdAt = between(rng, from, T - 30 * DAY_MS);
    const gapDays = 10 + 80 * rng.next();
    const dropout = 0.6 * rng.next() ** 2;
    for (let at = h.createdAt; at <= T; at += -Math.log(1 - rng.next()) * gapDays * DAY_MS) {
      h.orders.push({ at: Math.round(at), amount: between(rng, 10, 90), currency: 'EUR' });
      if (h.orders.length > 1 && rng.next() < dropout) break;
    }
    addEvents(h, rng, h.createdAt, T, between(rng, 1, 30), false);
    return h;
  });
}

describe('signals as of T', () => {
  const before = population(300, 1);
  const after = withFuture(before, 2);

  it('do not change when anything after T is added, even later on the same day', () => {
    let changedHistories = 0;
    for (let i = 0; i < before.length; i++) {
      const b = before[i] as CustomerHistory;
      const a = after[i] as CustomerHistory;
      if (a.orders.length > b.orders.length) changedHistories++;
      const outlook = { pAlive: 0.5, pOrderNext90d: 0.4 };
      expect(signalsAt(a, T, outlook), b.customerId).toEqual(signalsAt(b, T, outlook));
      expect(activeAt(a, T)).toBe(activeAt(b, T));
    }
    expect(changedHistories).toBe(before.length);
  });

  it('see what happened by T (the test above is not comparing nothing)', () => {
    const h = empty('c');
    h.orders.push({ at: T - 10 * DAY_MS, amount: 20, currency: 'EUR' });
    h.subscriptions.push({ startedAt: T - 40 * DAY_MS, canceledAt: T + HOUR, endedWithoutDate: false });
    h.paymentFailures.push(T - DAY_MS);
    h.activity.set(Math.floor(T / DAY_MS) - 1, 3);
    h.answers.push({ at: T - 2 * DAY_MS, nps: 4, csat: null, sentiment: -0.5 });
    const s = signalsAt(h, T, null);
    expect(s).toMatchObject({ npsLast: 4, liveSubscription: 1, paymentFailuresLast90d: 1, sentimentTrend: -0.5, pAlive: null, pOrderNext90d: null });
    // yesterday's activity ended at midnight, 15 hours before T
    expect(s.daysSinceLastActivity).toBeCloseTo(15 / 24, 12);
    expect(s.usageTrend).toBeCloseTo(Math.log(4), 12);
    // the subscription cancelled an hour after T is no longer live then
    expect(signalsAt(h, T + 2 * HOUR, null).liveSubscription).toBe(0);
  });

  it('activity on T’s own day counts only once the day is over (it is kept per day, not per moment)', () => {
    const h = empty('c');
    h.activity.set(Math.floor(T / DAY_MS), 5);
    expect(signalsAt(h, T, null)).toMatchObject({ usageTrend: null, daysSinceLastActivity: null });
    const midnight = (Math.floor(T / DAY_MS) + 1) * DAY_MS;
    expect(signalsAt(h, midnight, null)).toMatchObject({ usageTrend: Math.log(6), daysSinceLastActivity: 0 });
  });

  it('the purchase model fitted as of T, and each customer’s outlook under it, ignore orders after T', () => {
    const paramsBefore = fitPurchasesAt(before, T);
    const paramsAfter = fitPurchasesAt(after, T);
    expect(paramsBefore).toBeDefined();
    expect(paramsAfter).toEqual(paramsBefore);
    for (let i = 0; i < before.length; i++) expect(purchaseOutlookAt(after[i] as CustomerHistory, T, paramsAfter)).toEqual(purchaseOutlookAt(before[i] as CustomerHistory, T, paramsBefore));
    // and the fit does see the future when asked about a later date
    expect(fitPurchasesAt(after, T + 200 * DAY_MS)).not.toEqual(paramsBefore);
  });
});

describe('the churn label of a snapshot on T', () => {
  const base = () => {
    const h = empty('c');
    h.orders.push({ at: T - 20 * DAY_MS, amount: 20, currency: 'EUR' });
    return h;
  };

  it('reads only (T, T + H]: an order inside keeps the customer, one before or after does not', () => {
    expect(churnedAfter(base(), T, 90)).toBe(true);
    const inside = base();
    inside.orders.push({ at: T + 89 * DAY_MS, amount: 5, currency: 'EUR' });
    expect(churnedAfter(inside, T, 90)).toBe(false);
    const later = base();
    later.orders.push({ at: T + 91 * DAY_MS, amount: 5, currency: 'EUR' });
    expect(churnedAfter(later, T, 90)).toBe(true);
    const onT = base();
    onT.orders.push({ at: T, amount: 5, currency: 'EUR' });
    expect(churnedAfter(onT, T, 90)).toBe(true);
  });

  it('a subscription keeps the customer only while it is live at T + H', () => {
    const kept = base();
    kept.subscriptions.push({ startedAt: T - 100 * DAY_MS, canceledAt: T + 120 * DAY_MS, endedWithoutDate: false });
    expect(churnedAfter(kept, T, 90)).toBe(false);
    const cancelled = base();
    cancelled.subscriptions.push({ startedAt: T - 100 * DAY_MS, canceledAt: T + 60 * DAY_MS, endedWithoutDate: false });
    expect(churnedAfter(cancelled, T, 90)).toBe(true);
    // subscribed at T, yet churned: the signal and the label are not the same thing
    expect(signalsAt(cancelled, T, null).liveSubscription).toBe(1);
    // ended by T + H; never subscribed is unknown, not "ended"
    expect(signalsAt(cancelled, T + 90 * DAY_MS, null).liveSubscription).toBe(0);
    expect(signalsAt(base(), T, null).liveSubscription).toBeNull();
  });
});
