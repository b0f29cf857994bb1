/**
 * Customer histories in slices, read through the modules that own the data: customers (the
 * identity graph's roots with their silo records: orders, subscriptions, tickets, web events,
 * contacts), feedback (survey answers by respondent), follow-up (SLA breaches) and ingest
 * (tracked events per day). One slice is a few hundred customers; nothing outside it is held.
 *
 * Usage is read as bounded per-customer reads: the events of the slice's user and anonymous
 * ids, grouped by day in the database over [from, to), plus web events that arrive as silo
 * records; no per-customer rollup table is kept.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';
import { customerSlice, type SliceCustomer, type SliceRecord } from '../../customers/index.js';
import { answersOfRespondents } from '../../feedback/index.js';
import { slaBreachesOf } from '../../followup/index.js';
import { dailyActivityOf, PAYMENT_FAILED_EVENT } from '../../ingest/index.js';
import { DAY_MS, type CustomerHistory, type HistoryAnswer } from './history.js';

const KINDS = ['order', 'subscription', 'ticket', 'event', 'contact'] as const;
/** Order statuses that mean the payment did not go through. */
export const FAILED_ORDER = new Set(['failed', 'payment_failed', 'declined', 'unpaid', 'past_due']);
/** Order statuses that are not a purchase (money returned or never taken). */
const NOT_A_PURCHASE = new Set(['refunded', 'cancelled', 'canceled', 'void', 'voided', ...FAILED_ORDER]);
const ENDED_SUBSCRIPTION = new Set(['canceled', 'cancelled', 'ended', 'expired', 'churned']);

const num = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  return null;
};
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** What one silo record adds to a history. */
function addRecord(h: CustomerHistory, r: SliceRecord): void {
  const d = r.data;
  switch (r.kind) {
    case 'order': {
      const at = num(d.placedAt) ?? r.occurredAt;
      const status = (str(d.status) ?? 'paid').toLowerCase();
      if (FAILED_ORDER.has(status)) h.paymentFailures.push(at);
      if (NOT_A_PURCHASE.has(status)) return;
      h.orders.push({ at, amount: num(d.total) ?? 0, currency: str(d.currency) });
      return;
    }
    case 'subscription': {
      const status = (str(d.status) ?? 'active').toLowerCase();
      const canceledAt = num(d.canceledAt);
      h.subscriptions.push({ startedAt: num(d.startedAt) ?? r.occurredAt, canceledAt, endedWithoutDate: canceledAt === null && ENDED_SUBSCRIPTION.has(status) });
      if (status === 'past_due' || status === 'unpaid') h.paymentFailures.push(r.occurredAt);
      return;
    }
    case 'ticket': {
      const openedAt = num(d.openedAt) ?? r.occurredAt;
      h.tickets.push({ openedAt, firstResponseAt: num(d.firstResponseAt) });
      // Imported tickets carry their CSAT as a number (the demo's answers are survey responses).
      const csat = num(d.csat);
      if (csat !== null && csat >= 1 && csat <= 5) h.answers.push({ at: num(d.solvedAt) ?? openedAt, nps: null, csat: Math.round(csat), sentiment: null });
      return;
    }
    case 'event': {
      const at = num(d.timestamp) ?? r.occurredAt;
      const day = Math.floor(at / DAY_MS);
      h.activity.set(day, (h.activity.get(day) ?? 0) + 1);
      if (str(d.event) === PAYMENT_FAILED_EVENT) h.paymentFailures.push(at);
      return;
    }
    case 'contact': {
      const at = num(d.createdAt) ?? r.occurredAt;
      h.createdAt = h.createdAt === null ? at : Math.min(h.createdAt, at);
      return;
    }
  }
}

function emptyHistory(c: SliceCustomer): CustomerHistory {
  return { customerId: c.customerId, name: c.name, accountId: c.accountId, createdAt: null, orders: [], subscriptions: [], tickets: [], answers: [], breaches: [], paymentFailures: [], activity: new Map() };
}

export interface SliceRead {
  histories: CustomerHistory[];
  /** The customers as the identity graph has them (identifiers, profiles), in the same order. */
  customers: SliceCustomer[];
  /** The last customer id of the slice: the next slice starts after it (null: no more). */
  last: string | null;
}

/**
 * The histories of up to `limit` customers after `after`, with tracked events from
 * `activityFrom` on (a bounded window for today's scores; the whole history to learn from).
 */
export async function readHistories(
  db: Kysely<Database>,
  workspaceId: string,
  page: { after: string | null; limit: number } | { ids: readonly string[] },
  activityFrom: number,
  activityTo: number,
): Promise<SliceRead> {
  const customers = await customerSlice(db, workspaceId, page, KINDS);
  if (customers.length === 0) return { histories: [], customers, last: null };
  return { histories: await historiesOf(db, workspaceId, customers, activityFrom, activityTo), customers, last: customers[customers.length - 1]?.customerId ?? null };
}

/** Histories of customers already read from the identity graph. */
export async function historiesOf(db: Kysely<Database>, workspaceId: string, customers: readonly SliceCustomer[], activityFrom: number, activityTo: number): Promise<CustomerHistory[]> {
  const histories = customers.map(emptyHistory);
  const owner = new Map<string, CustomerHistory>(); // kind\0value → history
  const profileOwner = new Map<string, CustomerHistory>();
  customers.forEach((c, i) => {
    const h = histories[i] as CustomerHistory;
    for (const r of c.records) addRecord(h, r);
    for (const id of c.identifiers) owner.set(`${id.kind}\u0000${id.value}`, h);
    for (const p of c.profileIds) profileOwner.set(p, h);
    if (h.createdAt === null && c.createdAt > 0) h.createdAt = c.createdAt;
  });
  const identifiers = customers.flatMap((c) => c.identifiers);

  for (const a of await answersOfRespondents(db, workspaceId, identifiers)) {
    const h = owner.get(`${a.respondentKind}\u0000${a.respondentKey}`);
    if (!h) continue;
    const answer: HistoryAnswer = { at: a.at, nps: a.nps, csat: a.csat, sentiment: a.sentiment };
    h.answers.push(answer);
  }

  for (const b of await slaBreachesOf(db, workspaceId, [...profileOwner.keys()])) profileOwner.get(b.customerId)?.breaches.push(b.at);

  const userIds = identifiers.filter((i) => i.kind === 'user_id').map((i) => i.value);
  const anonymousIds = identifiers.filter((i) => i.kind === 'anonymous_id').map((i) => i.value);
  const seenDay = new Map<CustomerHistory, Map<number, number>>();
  for (const a of await dailyActivityOf(db, workspaceId, { userIds, anonymousIds }, activityFrom, activityTo)) {
    const h = owner.get(`${a.kind}\u0000${a.value}`);
    if (!h) continue;
    // An event with both ids is counted under each: keep the larger count of the day per customer.
    let days = seenDay.get(h);
    if (!days) seenDay.set(h, (days = new Map()));
    days.set(a.day, Math.max(days.get(a.day) ?? 0, a.events));
    // Counted per day: dated at the day's end, so that a snapshot inside the day does not see a failure that may come after it.
    for (let k = 0; k < a.paymentFailures; k++) h.paymentFailures.push((a.day + 1) * DAY_MS);
  }
  for (const [h, days] of seenDay) for (const [day, n] of days) h.activity.set(day, (h.activity.get(day) ?? 0) + n);
  return histories;
}
