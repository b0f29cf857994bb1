/** The dashboard's view of events, rollups, sources and recent errors (the Sources page). */
import { z } from 'zod';
import { MESSAGE_TYPES } from './message.schema.js';

const ZIsoTime = z.string().describe('ISO-8601 date-time');
const ZDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').refine((s) => Number.isFinite(Date.parse(s)), 'not a date');

export const ZEventView = z.object({
  id: z.string(),
  messageId: z.string(),
  type: z.enum(MESSAGE_TYPES),
  name: z.string().nullable().describe('the track event, or the page/screen name'),
  userId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  timestamp: ZIsoTime.describe('when it happened, corrected for the sender’s clock skew'),
  receivedAt: ZIsoTime,
  source: z.object({ keyId: z.string(), keyName: z.string().nullable() }),
  properties: z.unknown().describe('properties (track, page, screen) or traits (identify, group)'),
  context: z.unknown(),
});
export type EventView = z.infer<typeof ZEventView>;

export const ZEventListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.string().max(64).optional().describe('cursor from nextCursor'),
});

export const ZEventTailQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().max(64).optional().describe('cursor from the previous answer; absent: the latest events'),
});

export const ZEventCountsQuery = z
  .strictObject({ from: ZDay, to: ZDay })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { message: 'at most 366 days', path: ['to'] });

export const ZDayCount = z.object({ day: z.string(), type: z.string(), name: z.string().nullable(), source: z.string(), count: z.number() });
export type DayCount = z.infer<typeof ZDayCount>;

export const ZIngestErrorQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(50) });

export const ZIngestErrorView = z.object({
  at: ZIsoTime,
  type: z.string().nullable(),
  messageId: z.string().nullable(),
  code: z.string(),
  message: z.string(),
  keyPrefix: z.string().nullable(),
});
export type IngestErrorView = z.infer<typeof ZIngestErrorView>;

export const ZSourceView = z.object({
  keyId: z.string(),
  keyName: z.string(),
  keyPrefix: z.string(),
  revoked: z.boolean(),
  events: z.number(),
  lastEventAt: ZIsoTime.nullable(),
});
export type SourceView = z.infer<typeof ZSourceView>;
