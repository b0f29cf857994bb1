/**
 * How webhooks are signed, and how a receiver checks them (this is the reference the README quotes).
 *
 *   x-emptychair-timestamp: <unix seconds when the request was signed>
 *   x-emptychair-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * A receiver recomputes the HMAC over the timestamp header, a dot and the raw body bytes (before
 * any JSON parsing), compares in constant time, and refuses a timestamp more than five minutes
 * from its own clock: a captured request cannot be replayed later. Each delivery has a stable id
 * (x-emptychair-delivery, the notification id, the same on every retry): remember recent ids to
 * drop the rare duplicate of at-least-once delivery.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-emptychair-signature';
export const TIMESTAMP_HEADER = 'x-emptychair-timestamp';
export const EVENT_HEADER = 'x-emptychair-event';
export const DELIVERY_HEADER = 'x-emptychair-delivery';
/** The replay window receivers should apply, in seconds. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/** A receiver's check: right signature, and a timestamp within the tolerance of `nowSeconds`. */
export function verifyWebhook(input: {
  secret: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const { secret, body, signature, timestamp, nowSeconds } = input;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  const ts = Number(timestamp);
  if (Math.abs(nowSeconds - ts) > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
