/**
 * Tasks that a person (or another module acting for one) creates, rather than a rule: the
 * at-risk list's "create follow-up", say. The task gets the same owner rules, SLA clock and
 * timeline entry as a rule's; its body is kept as a `note` in the task's history. Idempotent on
 * (`origin`, `key`): the same key returns the same task.
 *
 * Also the few reads other modules make of tasks: SLA breaches per customer, and where a set
 * of tasks stands.
 */
import type { Kysely } from 'kysely';
import { inChunks, type Database, type Fact, type JobQueue } from '../../../store/index.js';
import { PRIORITIES } from '../rules/rule.schema.js';
import { policyOfKind } from '../teams/team.store.js';
import { addTaskEvent } from './task.store.js';
import { createTask } from './task.service.js';

type Db = Kysely<Database>;

export interface TaskByHand {
  workspaceId: string;
  /** Who or what asks for it (`user:usr_…`, `module:insight`): the task's rule id is `manual:<origin>`. */
  origin: string;
  /** Makes the call idempotent: one task per (origin, key). */
  key: string;
  /** Who did it, for the history (`user:usr_…`). */
  actor: string;
  title: string;
  /** Plain text shown in the task's history. */
  note: string;
  priority: (typeof PRIORITIES)[number];
  /** The SLA kind: the workspace's newest policy of this kind sets the clock (none: no clock). */
  slaKind: string;
  respondent: { kind: string; value: string };
  customerId: string | null;
  /** The customer's (and account's) traits: an owner trait (ownerId, accountOwnerEmail …) naming a member makes them the owner. */
  traits: Record<string, unknown>;
}

export interface CreatedByHand {
  taskId: string;
  created: boolean;
  ownerUserId: string | null;
  status: string;
  /** Facts to append last in the caller's transaction (see store/outbox.ts). */
  facts: Fact[];
}

/**
 * Create the task in the caller's transaction. Owner: the account owner when a trait names a
 * member; else the least loaded member of the team of the kind's SLA policy; else nobody.
 */
export async function createTaskByHand(ctx: { db: Db; queue: JobQueue; now: number }, input: TaskByHand): Promise<CreatedByHand> {
  const policy = await policyOfKind(ctx.db, input.workspaceId, input.slaKind);
  const fallback = policy?.teamId ? { strategy: 'least_loaded' as const, teamId: policy.teamId } : undefined;
  const out = await createTask(ctx, {
    workspaceId: input.workspaceId,
    ruleId: `manual:${input.origin}`,
    action: { type: 'create_task', title: input.title, priority: input.priority, slaKind: input.slaKind, assign: { strategy: 'account_owner', ...(fallback ? { fallback } : {}) } },
    title: input.title,
    respondent: input.respondent,
    customerId: input.customerId,
    traits: input.traits,
    source: { type: 'manual', id: input.key },
    triggerAt: ctx.now,
  });
  if (out.created) await addTaskEvent(ctx.db, input.workspaceId, out.row.id, 'note', input.actor, ctx.now, { text: input.note });
  return { taskId: out.row.id, created: out.created, ownerUserId: out.row.owner_user_id, status: out.row.status, facts: out.facts };
}

/** SLA breaches (first contact and resolution) of the tasks about these customers (any profile id). */
export async function slaBreachesOf(db: Db, workspaceId: string, customerIds: readonly string[]): Promise<{ customerId: string; at: number }[]> {
  const out: { customerId: string; at: number }[] = [];
  for (let i = 0; i < customerIds.length; i += 500) {
    const rows = await db
      .selectFrom('followup_tasks')
      .select(['customer_id', 'first_breached_at', 'resolution_breached_at'])
      .where('workspace_id', '=', workspaceId)
      .where('customer_id', 'in', customerIds.slice(i, i + 500))
      .where((eb) => eb.or([eb('first_breached_at', 'is not', null), eb('resolution_breached_at', 'is not', null)]))
      .execute();
    for (const r of rows) {
      if (r.first_breached_at !== null) out.push({ customerId: r.customer_id as string, at: Number(r.first_breached_at) });
      if (r.resolution_breached_at !== null) out.push({ customerId: r.customer_id as string, at: Number(r.resolution_breached_at) });
    }
  }
  return out;
}

export interface TaskState {
  id: string;
  title: string;
  status: string;
  ownerUserId: string | null;
}

/** Where these tasks stand (absent: no such task). */
export async function taskStates(db: Db, workspaceId: string, taskIds: readonly string[]): Promise<Map<string, TaskState>> {
  const rows = await inChunks(taskIds, (chunk) => db.selectFrom('followup_tasks').select(['id', 'title', 'status', 'owner_user_id']).where('workspace_id', '=', workspaceId).where('id', 'in', chunk).execute());
  return new Map(rows.map((r) => [r.id, { id: r.id, title: r.title, status: r.status, ownerUserId: r.owner_user_id }]));
}
