/**
 * Background work of follow-up: the rule consumer (a chain of long-running jobs, like identity
 * resolution), the weekly usage comparison (usage/usage.job.ts), the SLA deadlines (one job per
 * escalation step, see tasks/task.service.ts), and the notices the notifications module refused
 * when they were asked for (tasks/notice.ts): a missing target never rolls back a task or a
 * breach, and the refused notice stays visible, and retryable, in the jobs list.
 */
import { z } from 'zod';
import { appendFacts, internalTransaction, PermanentJobError, togetherOrAlone, type Fact, type JobQueue, type Worker } from '../../store/index.js';
import type { FollowupDeps } from './deps.js';
import { handNotice, isRefusal } from './tasks/notice.js';
import { registerRules, startRules } from './rules/rule.consumer.js';
import { registerUsageJobs, startUsageJobs } from './usage/usage.job.js';
import { ZNotify } from './clock/sla.js';
import { DEADLINE_QUEUE, fireDeadline, lockTasks, NOTICE_QUEUE, type DeadlineOutcome, type DeadlinePayload, type NotifyPayload } from './tasks/task.service.js';

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

/**
 * Run deadline steps in one transaction: every task locked first, in one order (two batches on
 * PostgreSQL then never wait on each other in a cycle), then each step fired; facts go last.
 */
export async function runDeadlines(deps: Deps, queue: JobQueue, payloads: readonly DeadlinePayload[]): Promise<DeadlineOutcome[]> {
  return internalTransaction(deps.store, async (trx) => {
    const now = deps.clock.now();
    const byWorkspace = new Map<string, string[]>();
    for (const p of payloads) {
      const ids = byWorkspace.get(p.workspaceId);
      if (ids) ids.push(p.taskId);
      else byWorkspace.set(p.workspaceId, [p.taskId]);
    }
    for (const workspaceId of [...byWorkspace.keys()].sort()) await lockTasks(trx, deps.store.dialect.name, workspaceId, byWorkspace.get(workspaceId) as string[]);
    const facts = new Map<string, Fact[]>();
    const outcomes: DeadlineOutcome[] = [];
    for (const p of payloads) {
      const list = facts.get(p.workspaceId) ?? [];
      facts.set(p.workspaceId, list);
      outcomes.push(await fireDeadline({ db: trx, queue, now, publicUrl: deps.publicUrl }, p, list));
    }
    for (const [workspaceId, list] of facts) await appendFacts(trx, workspaceId, list, now);
    return outcomes;
  });
}

/** Run one deadline job's step in a transaction of its own. */
export async function runDeadline(deps: Deps, queue: JobQueue, payload: DeadlinePayload): Promise<DeadlineOutcome> {
  return (await runDeadlines(deps, queue, [payload]))[0] as DeadlineOutcome;
}

/**
 * Hand refused notices to the notifications module again, all in one transaction: the target
 * may exist by now. One still refused fails alone, for good (it is refused before anything is
 * written). Returns, per notice, the notification's id (undefined when there is nobody to tell)
 * or the error.
 */
async function handNotices(deps: Deps, payloads: readonly NotifyPayload[]): Promise<(string | undefined | Error)[]> {
  return internalTransaction(deps.store, async (trx) => {
    const out: (string | undefined | Error)[] = [];
    for (const p of payloads) {
      try {
        out.push(await handNotice(trx, p, deps.publicUrl, deps.clock.now()));
      } catch (err) {
        if (!isRefusal(err)) throw err;
        out.push(new PermanentJobError(err instanceof Error ? err.message : String(err), { cause: err }));
      }
    }
    return out;
  });
}

export async function runNotify(deps: Deps, p: NotifyPayload): Promise<string | undefined> {
  const [result] = await handNotices(deps, [p]);
  if (result instanceof Error) throw result;
  return result;
}

/** The notices of a batch: one transaction, or each alone if that fails. */
async function runNotices(deps: Deps, payloads: readonly NotifyPayload[]): Promise<unknown[]> {
  return togetherOrAlone(
    payloads,
    async (all) => (await handNotices(deps, all)).map((r) => (r instanceof Error ? r : undefined)),
    async (one) => void (await runNotify(deps, one)),
  );
}

/**
 * The SLA deadlines alone (tests and benchmarks run them without the rule consumer's long job):
 * due steps are claimed up to 200 at a time and fired in one transaction. `observe` sees each
 * step's outcome (benchmarks count them).
 */
export function registerDeadlines(worker: Worker, queue: JobQueue, deps: Deps, observe?: (outcome: DeadlineOutcome) => void): void {
  const one = async (p: DeadlinePayload) => void observe?.(await runDeadline(deps, queue, p));
  worker.registerBatch<DeadlinePayload>(
    DEADLINE_QUEUE,
    (jobs) =>
      togetherOrAlone(
        jobs.map((j) => j.payload),
        async (all) => void (await runDeadlines(deps, queue, all)).forEach((o) => observe?.(o)),
        one,
      ),
    { parse: (p) => ZDeadlinePayload.parse(p), maxBatch: 200 },
  );
}

export function registerFollowupJobs(worker: Worker, queue: JobQueue, deps: FollowupDeps): void {
  registerRules(worker, { store: deps.store, clock: deps.clock, queue, publicUrl: deps.publicUrl });
  registerUsageJobs(worker, { store: deps.store, clock: deps.clock, queue, logger: deps.logger });
  registerDeadlines(worker, queue, deps);
  worker.registerBatch<NotifyPayload>(NOTICE_QUEUE, (jobs) => runNotices(deps, jobs.map((j) => j.payload)), { parse: (p) => ZNotifyPayload.parse(p) as NotifyPayload, maxBatch: 100 });
}

/**
 * At start-up: start following the logs. Deadlines that passed while the server was down need
 * nothing here: their jobs are in the queue, due, and run as soon as the worker starts.
 */
export async function startFollowupJobs(queue: JobQueue, deps: FollowupDeps): Promise<void> {
  await startRules(queue, deps.clock);
  await startUsageJobs(queue, deps.clock);
}
