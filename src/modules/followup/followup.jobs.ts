/**
 * Background work of follow-up: the rule consumer (a chain of long-running jobs, like identity
 * resolution), the weekly usage comparison (usage/usage.job.ts), the SLA deadlines (one job per escalation step, see tasks/task.service.ts) and
 * the notifications rules and escalations ask for.
 *
 * Notifications are queued as jobs of their own (`followup.notice`) in the transaction that
 * calls for them, and each job hands its message to the notifications module
 * (`enqueueNotification`) in a transaction of its own. A notification target that is missing,
 * or a notifications module that fails, then never rolls back a task or a breach: the clock
 * stays exact, and the failed notification is visible (and retryable) in the jobs list.
 */
import { z } from 'zod';
import { isAppError } from '../../platform/errors.js';
import { appendFacts, PermanentJobError, type Fact, type JobQueue, type Worker } from '../../store/index.js';
import type { FollowupDeps } from './deps.js';
import { enqueueNotification } from './notifications/index.js';
import { registerRules, startRules } from './rules/rule.consumer.js';
import { registerUsageJobs, startUsageJobs } from './usage/usage.job.js';
import { ZNotify } from './clock/sla.js';
import { DEADLINE_QUEUE, fireDeadline, lockTask, NOTICE_QUEUE, type DeadlineOutcome, type DeadlinePayload, type NotifyPayload } from './tasks/task.service.js';

const ZDeadlinePayload = z.object({ workspaceId: z.string(), taskId: z.string(), generation: z.number().int(), step: z.number().int().min(1) });
const ZNotifyPayload = z.object({
  workspaceId: z.string(),
  taskId: z.string().nullable(),
  target: ZNotify,
  event: z.string(),
  title: z.string(),
  text: z.string(),
  data: z.record(z.string(), z.unknown()),
});

type Deps = Pick<FollowupDeps, 'store' | 'clock' | 'publicUrl'>;

/** Run one deadline job's step in a transaction of its own; facts go last. */
export async function runDeadline(deps: Deps, queue: JobQueue, payload: DeadlinePayload): Promise<DeadlineOutcome> {
  return deps.store.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const facts: Fact[] = [];
    await lockTask(trx, deps.store.dialect.name, payload.workspaceId, payload.taskId);
    const outcome = await fireDeadline({ db: trx, queue, now }, payload, facts);
    await appendFacts(trx, payload.workspaceId, facts, now);
    return outcome;
  });
}

/** Who a notification goes to: a target, or a person (the task's owner, its team's manager) as `user:<id>`. */
async function targetOf(deps: Deps, p: NotifyPayload): Promise<string | undefined> {
  if (typeof p.target === 'object') return p.target.targetId;
  if (!p.taskId) return undefined;
  const task = await deps.store.db.selectFrom('followup_tasks').select(['owner_user_id', 'team_id']).where('workspace_id', '=', p.workspaceId).where('id', '=', p.taskId).executeTakeFirst();
  if (!task) return undefined;
  if (p.target === 'owner') return task.owner_user_id ? `user:${task.owner_user_id}` : undefined;
  if (!task.team_id) return undefined;
  const team = await deps.store.db.selectFrom('teams').select('manager_user_id').where('workspace_id', '=', p.workspaceId).where('id', '=', task.team_id).executeTakeFirst();
  return team?.manager_user_id ? `user:${team.manager_user_id}` : undefined;
}

export async function runNotify(deps: Deps, p: NotifyPayload): Promise<string | undefined> {
  const targetId = await targetOf(deps, p);
  if (!targetId) return undefined;
  const url = p.taskId && deps.publicUrl ? `${deps.publicUrl.replace(/\/$/, '')}/app/workspaces/${p.workspaceId}/tasks/${p.taskId}` : undefined;
  try {
    return await deps.store.db.transaction().execute((trx) =>
      enqueueNotification(trx, p.workspaceId, targetId, { event: p.event, title: p.title, text: p.text, url, data: p.data, taskId: p.taskId ?? undefined }, deps.clock.now()),
    );
  } catch (err) {
    // A target that does not exist (any more) will not appear by retrying.
    if (isAppError(err) && err.status < 500) throw new PermanentJobError(err.message, { cause: err });
    throw err;
  }
}

/** The SLA deadlines alone (tests and benchmarks run them without the rule consumer's long job). */
export function registerDeadlines(worker: Worker, queue: JobQueue, deps: Deps): void {
  worker.register<DeadlinePayload>(DEADLINE_QUEUE, async (job) => void (await runDeadline(deps, queue, job.payload)), { parse: (p) => ZDeadlinePayload.parse(p) });
}

export function registerFollowupJobs(worker: Worker, queue: JobQueue, deps: FollowupDeps): void {
  registerRules(worker, { store: deps.store, clock: deps.clock, queue });
  registerUsageJobs(worker, { store: deps.store, clock: deps.clock, queue, logger: deps.logger });
  registerDeadlines(worker, queue, deps);
  worker.register<NotifyPayload>(NOTICE_QUEUE, async (job) => void (await runNotify(deps, job.payload)), { parse: (p) => ZNotifyPayload.parse(p) as NotifyPayload });
}

/**
 * At start-up: start following the logs. Deadlines that passed while the server was down need
 * nothing here: their jobs are in the queue, due, and run as soon as the worker starts.
 */
export async function startFollowupJobs(queue: JobQueue, deps: FollowupDeps): Promise<void> {
  await startRules(queue, deps.clock);
  await startUsageJobs(queue, deps.clock);
}
