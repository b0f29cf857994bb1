/** The HTTP shapes of notification targets and of the delivery log. */
import { z } from 'zod';
import { MAX_URL_LENGTH } from './target-url.js';
import { NOTIFICATION_STATUSES } from './notification.store.js';

const ZName = z.string().trim().min(1).max(100);
/** Checked further by the server's URL policy (scheme, credentials, private addresses). */
const ZUrl = z.string().trim().min(1).max(MAX_URL_LENGTH);
/** A webhook signing secret of your own; one is generated when omitted. */
const ZSecret = z.string().min(16).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
const ZAddress = z.email().max(320);

export const ZCreateTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('webhook'), name: ZName, url: ZUrl, secret: ZSecret.optional(), enabled: z.boolean().default(true) }),
  z.strictObject({ kind: z.literal('slack'), name: ZName, url: ZUrl, enabled: z.boolean().default(true) }),
  z.strictObject({ kind: z.literal('email'), name: ZName, address: ZAddress, enabled: z.boolean().default(true) }),
]);
export type CreateTarget = z.infer<typeof ZCreateTarget>;

export const ZUpdateTarget = z.strictObject({
  name: ZName.optional(),
  url: ZUrl.optional(),
  address: ZAddress.optional(),
  enabled: z.boolean().optional(),
  /** Webhooks: replace the signing secret with this one. */
  secret: ZSecret.optional(),
  /** Webhooks: replace the signing secret with a generated one, shown in this answer only. */
  rotateSecret: z.boolean().optional(),
});
export type UpdateTarget = z.infer<typeof ZUpdateTarget>;

export const ZTarget = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['webhook', 'slack', 'email']),
  /** Without credentials: query values named like token/key/secret and a Slack URL's secret path are masked. */
  url: z.string().nullable(),
  address: z.string().nullable(),
  enabled: z.boolean(),
  /** Webhooks: whether deliveries are signed. The secret itself is shown once, when created or rotated. */
  signed: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TargetView = z.infer<typeof ZTarget>;

/** A created (or rotated) target: the only answers that carry the whole URL and the secret. */
export const ZTargetWithSecret = ZTarget.extend({
  secret: z.string().nullable().describe('the webhook signing secret; shown once: store it now'),
});

export const ZTargetParams = z.strictObject({ workspaceId: z.string().min(1).max(64), targetId: z.string().min(1).max(64) });
export const ZNotificationParams = z.strictObject({ workspaceId: z.string().min(1).max(64), notificationId: z.string().min(1).max(64) });

export const ZNotification = z.object({
  id: z.string(),
  targetId: z.string(),
  taskId: z.string().nullable(),
  event: z.string(),
  title: z.string(),
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: z.number().int(),
  /** The target's HTTP status on the last attempt. */
  lastStatus: z.number().int().nullable(),
  /** Why the last attempt failed, without credentials, at most 500 characters. */
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type NotificationView = z.infer<typeof ZNotification>;

export const ZNotificationQuery = z.strictObject({
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  taskId: z.string().min(1).max(64).optional(),
  targetId: z.string().min(1).max(64).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZNotificationPage = z.object({ notifications: z.array(ZNotification), nextCursor: z.string().nullable() });
