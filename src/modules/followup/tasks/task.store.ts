/** Task rows, their view, their history and their record on the customer's timeline. */
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { toIso } from '../../../platform/clock.js';
import { AppError } from '../../../platform/errors.js';
import { IdSequence } from '../../../platform/id-sequence.js';
import type { BatchWrites, Database, FollowupTasksTable, SourceRecordRow } from '../../../store/index.js';
import { ZSlaPlan, type SlaPlan } from '../clock/sla.js';

export type TaskRow = Selectable<FollowupTasksTable>;
type Db = Kysely<Database>;

export const TASK_STATUSES = ['open', 'waiting', 'contacted', 'resolved'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** Statuses whose first-contact clock may still run or be stopped by a contact. */
export const UNCONTACTED: TaskStatus[] = ['open', 'waiting'];
/** The silo and kind under which tasks reach the customer's timeline. */
export const TASK_SOURCE = 'emptychair';
export const TASK_KIND = 'followup';

const eventIds = new IdSequence('tev');

export function planOfRow(row: Pick<TaskRow, 'sla_plan'>): SlaPlan | null {
  if (row.sla_plan === null) return null;
  const parsed = ZSlaPlan.safeParse(JSON.parse(row.sla_plan));
  return parsed.success ? (parsed.data as SlaPlan) : null;
}

export async function findTask(db: Db, workspaceId: string, taskId: string): Promise<TaskRow | undefined> {
  return db.selectFrom('followup_tasks').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', taskId).executeTakeFirst();
}

export async function getTask(db: Db, workspaceId: string, taskId: string): Promise<TaskRow> {
  const row = await findTask(db, workspaceId, taskId);
  if (!row) throw new AppError('TASK_NOT_FOUND', `no task ${taskId} in this workspace`);
  return row;
}

/** A line of the task's history; with a batch's `writes`, written with the batch's other rows. */
export async function addTaskEvent(db: Db, workspaceId: string, taskId: string, type: string, actor: string, at: number, details: Record<string, unknown> | null = null, writes?: BatchWrites): Promise<void> {
  const row = { workspace_id: workspaceId, id: eventIds.next(at), task_id: taskId, type, actor, at, details: details === null ? null : JSON.stringify(details) };
  if (writes) writes.insert('task_events', row);
  else await db.insertInto('task_events').values(row).execute();
}

export const ZTaskView = z.object({
  id: z.string(),
  ruleId: z.string(),
  policyId: z.string().nullable(),
  triggerKind: z.string(),
  title: z.string(),
  priority: z.string(),
  status: z.enum(TASK_STATUSES),
  respondent: z.object({ kind: z.string(), value: z.string() }),
  customerId: z.string().nullable(),
  ownerUserId: z.string().nullable(),
  teamId: z.string().nullable(),
  source: z.object({ type: z.string(), id: z.string() }),
  startedAt: z.string(),
  firstContactDueAt: z.string().nullable(),
  resolutionDueAt: z.string().nullable(),
  contactedAt: z.string().nullable(),
  contactedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  pausedAt: z.string().nullable(),
  pausedMs: z.number(),
  firstBreachedAt: z.string().nullable(),
  resolutionBreachedAt: z.string().nullable(),
  escalationLevel: z.number(),
  slaMet: z.boolean().nullable().describe('first contact before its deadline; null while the clock runs or without a clock'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TaskView = z.infer<typeof ZTaskView>;

const n = (v: number | null): number | null => (v === null ? null : Number(v));

export function taskView(r: TaskRow): TaskView {
  const due = n(r.first_contact_due_at);
  const contacted = n(r.contacted_at);
  return {
    id: r.id,
    ruleId: r.rule_id,
    policyId: r.policy_id,
    triggerKind: r.trigger_kind,
    title: r.title,
    priority: r.priority,
    status: r.status as TaskStatus,
    respondent: { kind: r.respondent_kind, value: r.respondent_value },
    customerId: r.customer_id,
    ownerUserId: r.owner_user_id,
    teamId: r.team_id,
    source: { type: r.source_type, id: r.source_id },
    startedAt: toIso(Number(r.started_at)) as string,
    firstContactDueAt: toIso(due),
    resolutionDueAt: toIso(n(r.resolution_due_at)),
    contactedAt: toIso(contacted),
    contactedBy: r.contacted_by,
    resolvedAt: toIso(n(r.resolved_at)),
    pausedAt: toIso(n(r.paused_at)),
    pausedMs: Number(r.paused_ms),
    firstBreachedAt: toIso(n(r.first_breached_at)),
    resolutionBreachedAt: toIso(n(r.resolution_breached_at)),
    escalationLevel: Number(r.escalation_level),
    slaMet: due === null ? null : contacted !== null ? contacted <= due : r.first_breached_at !== null ? false : null,
    createdAt: toIso(Number(r.created_at)) as string,
    updatedAt: toIso(Number(r.updated_at)) as string,
  };
}

const IDENTIFIER_FIELD: Record<string, string> = { user_id: 'userId', email: 'email', anonymous_id: 'anonymousId' };

/** The task as a record of our own silo: the identity graph puts it on the customer's timeline. */
export function taskRecord(r: TaskRow): SourceRecordRow {
  return {
    workspace_id: r.workspace_id,
    source: TASK_SOURCE,
    kind: TASK_KIND,
    external_id: r.id,
    data: JSON.stringify({
      [IDENTIFIER_FIELD[r.respondent_kind] ?? 'userId']: r.respondent_value,
      taskId: r.id,
      title: r.title,
      status: r.status,
      priority: r.priority,
      triggerKind: r.trigger_kind,
      ownerUserId: r.owner_user_id,
      startedAt: toIso(Number(r.started_at)),
      dueAt: toIso(n(r.first_contact_due_at)),
      contactedAt: toIso(n(r.contacted_at)),
      contactedBy: r.contacted_by,
      resolvedAt: toIso(n(r.resolved_at)),
      breachedAt: toIso(n(r.first_breached_at)),
    }),
    occurred_at: Number(r.started_at),
    imported_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  };
}

export const ZTaskEvent = z.object({ id: z.string(), type: z.string(), actor: z.string(), at: z.string(), details: z.unknown() });

export async function taskHistory(db: Db, workspaceId: string, taskId: string) {
  const rows = await db.selectFrom('task_events').selectAll().where('workspace_id', '=', workspaceId).where('task_id', '=', taskId).orderBy('id').execute();
  return rows.map((e) => ({ id: e.id, type: e.type, actor: e.actor, at: toIso(Number(e.at)) as string, details: e.details === null ? null : (JSON.parse(e.details) as unknown) }));
}
