/**
 * Delivering one notification: the job that sends it, and what counts as done.
 *
 * Outcome of an attempt: a 2xx answer (or an e-mail the SMTP server accepted) is delivered; 408,
 * 429, 5xx, a timeout or a network fault is tried again later (the job queue's backoff, or the
 * target's Retry-After if longer); any other answer (4xx, a redirect) fails at once, as trying
 * again cannot help. When the attempts are spent, the notification is dead: the dead-letter list,
 * from which a person can replay it.
 *
 * At least once, and idempotent: a notification is claimed for one attempt number (fenced on
 * status and attempts), so a stale or duplicate job finds nothing to do. The outcome and the job
 * for the next attempt are written in one transaction. A worker that dies mid-send leaves the
 * notification 'sending'; its job runs again when the lease expires and sends again, with the
 * same delivery id for the receiver to dedupe.
 */
import { z } from 'zod';
import type { Clock } from '../../../platform/clock.js';
import { backoffDelay, enqueueJob, fromJson, type Job, type Store, internalTransaction } from '../../../store/index.js';
import { MailError, type Mailer } from '../../../platform/mail.js';
import { emailContent, slackBody, webhookBody, type StoredMessage } from './format.js';
import { postJson, PostError, type PostResult } from './http-post.js';
import { claimNotifications, markDead, resolveTarget, settleNotifications, type NotificationRow, type TargetRow } from './notification.store.js';
import type { NotificationSettings } from './options.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './signature.js';
import { redactUrl, scrub, secretPartsOf } from './target-url.js';

export const NOTIFY_QUEUE = 'followup.notify';
/**
 * First attempts of the notifications a batch of background work queued (a rule batch's
 * webhooks): one job for up to NOTIFY_LIST_MAX of them instead of a job row each, whose insert,
 * claim and completion cost more than the delivery's own rows. Retries are jobs of NOTIFY_QUEUE,
 * one per notification, as before. A queue of its own, one job a claim, so that a claim holds at
 * most NOTIFY_LIST_MAX deliveries, as a claim of NOTIFY_QUEUE's jobs does.
 */
export const NOTIFY_LIST_QUEUE = 'followup.notify-list';
export const NOTIFY_LIST_MAX = 200;
/** Both delivery queues: whoever sends the notifications takes both. */
export const DELIVERY_QUEUES = [NOTIFY_QUEUE, NOTIFY_LIST_QUEUE] as const;
/** Job-level attempts: only for faults of our own (the database away); the target's faults are counted on the notification. */
export const NOTIFY_JOB_ATTEMPTS = 3;
const USER_AGENT = 'EmptyChair-Notifications/1 (+https://github.com/emptychair)';

export const ZNotifyPayload = z.object({
  workspaceId: z.string().min(1),
  notificationId: z.string().min(1),
  /** Attempts behind the notification when this job was queued (0 for the first). */
  attempt: z.number().int().min(0),
});
export type NotifyPayload = z.infer<typeof ZNotifyPayload>;

export const ZNotifyListPayload = z.object({
  workspaceId: z.string().min(1),
  notificationIds: z.array(z.string().min(1)).min(1).max(NOTIFY_LIST_MAX),
  /** Attempts behind each of them when the job was queued. */
  attempt: z.number().int().min(0),
});
export type NotifyListPayload = z.infer<typeof ZNotifyListPayload>;

/** The attempts a job of either delivery queue stands for. */
const attemptsOf = (p: NotifyPayload | NotifyListPayload): NotifyPayload[] =>
  'notificationIds' in p ? p.notificationIds.map((notificationId) => ({ workspaceId: p.workspaceId, notificationId, attempt: p.attempt })) : [p];

export interface DeliveryEnv {
  store: Store;
  clock: Clock;
  settings: NotificationSettings;
  /** Undefined when no SMTP server is configured. */
  mailer: Mailer | undefined;
  mailFrom?: string | undefined;
  publicUrl?: string | undefined;
}

export type AttemptOutcome =
  | { kind: 'delivered'; status: number | null }
  | { kind: 'retry'; status: number | null; error: string; retryAfterMs?: number | undefined }
  | { kind: 'failed'; status: number | null; error: string };

/** The target, for logs: kind, id and URL without credentials, or the mail domain. */
export function describeTarget(t: TargetRow): Record<string, string> {
  return t.kind === 'email' ? { target: t.id, kind: t.kind, domain: (t.address ?? '').split('@')[1] ?? '' } : { target: t.id, kind: t.kind, url: redactUrl(t.url ?? '', t.kind) };
}

function classify(result: PostResult, secrets: string[]): AttemptOutcome {
  const { status } = result;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  const trimmed = result.body.trim();
  const snippet = trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
  const note = `${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}${result.truncated ? ` (answer cut off after ${result.bytes} bytes)` : ''}`;
  const error = scrub(`HTTP ${status}${note}${snippet ? `: ${snippet}` : ''}`, secrets);
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', status, error, retryAfterMs: result.retryAfterMs };
  return { kind: 'failed', status, error };
}

async function post(env: DeliveryEnv, targetId: string, url: string, body: string, headers: Record<string, string>, secrets: string[]): Promise<AttemptOutcome> {
  const { settings } = env;
  try {
    const result = await settings.limiter.run(
      () => postJson(url, body, { 'user-agent': USER_AGENT, ...headers }, { timeoutMs: settings.timeoutMs, maxResponseBytes: settings.maxResponseBytes, allowPrivateTargets: settings.allowPrivateTargets }),
      targetId,
    );
    return classify(result, secrets);
  } catch (error) {
    if (error instanceof PostError) {
      const message = scrub(error.message, secrets);
      return error.kind === 'refused' ? { kind: 'failed', status: null, error: message } : { kind: 'retry', status: null, error: message };
    }
    return { kind: 'retry', status: null, error: scrub(error instanceof Error ? error.message : String(error), secrets) };
  }
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).hostname || undefined : undefined;
  } catch {
    return undefined;
  }
}

/** Send one attempt of `n` to `target`. Never throws: every fault is an outcome. */
export async function sendToTarget(env: DeliveryEnv, target: TargetRow, n: NotificationRow, message: StoredMessage): Promise<AttemptOutcome> {
  const secrets = [...(target.secret ? [target.secret] : []), ...secretPartsOf(target.url, target.kind)];
  if (target.kind === 'webhook' || target.kind === 'slack') {
    if (!target.url) return { kind: 'failed', status: null, error: 'the target has no URL' };
    if (target.kind === 'slack') return post(env, target.id, target.url, JSON.stringify(slackBody(message)), {}, secrets);
    const body = JSON.stringify(
      webhookBody({ id: n.id, workspaceId: n.workspace_id, event: n.event, createdAt: Number(n.created_at), taskId: n.task_id }, message),
    );
    const timestamp = Math.floor(env.clock.now() / 1000);
    const headers: Record<string, string> = {
      [TIMESTAMP_HEADER]: String(timestamp),
      [EVENT_HEADER]: n.event,
      [DELIVERY_HEADER]: n.id,
    };
    if (target.secret) {
      headers[SIGNATURE_HEADER] = signWebhook(target.secret, timestamp, body);
      secrets.push(headers[SIGNATURE_HEADER].slice('sha256='.length));
    }
    return post(env, target.id, target.url, body, headers, secrets);
  }
  if (target.kind === 'email') {
    if (!target.address) return { kind: 'failed', status: null, error: 'the target has no address' };
    const mailer = env.mailer;
    if (!mailer) return { kind: 'retry', status: null, error: 'e-mail is not configured on this server (EMPTYCHAIR_SMTP_URL)' };
    const fromAddress = env.mailFrom ?? `notifications@${hostOf(env.publicUrl) ?? 'localhost'}`;
    const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(fromAddress)?.[1] ?? 'emptychair.invalid';
    const content = emailContent(message);
    try {
      const mail = {
        from: fromAddress,
        to: target.address,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: `<${n.id}.${n.workspace_id}@${domain}>`,
        headers: { 'X-EmptyChair-Delivery': n.id, 'X-EmptyChair-Event': n.event, 'Auto-Submitted': 'auto-generated' },
      };
      await env.settings.limiter.run(() => mailer.send(mail), target.id);
      return { kind: 'delivered', status: null };
    } catch (error) {
      const mailError = error instanceof MailError ? error : new MailError(error instanceof Error ? error.message : String(error));
      const text = scrub(mailError.message, secrets);
      return mailError.permanent ? { kind: 'failed', status: null, error: text } : { kind: 'retry', status: null, error: text };
    }
  }
  return { kind: 'failed', status: null, error: `unknown target kind ${target.kind}` };
}

export type DeliveryResult = { status: 'settled' } | { status: 'delivered' | 'failed' | 'dead' | 'pending'; outcome: AttemptOutcome; nextAttemptAt: number | null };

/** One claimed attempt on its way: what was sent, to whom, and how it went. */
interface Attempt {
  payload: NotifyPayload;
  attempts: number;
  target: TargetRow | undefined;
  outcome: AttemptOutcome;
}

type Settled = Exclude<DeliveryResult, { status: 'settled' }>;

function byWorkspace<T extends { workspaceId: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.workspaceId);
    if (list) list.push(item);
    else out.set(item.workspaceId, [item]);
  }
  return out;
}

/** Claim the attempts (fenced on status and attempt number), a statement per workspace; the ones not returned are settled already. */
async function claimAttempts(store: Store, payloads: readonly NotifyPayload[]): Promise<NotificationRow[]> {
  return internalTransaction(store, async (trx) => {
    const rows: NotificationRow[] = [];
    for (const [workspaceId, list] of byWorkspace(payloads)) {
      rows.push(...(await claimNotifications(trx, workspaceId, list.map((p) => ({ id: p.notificationId, attempt: p.attempt })))));
    }
    return rows;
  });
}

/** Targets of a batch, each looked up once. */
function targetCache(env: DeliveryEnv): (workspaceId: string, targetId: string) => Promise<TargetRow | undefined> {
  const seen = new Map<string, Promise<TargetRow | undefined>>();
  return (workspaceId, targetId) => {
    const key = `${workspaceId}\u0000${targetId}`;
    let hit = seen.get(key);
    if (!hit) seen.set(key, (hit = resolveTarget(env.store.db, workspaceId, targetId)));
    return hit;
  };
}

async function attemptOne(env: DeliveryEnv, payload: NotifyPayload, n: NotificationRow, targetOf: ReturnType<typeof targetCache>): Promise<Attempt> {
  const target = await targetOf(payload.workspaceId, n.target_id);
  let outcome: AttemptOutcome;
  if (!target) outcome = { kind: 'failed', status: null, error: 'the target was deleted' };
  else if (!Number(target.enabled)) outcome = { kind: 'failed', status: null, error: 'the target is disabled' };
  else outcome = await sendToTarget(env, target, n, fromJson<StoredMessage>(n.payload));
  return { payload, attempts: payload.attempt + 1, target, outcome };
}

function resultOf(env: DeliveryEnv, a: Attempt, now: number): Settled {
  const { outcome } = a;
  if (outcome.kind === 'delivered') return { status: 'delivered', outcome, nextAttemptAt: null };
  if (outcome.kind === 'failed') return { status: 'failed', outcome, nextAttemptAt: null };
  if (a.attempts >= env.settings.maxAttempts) return { status: 'dead', outcome, nextAttemptAt: null };
  const backoff = backoffDelay(a.attempts, env.settings.backoff, env.settings.random);
  return { status: 'pending', outcome, nextAttemptAt: now + Math.max(backoff, Math.min(outcome.retryAfterMs ?? 0, env.settings.backoff.maxMs)) };
}

/**
 * Record every outcome, and queue each next attempt, in one transaction: one statement for each
 * group of attempts with the same outcome (the delivered ones, mostly), fenced on each attempt.
 */
async function settleAttempts(env: DeliveryEnv, attempts: readonly Attempt[]): Promise<DeliveryResult[]> {
  const now = env.clock.now();
  const results = attempts.map((a) => resultOf(env, a, now));
  const groups = new Map<string, { workspaceId: string; outcome: Parameters<typeof settleNotifications>[3]; members: number[] }>();
  attempts.forEach((a, i) => {
    const r = results[i] as Settled;
    const outcome = {
      status: r.status,
      last_status: a.outcome.status,
      last_error: a.outcome.kind === 'delivered' ? null : a.outcome.error,
      next_attempt_at: r.nextAttemptAt,
      delivered_at: r.status === 'delivered' ? now : null,
    };
    const key = JSON.stringify([a.payload.workspaceId, outcome]);
    const group = groups.get(key) ?? { workspaceId: a.payload.workspaceId, outcome, members: [] };
    group.members.push(i);
    groups.set(key, group);
  });
  const held = await internalTransaction(env.store, async (trx) => {
    const ok = new Set<number>();
    for (const g of groups.values()) {
      const members = g.members.map((i) => ({ i, a: attempts[i] as Attempt }));
      const settled = await settleNotifications(trx, g.workspaceId, members.map(({ a }) => ({ id: a.payload.notificationId, attempts: a.attempts })), g.outcome);
      for (const { i, a } of members) {
        if (!settled.has(a.payload.notificationId)) continue;
        ok.add(i);
        const next = (results[i] as Settled).nextAttemptAt;
        if (next !== null) {
          await enqueueJob(trx, NOTIFY_QUEUE, { workspaceId: g.workspaceId, notificationId: a.payload.notificationId, attempt: a.attempts } satisfies NotifyPayload, { runAt: next, workspaceId: g.workspaceId, maxAttempts: NOTIFY_JOB_ATTEMPTS }, now);
        }
      }
    }
    return ok;
  });
  return attempts.map((a, i) => {
    if (!held.has(i)) return { status: 'settled' } as const;
    const r = results[i] as Settled;
    logAttempt(env, a, r);
    return r;
  });
}

function logAttempt(env: DeliveryEnv, a: Attempt, r: Settled): void {
  const log = env.settings.logger?.child({ workspaceId: a.payload.workspaceId, notification: a.payload.notificationId, attempt: a.attempts, ...(a.target ? describeTarget(a.target) : {}) });
  const error = a.outcome.kind === 'delivered' ? undefined : a.outcome.error;
  if (r.status === 'delivered') log?.info({ status: a.outcome.status }, 'notification delivered');
  else if (r.status === 'pending') log?.warn({ status: a.outcome.status, error, nextAttemptAt: r.nextAttemptAt }, 'notification attempt failed; will retry');
  else log?.error({ status: a.outcome.status, error }, r.status === 'dead' ? 'notification dead after its last attempt' : 'notification refused by its target');
}

/**
 * Run one attempt of each notification: claim them all, send them at once (the limiter bounds
 * how many connections are open), record every outcome and queue the next attempts: two
 * commits and a few statements for the whole batch, whatever its size.
 */
export async function deliverNotifications(env: DeliveryEnv, payloads: readonly NotifyPayload[]): Promise<DeliveryResult[]> {
  const claimed = new Map((await claimAttempts(env.store, payloads)).map((n) => [`${n.workspace_id}\u0000${n.id}`, n]));
  const targetOf = targetCache(env);
  const taken = payloads.flatMap((p) => {
    const n = claimed.get(`${p.workspaceId}\u0000${p.notificationId}`);
    return n ? [{ p, n }] : [];
  });
  const sent = await Promise.all(taken.map(({ p, n }) => attemptOne(env, p, n, targetOf)));
  const settled = sent.length > 0 ? await settleAttempts(env, sent) : [];
  const byId = new Map(sent.map((a, i) => [a.payload.notificationId, settled[i] as DeliveryResult]));
  return payloads.map((p) => byId.get(p.notificationId) ?? { status: 'settled' });
}

/** Run one attempt of a notification: claim, send, record, and queue the next attempt if any. */
export async function deliverNotification(env: DeliveryEnv, payload: NotifyPayload): Promise<DeliveryResult> {
  return (await deliverNotifications(env, [payload]))[0] as DeliveryResult;
}

/**
 * The handler of both delivery queues (a list job stands for each of its notifications). A fault
 * of our own (not the target's) fails the batch's attempts for the job queue to retry; on a job's
 * last attempt its notifications are marked dead first (markDead), so none is left 'pending' or
 * 'sending' with no job to send it.
 */
export async function runNotifyJobs(env: DeliveryEnv, jobs: readonly Job<NotifyPayload | NotifyListPayload>[]): Promise<void> {
  try {
    await deliverNotifications(env, jobs.flatMap((j) => attemptsOf(j.payload)));
  } catch (error) {
    const message = scrub(`internal: ${error instanceof Error ? error.message : String(error)}`, []);
    for (const p of jobs.filter((j) => j.attempts >= j.maxAttempts).flatMap((j) => attemptsOf(j.payload))) {
      await markDead(env.store.db, p.workspaceId, p.notificationId, p.attempt, message).catch(() => false);
    }
    throw error;
  }
}
