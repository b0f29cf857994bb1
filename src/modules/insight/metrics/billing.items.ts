/**
 * Orders and subscriptions of a billing silo as the retention rollups read them, from the
 * fields src/modules/imports/kinds.ts defines (the demo company writes the same, plus each
 * subscription's plan history). Pure: no I/O.
 *
 * - An order is a purchase at `placedAt`, unless its status says it was not one (refunded,
 *   cancelled, void, failed, declined).
 * - A subscription earns its MRR from `startedAt` until `canceledAt`. A status that says it
 *   ended (canceled, ended, expired, inactive) without a date ends it when that was first
 *   seen (the record's update time), and re-sending it keeps that date.
 * - MRR over time: the demo's `startMrr` and `changes` when present; otherwise a record whose
 *   MRR changed since it was last read records the change at its update time, so that
 *   re-importing subscriptions every month builds their history; the first read of a record
 *   takes its MRR as held since it started.
 * Money is kept in thousandths of the currency unit (integers), so sums are exact.
 */
import { z } from 'zod';

export interface OrderItem {
  kind: 'order';
  customerId: string;
  at: number;
  currency: string;
}

export interface MrrStep {
  at: number;
  /** Thousandths of the currency unit per month. */
  mrr: number;
}

export interface SubscriptionItem {
  kind: 'subscription';
  customerId: string;
  currency: string;
  start: number;
  end: number | null;
  steps: MrrStep[];
}

export type BillingItem = OrderItem | SubscriptionItem;

export const BILLING_KINDS = ['order', 'subscription'] as const;
export const isBillingKind = (kind: string): kind is (typeof BILLING_KINDS)[number] => (BILLING_KINDS as readonly string[]).includes(kind);

const NOT_A_PURCHASE = new Set(['refunded', 'canceled', 'cancelled', 'void', 'voided', 'failed', 'declined']);
const ENDED = new Set(['canceled', 'cancelled', 'ended', 'expired', 'inactive']);

const ZMs = z.number().int().finite();
const ZCurrency = z
  .string()
  .regex(/^[A-Za-z]{3}$/)
  .transform((c) => c.toUpperCase());
const ZStatus = z.string().max(64).optional().nullable();

const ZOrder = z.object({
  customerId: z.string().min(1).max(300),
  placedAt: ZMs,
  currency: ZCurrency.optional().nullable(),
  status: ZStatus,
});

const ZMoney = z.number().finite().min(0);
const ZSubscription = z.object({
  customerId: z.string().min(1).max(300),
  mrr: ZMoney,
  currency: ZCurrency.optional().nullable(),
  status: ZStatus,
  startedAt: ZMs,
  canceledAt: ZMs.optional().nullable(),
  startMrr: ZMoney.optional().nullable(),
  changes: z.array(z.object({ at: ZMs, mrr: ZMoney })).max(1000).optional().nullable(),
});

export const toMilli = (amount: number): number => Math.round(amount * 1000);

const UNKNOWN_CURRENCY = 'XXX';

/**
 * The item a record is, given what was read of it last time (`previous`) and when the record
 * last changed; null when it is no purchase or subscription (or not readable as one).
 */
export function billingItem(kind: string, data: unknown, updatedAt: number, previous: BillingItem | null): BillingItem | null {
  if (kind === 'order') {
    const o = ZOrder.safeParse(data);
    if (!o.success) return null;
    if (o.data.status && NOT_A_PURCHASE.has(o.data.status.toLowerCase())) return null;
    return { kind: 'order', customerId: o.data.customerId, at: o.data.placedAt, currency: o.data.currency ?? UNKNOWN_CURRENCY };
  }
  if (kind !== 'subscription') return null;
  const s = ZSubscription.safeParse(data);
  if (!s.success) return null;
  const d = s.data;
  const prior = previous?.kind === 'subscription' && previous.start === d.startedAt ? previous : null;
  const ended = d.status !== undefined && d.status !== null && ENDED.has(d.status.toLowerCase());
  let end = d.canceledAt ?? (ended ? (prior?.end ?? updatedAt) : null);
  if (end !== null && end < d.startedAt) end = d.startedAt;
  return { kind: 'subscription', customerId: d.customerId, currency: d.currency ?? UNKNOWN_CURRENCY, start: d.startedAt, end, steps: mrrSteps(d, updatedAt, prior) };
}

function mrrSteps(d: z.infer<typeof ZSubscription>, updatedAt: number, prior: SubscriptionItem | null): MrrStep[] {
  const mrr = toMilli(d.mrr);
  if (d.changes && d.changes.length > 0) {
    const steps = [{ at: d.startedAt, mrr: toMilli(d.startMrr ?? d.changes[0]?.mrr ?? d.mrr) }];
    for (const c of [...d.changes].sort((a, b) => a.at - b.at)) steps.push({ at: Math.max(c.at, d.startedAt), mrr: toMilli(c.mrr) });
    return steps;
  }
  if (!prior || prior.steps.length === 0) return [{ at: d.startedAt, mrr }];
  const last = prior.steps[prior.steps.length - 1] as MrrStep;
  if (last.mrr === mrr) return prior.steps;
  return [...prior.steps, { at: Math.max(updatedAt, last.at), mrr }];
}

/** The MRR a subscription earns at instant `t` (0 before it starts and from its end). */
export function mrrAt(s: SubscriptionItem, t: number): number {
  if (t <= s.start || (s.end !== null && t > s.end)) return 0;
  let mrr = 0;
  for (const step of s.steps) {
    if (step.at < t) mrr = step.mrr;
    else break;
  }
  return mrr;
}
