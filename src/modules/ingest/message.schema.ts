/**
 * The Segment tracking spec's messages as zod schemas: a discriminated union on `type`,
 * with the cross-field rules (an identity on every message, `event` for track, `groupId`
 * for group, `previousId` for alias). Unknown top-level fields (`_metadata`, `channel` …)
 * are dropped.
 */
import { z } from 'zod';

export const MESSAGE_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** SDKs send ids as strings; some send numbers. Both are stored as strings. */
const id = (missing = 'is required') =>
  z
    .union([z.string(), z.number().finite()], {
      error: (issue) => (issue.input === undefined ? missing : 'must be a string or a number'),
    })
    .transform((v) => String(v))
    .pipe(z.string().min(1, 'must not be empty').max(400));
const ZId = id();

const ZTime = z
  .string()
  .max(64)
  .refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO-8601 date-time');

const ZObject = z.record(z.string(), z.unknown());

const ZCommon = z.object({
  messageId: z.string().min(1).max(200).optional(),
  userId: ZId.nullish(),
  anonymousId: ZId.nullish(),
  timestamp: ZTime.nullish(),
  originalTimestamp: ZTime.nullish(),
  sentAt: ZTime.nullish(),
  context: ZObject.nullish(),
  integrations: ZObject.nullish(),
});

const ZIdentify = ZCommon.extend({ type: z.literal('identify'), traits: ZObject.nullish() });
const ZTrack = ZCommon.extend({ type: z.literal('track'), event: z.string({ error: 'a track message needs an event name (a string)' }).min(1, 'must not be empty').max(200), properties: ZObject.nullish() });
const ZPage = ZCommon.extend({
  type: z.literal('page'),
  name: z.string().max(200).nullish(),
  category: z.string().max(200).nullish(),
  properties: ZObject.nullish(),
});
const ZScreen = ZCommon.extend({ type: z.literal('screen'), name: z.string().max(200).nullish(), properties: ZObject.nullish() });
const ZGroup = ZCommon.extend({ type: z.literal('group'), groupId: id('a group message needs a groupId'), traits: ZObject.nullish() });
const ZAlias = ZCommon.extend({ type: z.literal('alias'), previousId: id('an alias message needs a previousId') });

export const ZMessage = z
  .discriminatedUnion('type', [ZIdentify, ZTrack, ZPage, ZScreen, ZGroup, ZAlias])
  .superRefine((m, ctx) => {
    if (!m.userId && !m.anonymousId) {
      ctx.addIssue({ code: 'custom', path: ['userId'], message: 'userId or anonymousId is required' });
    }
  });
export type Message = z.infer<typeof ZMessage>;

/** The envelope of /v1/batch; batch-level context and integrations apply to every message. */
export const ZBatchEnvelope = z.object({
  batch: z.array(z.unknown()).max(2500),
  sentAt: ZTime.nullish(),
  context: ZObject.nullish(),
  integrations: ZObject.nullish(),
  writeKey: z.string().optional(),
});

/** One human sentence for a failed parse: "event: Invalid input …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
