/**
 * Segment's clock-skew correction. A device's clock may be wrong; the interval between when
 * the event happened (`timestamp`, the device's clock) and when it was sent (`sentAt`, the same
 * clock) is trusted, and anchored to when we received it (our clock):
 *   timestamp = receivedAt − (sentAt − originalTimestamp)
 * Without sentAt the device's timestamp is kept; without any timestamp, receivedAt is used.
 */
export interface Times {
  /** When the event happened, by the device's clock. */
  originalTimestamp: number | null;
  /** When the device sent it, by the same clock. */
  sentAt: number | null;
  /** When we received it, by ours. */
  receivedAt: number;
}

export function correctedTimestamp({ originalTimestamp, sentAt, receivedAt }: Times): number {
  if (originalTimestamp === null) return receivedAt;
  if (sentAt === null) return originalTimestamp;
  return receivedAt - (sentAt - originalTimestamp);
}

/** An ISO-8601 string as epoch ms; null when absent. Callers validated the format already. */
export const parseTime = (iso: string | null | undefined): number | null => {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
};

/** The UTC day (YYYY-MM-DD) of an epoch-ms instant, for the daily rollups. */
const FIRST_MS = Date.parse('0001-01-01T00:00:00Z');
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z');

export function utcDay(ms: number): string {
  return new Date(Math.min(LAST_MS, Math.max(FIRST_MS, ms))).toISOString().slice(0, 10);
}
