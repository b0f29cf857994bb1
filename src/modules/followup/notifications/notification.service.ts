/** Use cases of notification targets and of the delivery log. */
import type { Kysely } from 'kysely';
import { AppError } from '../../../platform/errors.js';
import { randomToken } from '../../../platform/crypto.js';
import { newId } from '../../../platform/ids.js';
import { enqueueJob, fromJson, toJson, type Database } from '../../../store/index.js';
import { NOTIFY_JOB_ATTEMPTS, NOTIFY_QUEUE, sendToTarget, type DeliveryEnv, type NotifyPayload } from './delivery.js';
import type { StoredMessage } from './format.js';
import type { CreateTarget, NotificationView, TargetView, UpdateTarget } from './notification.schema.js';
import {
  deleteTarget as deleteTargetRow,
  findNotification,
  findTarget,
  insertNotification,
  insertTarget,
  requeueNotification,
  settleNotification,
  updateTarget as updateTargetRow,
  type NotificationRow,
  type NotificationStatus,
  type TargetKind,
  type TargetRow,
} from './notification.store.js';
import { redactUrl, urlProblem } from './target-url.js';

const iso = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export function targetView(t: TargetRow): TargetView {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind as TargetKind,
    url: t.url === null ? null : redactUrl(t.url, t.kind),
    address: t.address,
    enabled: Boolean(Number(t.enabled)),
    signed: t.secret !== null,
    createdAt: iso(t.created_at) as string,
    updatedAt: iso(t.updated_at) as string,
  };
}

export function notificationView(n: NotificationRow): NotificationView {
  let title = '';
  try {
    title = fromJson<Partial<StoredMessage>>(n.payload).title ?? '';
  } catch {
    // an unreadable payload still has a log line
  }
  return {
    id: n.id,
    targetId: n.target_id,
    taskId: n.task_id,
    event: n.event,
    title,
    status: n.status as NotificationStatus,
    attempts: Number(n.attempts),
    lastStatus: n.last_status === null ? null : Number(n.last_status),
    lastError: n.last_error,
    nextAttemptAt: iso(n.next_attempt_at),
    createdAt: iso(n.created_at) as string,
    deliveredAt: iso(n.delivered_at),
  };
}

const newSecret = () => `whsec_${randomToken(24)}`;

/** Refuse a URL the server's policy does not allow, naming the field at fault. */
function checkUrl(env: DeliveryEnv, url: string, path: string): void {
  const problem = urlProblem(url, env.settings);
  if (problem) throw new AppError('TARGET_URL_INVALID', `${path}: ${problem}`, { issues: [{ path, message: problem }] });
}

export async function getTarget(env: DeliveryEnv, workspaceId: string, id: string, db: Kysely<Database> = env.store.db): Promise<TargetRow> {
  const t = await findTarget(db, workspaceId, id);
  if (!t) throw new AppError('TARGET_NOT_FOUND', `no notification target ${id}`);
  return t;
}

/** A new target; for a webhook, with its signing secret (generated unless given). */
export async function createTarget(env: DeliveryEnv & { smtpConfigured: boolean }, db: Kysely<Database>, workspaceId: string, input: CreateTarget): Promise<TargetRow> {
  if (input.kind === 'email' && !env.smtpConfigured) {
    throw new AppError('EMAIL_NOT_CONFIGURED', 'e-mail is not configured on this server (EMPTYCHAIR_SMTP_URL, EMPTYCHAIR_MAIL_FROM)');
  }
  if (input.kind !== 'email') checkUrl(env, input.url, 'body.url');
  const now = env.clock.now();
  const row: TargetRow = {
    workspace_id: workspaceId,
    id: newId('ntg', now),
    name: input.name,
    kind: input.kind,
    url: input.kind === 'email' ? null : input.url,
    address: input.kind === 'email' ? input.address : null,
    secret: input.kind === 'webhook' ? (input.secret ?? newSecret()) : null,
    enabled: input.enabled ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
  await insertTarget(db, row);
  return row;
}

/** Change a target; returns it and, when the secret was replaced, the new secret (shown once). */
export async function updateTarget(env: DeliveryEnv, db: Kysely<Database>, workspaceId: string, id: string, patch: UpdateTarget): Promise<{ target: TargetRow; secret: string | undefined }> {
  const t = await getTarget(env, workspaceId, id, db);
  if (patch.url !== undefined) {
    if (t.kind === 'email') throw new AppError('VALIDATION_FAILED', 'body.url: an e-mail target has an address, not a URL', { issues: [{ path: 'body.url', message: 'not for e-mail targets' }] });
    checkUrl(env, patch.url, 'body.url');
  }
  if (patch.address !== undefined && t.kind !== 'email') {
    throw new AppError('VALIDATION_FAILED', 'body.address: only e-mail targets have an address', { issues: [{ path: 'body.address', message: 'only for e-mail targets' }] });
  }
  if ((patch.secret !== undefined || patch.rotateSecret) && t.kind !== 'webhook') {
    throw new AppError('VALIDATION_FAILED', 'body.secret: only webhooks are signed', { issues: [{ path: 'body.secret', message: 'only for webhook targets' }] });
  }
  const secret = patch.secret ?? (patch.rotateSecret ? newSecret() : undefined);
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.url !== undefined ? { url: patch.url } : {}),
    ...(patch.address !== undefined ? { address: patch.address } : {}),
    ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
    ...(secret !== undefined ? { secret } : {}),
    updated_at: env.clock.now(),
  };
  await updateTargetRow(db, workspaceId, id, changes);
  return { target: { ...t, ...changes }, secret };
}

/** Delete a target. Its log stays; notifications still waiting for it fail ("the target was deleted"). */
export async function deleteTarget(env: DeliveryEnv, db: Kysely<Database>, workspaceId: string, id: string): Promise<TargetRow> {
  const t = await getTarget(env, workspaceId, id, db);
  await deleteTargetRow(db, workspaceId, id);
  return t;
}

/** Send a test message to a target now, in the request (bounded by the delivery timeout); logged like any notification, never retried. */
export async function sendTest(env: DeliveryEnv, workspaceId: string, targetId: string): Promise<NotificationRow> {
  const target = await getTarget(env, workspaceId, targetId);
  const now = env.clock.now();
  const message: StoredMessage = {
    title: 'Test notification from Empty Chair',
    text: `If you can read this, “${target.name}” is set up to receive follow-up notifications.`,
    url: env.publicUrl ?? null,
    data: { test: true, targetId },
  };
  const row = {
    workspace_id: workspaceId,
    id: newId('ntf', now),
    target_id: targetId,
    task_id: null,
    event: 'notification.test',
    payload: toJson(message),
    status: 'sending',
    attempts: 1,
    last_status: null,
    last_error: null,
    next_attempt_at: null,
    created_at: now,
    delivered_at: null,
  };
  await insertNotification(env.store.db, row);
  const outcome = await sendToTarget(env, target, row, message);
  const done = env.clock.now();
  const settled = {
    status: outcome.kind === 'delivered' ? 'delivered' : 'failed',
    last_status: outcome.status,
    last_error: outcome.kind === 'delivered' ? null : outcome.error,
    next_attempt_at: null,
    delivered_at: outcome.kind === 'delivered' ? done : null,
  };
  await settleNotification(env.store.db, workspaceId, row.id, 1, settled);
  return { ...row, ...settled };
}

/** Put a dead or failed notification back in line, with a fresh set of attempts, now. */
export async function replayNotification(env: DeliveryEnv, db: Kysely<Database>, workspaceId: string, id: string): Promise<NotificationRow> {
  const n = await findNotification(db, workspaceId, id);
  if (!n) throw new AppError('NOTIFICATION_NOT_FOUND', `no notification ${id}`);
  const now = env.clock.now();
  if (!(await requeueNotification(db, workspaceId, id, now))) {
    throw new AppError('NOTIFICATION_NOT_REPLAYABLE', `notification ${id} is ${n.status}: only dead or failed notifications can be replayed`);
  }
  await enqueueJob(db, NOTIFY_QUEUE, { workspaceId, notificationId: id, attempt: 0 } satisfies NotifyPayload, { runAt: now, workspaceId, maxAttempts: NOTIFY_JOB_ATTEMPTS }, now);
  return (await findNotification(db, workspaceId, id)) as NotificationRow;
}

