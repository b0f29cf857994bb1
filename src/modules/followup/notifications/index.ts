/**
 * Outbound notifications of follow-up: signed webhooks, Slack-compatible incoming-webhook
 * messages and e-mail, each delivered from the job queue with retries, a delivery log per task
 * and a dead-letter list to replay from.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import type { Logger } from '../../../platform/logger.js';
import type { Clock } from '../../../platform/clock.js';
import { enqueueJob, jobRow, readOnce, toJson, type BatchReads, type BatchWrites, type Database, type JobQueue, type Store, type Worker } from '../../../store/index.js';
import { smtpMailer, type Mailer } from '../../../platform/mail.js';
import { NOTIFY_JOB_ATTEMPTS, NOTIFY_LIST_MAX, NOTIFY_LIST_QUEUE, NOTIFY_QUEUE, runNotifyJobs, ZNotifyListPayload, ZNotifyPayload, type DeliveryEnv, type NotifyListPayload, type NotifyPayload } from './delivery.js';
import type { StoredMessage } from './format.js';
import { insertNotification, resolveTarget } from './notification.store.js';
import { notificationSettings, type NotificationOptions } from './options.js';

export { DELIVERY_QUEUES, NOTIFY_QUEUE } from './delivery.js';
export type { NotificationOptions } from './options.js';
export { signWebhook, verifyWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER, EVENT_HEADER, DELIVERY_HEADER, SIGNATURE_TOLERANCE_SECONDS } from './signature.js';

/** What a notification says, whatever the channel. */
export interface NotificationMessage {
  /** A stable event name, e.g. "task.created", "task.breached". */
  event: string;
  title: string;
  text: string;
  /** A link into the dashboard, when there is one. */
  url?: string | undefined;
  /** The machine-readable payload (webhooks send it as JSON). */
  data: Record<string, unknown>;
  taskId?: string | undefined;
}

const ZMessage = z.object({
  event: z.string().min(1).max(100).regex(/^[a-z0-9_.:-]+$/i, 'letters, digits and . _ : -'),
  title: z.string().max(500),
  text: z.string().max(10_000),
  url: z.string().max(2048).optional(),
  data: z.record(z.string(), z.unknown()),
  taskId: z.string().min(1).max(64).optional(),
});
/** The largest payload a notification carries (its JSON), so that a webhook stays a small request. */
export const MAX_NOTIFICATION_PAYLOAD_BYTES = 64 * 1024;

/**
 * A batch the notification is part of: targets read once per batch (`reads`), and the
 * notification and its delivery job written with the batch's other rows (`writes`, flushed by
 * the batch in its transaction).
 */
export interface NotificationBatch {
  reads?: BatchReads | undefined;
  writes?: BatchWrites | undefined;
}

/**
 * Queue a notification to one target, inside the caller's transaction (so a rule's task and its
 * notification commit together). Delivery happens later, from the job queue.
 * `targetId` is a target's id (ntg_…), or "user:<userId>" for a member of the workspace, who is
 * written to by e-mail at their login address (when the server has SMTP).
 * A disabled target gets the notification logged as failed ("the target is disabled"), not sent.
 * Throws TARGET_NOT_FOUND for a target not in the workspace, VALIDATION_FAILED for a bad message.
 */
export async function enqueueNotification(db: Kysely<Database>, workspaceId: string, targetId: string, message: NotificationMessage, now: number, batch: NotificationBatch = {}): Promise<string> {
  const parsed = ZMessage.safeParse(message);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('VALIDATION_FAILED', `notification message: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const target = await readOnce(batch.reads, `notification-target:${workspaceId}:${targetId}`, () => resolveTarget(db, workspaceId, targetId));
  if (!target) throw new AppError('TARGET_NOT_FOUND', `no notification target ${targetId}`);
  const m = parsed.data;
  const payload = toJson({ title: m.title, text: m.text, url: m.url ?? null, data: m.data } satisfies StoredMessage);
  if (Buffer.byteLength(payload) > MAX_NOTIFICATION_PAYLOAD_BYTES) {
    throw new AppError('VALIDATION_FAILED', `notification message: larger than ${MAX_NOTIFICATION_PAYLOAD_BYTES} bytes as JSON`);
  }
  const id = newId('ntf', now);
  const enabled = Boolean(Number(target.enabled));
  const row = {
    workspace_id: workspaceId,
    id,
    target_id: targetId,
    task_id: m.taskId ?? null,
    event: m.event,
    payload,
    status: enabled ? 'pending' : 'failed',
    attempts: 0,
    last_status: null,
    last_error: enabled ? null : 'the target is disabled',
    next_attempt_at: enabled ? now : null,
    created_at: now,
    delivered_at: null,
  };
  if (batch.writes) {
    batch.writes.insert('notifications', row);
    if (enabled) deliverWithBatch(batch.writes, workspaceId, id, now);
    return id;
  }
  await insertNotification(db, row);
  if (enabled) await enqueueJob(db, NOTIFY_QUEUE, { workspaceId, notificationId: id, attempt: 0 } satisfies NotifyPayload, { runAt: now, workspaceId, maxAttempts: NOTIFY_JOB_ATTEMPTS }, now);
  return id;
}

/** The notifications each batch queued, by workspace, until its flush turns them into list jobs. */
const batchDeliveries = new WeakMap<BatchWrites, Map<string, string[]>>();

/** Queue a batch's notification for delivery by a list job (NOTIFY_LIST_QUEUE), written with the batch. */
function deliverWithBatch(writes: BatchWrites, workspaceId: string, notificationId: string, now: number): void {
  let byWorkspace = batchDeliveries.get(writes);
  if (!byWorkspace) {
    const gathered = (byWorkspace = new Map<string, string[]>());
    batchDeliveries.set(writes, gathered);
    writes.beforeFlush('notifications:deliveries', () => {
      batchDeliveries.delete(writes);
      for (const [ws, ids] of gathered) {
        for (let i = 0; i < ids.length; i += NOTIFY_LIST_MAX) {
          const job = { workspaceId: ws, notificationIds: ids.slice(i, i + NOTIFY_LIST_MAX), attempt: 0 } satisfies NotifyListPayload;
          writes.insertOrIgnore('jobs', jobRow(NOTIFY_LIST_QUEUE, job, { runAt: now, workspaceId: ws, maxAttempts: NOTIFY_JOB_ATTEMPTS }, now));
        }
      }
    });
  }
  const ids = byWorkspace.get(workspaceId);
  if (ids) ids.push(notificationId);
  else byWorkspace.set(workspaceId, [notificationId]);
}

export interface NotificationJobDeps {
  store: Store;
  clock: Clock;
  publicUrl?: string | undefined;
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  logger?: Logger | undefined;
  notifications?: NotificationOptions | undefined;
}

/** The sending side's environment: settings for this store's dialect, and an SMTP mailer when configured. */
export function deliveryEnv(deps: NotificationJobDeps, mailer: Mailer | undefined): DeliveryEnv {
  return {
    store: deps.store,
    clock: deps.clock,
    settings: notificationSettings(deps.store.dialect.name, { logger: deps.logger, ...deps.notifications }),
    mailer,
    mailFrom: deps.mailFrom,
    publicUrl: deps.publicUrl,
  };
}

/**
 * Register the delivery jobs: single attempts run in batches of up to 200, and a list job (a
 * batch's first attempts, up to 200) alone: a batch costs a claim and two commits whatever its
 * size (at 1 000 webhooks a second, batches of 50 fell behind on both databases).
 * A batch holds its worker slot until its slowest delivery ends: at worst 200 deliveries to one
 * hung target, 32 at a time (the limiter, options.ts) for 5 s each, about 35 s, inside the
 * worker's lease, which its heartbeat extends anyway. At most 64 deliveries run at once per process.
 * Returns a function that closes the SMTP transport.
 */
export function registerNotificationJobs(worker: Worker, _queue: JobQueue, deps: NotificationJobDeps): () => void {
  const mailer = deps.smtpUrl ? smtpMailer(deps.smtpUrl) : undefined;
  const env = deliveryEnv(deps, mailer);
  worker.registerBatch<NotifyPayload>(NOTIFY_QUEUE, (jobs) => runNotifyJobs(env, jobs), { parse: (p) => ZNotifyPayload.parse(p), maxBatch: 200 });
  worker.registerBatch<NotifyListPayload>(NOTIFY_LIST_QUEUE, (jobs) => runNotifyJobs(env, jobs), { parse: (p) => ZNotifyListPayload.parse(p), maxBatch: 1 });
  return () => mailer?.close();
}
