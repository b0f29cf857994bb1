/**
 * Notices: the notifications a rule or an escalation asks for. They are handed to the
 * notifications module in the caller's transaction, so that the task (or the breach) and its
 * notification commit together and the delivery job is queued at once.
 *
 * The module refuses a notice before it writes anything (no such target, a bad message). Such a
 * notice is queued as a job of its own (NOTICE_QUEUE) instead, which fails visibly in the jobs
 * list and can be retried once the target exists: a missing target never rolls back a task or a
 * breach. Idempotent with its caller: a rule fires once per source and a step once per task,
 * each guarded in the same transaction.
 */
import type { Kysely } from 'kysely';
import { isAppError } from '../../../platform/errors.js';
import type { Database } from '../../../store/index.js';
import { enqueueNotification, type NotificationBatch } from '../notifications/index.js';
import { NOTICE_QUEUE, type NotifyPayload, type TaskContext } from './task.service.js';
import type { TaskRow } from './task.store.js';

/** A refusal that retrying cannot fix by itself (the module's own 4xx errors). */
export const isRefusal = (err: unknown): boolean => isAppError(err) && err.status < 500;

/** The task a notice is about, when the caller has it (a task its batch has not written yet). */
export type NoticeTask = Pick<TaskRow, 'owner_user_id' | 'team_id'>;

/** Who a notification goes to: a target, or a person (the task's owner, its team's manager) as `user:<id>`. */
async function targetOf(db: Kysely<Database>, p: NotifyPayload, known?: NoticeTask): Promise<string | undefined> {
  if (typeof p.target === 'object') return p.target.targetId;
  if (!p.taskId) return undefined;
  const task = known ?? (await db.selectFrom('followup_tasks').select(['owner_user_id', 'team_id']).where('workspace_id', '=', p.workspaceId).where('id', '=', p.taskId).executeTakeFirst());
  if (!task) return undefined;
  if (p.target === 'owner') return task.owner_user_id ? `user:${task.owner_user_id}` : undefined;
  if (!task.team_id) return undefined;
  const team = await db.selectFrom('teams').select('manager_user_id').where('workspace_id', '=', p.workspaceId).where('id', '=', task.team_id).executeTakeFirst();
  return team?.manager_user_id ? `user:${team.manager_user_id}` : undefined;
}

/**
 * Hand one notice to the notifications module through `db` (a transaction of the caller); in a
 * batch (`batch`), its target is read once per batch and its rows are written with the batch's.
 * Returns the notification's id, or undefined when there is nobody to tell (a task without an
 * owner, say); throws the module's refusal.
 */
export async function handNotice(db: Kysely<Database>, p: NotifyPayload, publicUrl: string | undefined, now: number, batch: NotificationBatch = {}, task?: NoticeTask): Promise<string | undefined> {
  const targetId = await targetOf(db, p, task);
  if (!targetId) return undefined;
  const url = p.taskId && publicUrl ? `${publicUrl.replace(/\/$/, '')}/app/workspaces/${p.workspaceId}/tasks/${p.taskId}` : undefined;
  return enqueueNotification(db, p.workspaceId, targetId, { event: p.event, title: p.title, text: p.text, url, data: p.data, taskId: p.taskId ?? undefined }, now, batch);
}

/** Notify now, in the caller's transaction; a refused notice becomes a notice job (see above), keyed `key`. `task`: the task's row, if the caller has it. */
export async function notify(ctx: TaskContext, payload: NotifyPayload, key: string, task?: NoticeTask): Promise<void> {
  try {
    await handNotice(ctx.db, payload, ctx.publicUrl, ctx.now, { reads: ctx.reads, writes: ctx.writes }, task);
  } catch (err) {
    if (!isRefusal(err)) throw err;
    await ctx.queue.enqueue(NOTICE_QUEUE, payload, { runAt: ctx.now, uniqueKey: key, workspaceId: payload.workspaceId, maxAttempts: 8 }, ctx.db);
  }
}
