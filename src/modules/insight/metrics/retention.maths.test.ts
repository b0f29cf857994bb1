/**
 * Retention maths against a small company worked out by hand (months of 2026, USD unless said),
 * with orders keeping a customer active for three months (the default is twelve; the maths is
 * the same, and three keeps the hand computation short):
 *
 *   A  subscribes 10 Jan at 100, never cancels
 *   B  subscribes 5 Jan at 50, upgrades to 80 on 15 Mar, cancels 20 May
 *   C  orders on 3 and 20 Feb (EUR), nothing else: active at the ends of Feb, Mar, Apr
 *   D  orders 15 Jan (active Jan–Mar), subscribes 10 Jun at 20
 *
 *   active at month end   Jan 3 (A B D)  Feb 4  Mar 4  Apr 3 (A B C)  May 1 (A)  Jun 2 (A D)  Jul 2
 *   MRR (USD)             Jan 150  Feb 150  Mar 180  Apr 180  May 100  Jun 120  Jul 120
 *   new customers         Jan 3, Feb 1
 */
import { describe, expect, it } from 'vitest';
import { billingItem, toMilli, type BillingItem } from './billing.items.js';
import { completeMonths, monthOf, parseMonth, previousSpan } from './periods.js';
import { ACTIVE_MONTHS, customerState, MAX_LAG, RetentionCube, RetentionDelta } from './retention.maths.js';

const at = (month: number, day: number) => Date.UTC(2026, month - 1, day, 12);
const M = (label: string) => parseMonth(label) as number;
const sub = (customerId: string, start: number, mrr: number, opts: { end?: number; changes?: { at: number; mrr: number }[]; currency?: string } = {}): BillingItem =>
  billingItem(
    'subscription',
    { customerId, plan: 'p', mrr: opts.changes?.at(-1)?.mrr ?? mrr, startMrr: mrr, currency: opts.currency ?? 'USD', status: opts.end ? 'canceled' : 'active', startedAt: start, canceledAt: opts.end ?? null, changes: opts.changes ?? [] },
    0,
    null,
  ) as BillingItem;
const order = (customerId: string, placedAt: number, currency = 'USD'): BillingItem => billingItem('order', { customerId, placedAt, total: 10, currency }, 0, null) as BillingItem;

const company: Record<string, BillingItem[]> = {
  A: [sub('A', at(1, 10), 100)],
  B: [sub('B', at(1, 5), 50, { changes: [{ at: at(3, 15), mrr: 80 }], end: at(5, 20) })],
  C: [order('C', at(2, 3), 'EUR'), order('C', at(2, 20), 'EUR')],
  D: [order('D', at(1, 15)), sub('D', at(6, 10), 20)],
};

function cubeOf(delta: RetentionDelta): RetentionCube {
  const rows = delta.rows();
  return new RetentionCube(rows.months, rows.retention, rows.cohorts);
}

const WINDOW = 3;

function build(customers: Record<string, BillingItem[]>, window = WINDOW): RetentionCube {
  const delta = new RetentionDelta();
  for (const items of Object.values(customers)) delta.change(null, customerState(items, window));
  return cubeOf(delta);
}

describe('retention maths', () => {
  const cube = build(company);
  const usd = (s: { first: number; last: number }) => cube.period(s).revenue.find((r) => r.currency === 'USD');

  it('active and new customers and MRR at each month end', () => {
    const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2027-06'].map(M);
    expect(months.map((m) => cube.activeAt(m))).toEqual([3, 4, 4, 3, 1, 2, 2, 2]);
    expect(months.map((m) => cube.mrrAt(m, 'USD') / 1000)).toEqual([150, 150, 180, 180, 100, 120, 120, 120]);
    expect(cube.newIn(M('2026-01'))).toBe(3);
    expect(cube.newIn(M('2026-02'))).toBe(1);
    expect(cube.activeAt(M('2025-12'))).toBe(0);
    // C's orders are in euros and carry no MRR: no EUR line.
    expect(cube.currencies()).toEqual(['USD']);
  });

  it('logo churn: March none lost, May 2 of 3, Q2 2 of 4 (D was away in April and May but back by June)', () => {
    expect(cube.period({ first: M('2026-03'), last: M('2026-03') })).toMatchObject({ activeStart: 4, activeEnd: 4, lost: 0, logoChurnPct: 0, newCustomers: 0 });
    const may = cube.period({ first: M('2026-05'), last: M('2026-05') });
    expect(may).toMatchObject({ activeStart: 3, activeEnd: 1, lost: 2 });
    expect(may.logoChurnPct).toBeCloseTo(200 / 3, 10);
    expect(cube.period({ first: M('2026-04'), last: M('2026-06') })).toMatchObject({ activeStart: 4, activeEnd: 2, lost: 2, logoChurnPct: 50 });
    expect(cube.period({ first: M('2026-01'), last: M('2026-02') })).toMatchObject({ activeStart: 0, logoChurnPct: null, newCustomers: 4 });
  });

  it('a delta kept for a few lags (a segment\'s one-off read) gives the figures of the full rollup, a lag asked for twice included', () => {
    for (const span of [{ first: M('2026-03'), last: M('2026-03') }, { first: M('2026-05'), last: M('2026-05') }, { first: M('2026-04'), last: M('2026-06') }]) {
      const length = span.last - span.first + 1;
      const few = new RetentionDelta([1, length]);
      for (const items of Object.values(company)) few.change(null, customerState(items, WINDOW));
      expect(cubeOf(few).period(span)).toEqual(cube.period(span));
    }
  });

  it('GRR and NRR: B upgrading in March is expansion (NRR 120 %, GRR 100 %); B leaving in May costs both', () => {
    expect(usd({ first: M('2026-03'), last: M('2026-03') })).toMatchObject({ mrrStart: toMilli(150), mrrEnd: toMilli(180), kept: toMilli(150), net: toMilli(180), grrPct: 100, nrrPct: 120 });
    const may = usd({ first: M('2026-05'), last: M('2026-05') });
    expect(may?.grrPct).toBeCloseTo(10_000 / 180, 10);
    expect(may?.nrrPct).toBeCloseTo(10_000 / 180, 10);
    // Over Q2, D's new 20 is not retained revenue: D had no MRR at the start.
    const q2 = usd({ first: M('2026-04'), last: M('2026-06') });
    expect(q2).toMatchObject({ mrrStart: toMilli(180), mrrEnd: toMilli(120), kept: toMilli(100), net: toMilli(100) });
    expect(usd({ first: M('2026-01'), last: M('2026-01') })?.grrPct).toBeNull();
  });

  it('cohorts: January (A, B, D) and February (C), who bought in each month or were subscribed at its end', () => {
    // Jan: A, B subscribed, D bought; Feb–Apr: A, B; May: A (B left on 20 May); Jun, Jul: A, D subscribed.
    const lines = cube.cohorts(M('2026-01'), M('2026-02'), M('2026-07'));
    expect(lines).toEqual([
      { cohort: M('2026-01'), size: 3, active: [3, 2, 2, 2, 1, 2, 2] },
      { cohort: M('2026-02'), size: 1, active: [1, 0, 0, 0, 0, 0] },
    ]);
  });

  it('by default an order keeps its customer active for twelve months; cohorts still count the months they bought in', () => {
    const shopper = [order('S', Date.UTC(2025, 0, 20)), order('S', Date.UTC(2025, 10, 2))];
    const state = customerState(shopper);
    expect(state).toMatchObject({ first: M('2025-01'), tail: M('2026-11'), tailActive: false });
    const yearly = build({ S: shopper }, ACTIVE_MONTHS);
    expect([M('2024-12'), M('2025-01'), M('2025-06'), M('2026-10'), M('2026-11')].map((m) => yearly.activeAt(m))).toEqual([0, 1, 1, 1, 0]);
    const [line] = yearly.cohorts(M('2025-01'), M('2025-01'), M('2025-12'));
    expect(line?.active).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  });

  it('a re-sent record that cancels a subscription: the delta equals a rebuild from scratch', () => {
    const delta = new RetentionDelta();
    for (const items of Object.values(company)) delta.change(null, customerState(items, WINDOW));
    // A cancels on 2 July: take A's old state away, add the new one.
    const cancelled = [sub('A', at(1, 10), 100, { end: at(7, 2) })];
    delta.change(customerState(company.A ?? [], WINDOW), customerState(cancelled, WINDOW));
    const incremental = cubeOf(delta);
    const rebuilt = build({ ...company, A: cancelled });
    for (let m = M('2025-12'); m <= M('2028-01'); m++) {
      expect(incremental.activeAt(m)).toBe(rebuilt.activeAt(m));
      expect(incremental.mrrAt(m, 'USD')).toBe(rebuilt.mrrAt(m, 'USD'));
      for (const lag of [1, 3, 12]) expect(incremental.retained(m, lag)).toBe(rebuilt.retained(m, lag));
    }
    expect(incremental.activeAt(M('2026-07'))).toBe(1);
    // Applying the same change twice is not idempotent by itself: that is the caller's stored state's job.
    const same = new RetentionDelta();
    same.change(customerState(cancelled), customerState(cancelled));
    expect(same.rows()).toEqual({ months: [], retention: [], cohorts: [] });
  });

  it('a subscriber of three years contributes a few cells and is exact at every lag up to the maximum', () => {
    const start = Date.UTC(2023, 0, 15);
    const state = customerState([sub('L', start, 40)]);
    expect(state).toMatchObject({ first: monthOf(start), tail: monthOf(start) + 1, tailActive: true });
    const delta = new RetentionDelta();
    delta.change(null, state);
    const rows = delta.rows();
    expect(rows.months.length + rows.retention.length + rows.cohorts.length).toBeLessThan(60);
    const long = cubeOf(delta);
    const a = M('2025-06');
    expect(long.period({ first: a + 1, last: a + MAX_LAG })).toMatchObject({ activeStart: 1, lost: 0 });
    expect(long.revenueKept(a, MAX_LAG, 'USD')).toEqual({ kept: toMilli(40), net: toMilli(40) });
    expect(() => long.period({ first: a + 1, last: a + MAX_LAG + 1 })).toThrow(RangeError);
  });
});

describe('billing items', () => {
  it('orders that were no purchase are left out; currency defaults to XXX', () => {
    expect(billingItem('order', { customerId: 'c', placedAt: 5, total: 3, status: 'refunded' }, 0, null)).toBeNull();
    expect(billingItem('order', { customerId: 'c', placedAt: 5, total: 3 }, 0, null)).toEqual({ kind: 'order', customerId: 'c', at: 5, currency: 'XXX' });
    expect(billingItem('order', { placedAt: 5 }, 0, null)).toBeNull();
    expect(billingItem('ticket', { customerId: 'c' }, 0, null)).toBeNull();
  });

  it('a re-imported subscription whose MRR changed records the change when it was seen; re-sending it changes nothing', () => {
    const data = { customerId: 'c', plan: 'p', mrr: 10, currency: 'usd', status: 'active', startedAt: 1000 };
    const first = billingItem('subscription', data, 2000, null);
    expect(first).toMatchObject({ currency: 'USD', steps: [{ at: 1000, mrr: 10_000 }], end: null });
    const upgraded = billingItem('subscription', { ...data, mrr: 25 }, 9000, first);
    expect(upgraded).toMatchObject({ steps: [{ at: 1000, mrr: 10_000 }, { at: 9000, mrr: 25_000 }] });
    expect(billingItem('subscription', { ...data, mrr: 25 }, 12_000, upgraded)).toEqual(upgraded);
  });

  it('a status that says it ended, without a date, ends it when first seen and keeps that date', () => {
    const data = { customerId: 'c', plan: 'p', mrr: 10, currency: 'EUR', status: 'active', startedAt: 1000 };
    const live = billingItem('subscription', data, 2000, null);
    const ended = billingItem('subscription', { ...data, status: 'canceled' }, 5000, live);
    expect(ended).toMatchObject({ end: 5000 });
    expect(billingItem('subscription', { ...data, status: 'canceled' }, 8000, ended)).toMatchObject({ end: 5000 });
    expect(billingItem('subscription', { ...data, canceledAt: 4000 }, 8000, ended)).toMatchObject({ end: 4000 });
  });
});

describe('periods', () => {
  const now = Date.UTC(2026, 3, 13, 15); // 13 April 2026
  const DAY = 86_400_000;
  const today = Date.UTC(2026, 3, 13);
  const last = (days: number) => completeMonths(today - (days - 1) * DAY, today + DAY, now);

  it('the home periods map to whole months: 30 days → March, 90 days → Jan–Mar, 12 months → Apr 2025–Mar 2026', () => {
    expect(last(30)).toEqual({ first: M('2026-03'), last: M('2026-03') });
    expect(last(90)).toEqual({ first: M('2026-01'), last: M('2026-03') });
    expect(last(365)).toEqual({ first: M('2025-04'), last: M('2026-03') });
    expect(last(7)).toEqual({ first: M('2026-03'), last: M('2026-03') });
    expect(previousSpan(last(90))).toEqual({ first: M('2025-10'), last: M('2025-12') });
  });

  it('an explicit month-aligned range is exactly its months', () => {
    expect(completeMonths(Date.UTC(2025, 5, 1), Date.UTC(2025, 8, 1), now)).toEqual({ first: M('2025-06'), last: M('2025-08') });
  });
});
