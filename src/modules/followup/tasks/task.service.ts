/**
 * Tasks and their SLA clocks: create (assign, plan the clock, queue its deadlines), contact,
 * wait, resume, resolve, reassign, and the deadline job's step. Every function runs inside the
 * caller's transaction and returns the facts to append, so that the caller appends them as the
 * last statement before commit (see store/outbox.ts).
 *
 * Deadlines are jobs in the durable queue, one per escalation step, keyed
 * `task:<id>:g<generation>:s<step>`. A step fires once: the job moves the task's
 * escalation level with a compare-and-set on the state it read (level, generation, contact,
 * resolution, pause), so two workers, a re-run or a stale job cannot fire it twice, and a step
 * whose clock stopped meanwhile does not fire at all. Waiting bumps the generation (the queued
 * jobs of the old generation then do nothing); resuming queues the remaining steps anew.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { jobRow, readOnce, recordFacts, upsertSourceRecords, type BatchReads, type BatchWrites, type Database, type DialectName, type Fact, type JobQueue } from '../../../store/index.js';
import { dueAt, pausedWorkingTime, planOf, stepDueAt, trackRunning, workingElapsed, type Notify, type SlaPlan } from '../clock/sla.js';
import { calendarOf, findPolicy, nextTurn, policyOfKind, teamMembers } from '../teams/team.store.js';
import type { Action, Assignment } from '../rules/rule.schema.js';
import { leastLoaded, ownerFromTraits, roundRobin, type MemberRef } from './owner.js';
import { notify } from './notice.js';
import { addTaskEvent, getTask, planOfRow, taskRecord, type TaskRow } from './task.store.js';

type Db = Kysely<Database>;

export const DEADLINE_QUEUE = 'followup.deadline';
/** Notices the notifications module refused when they were asked for (tasks/notice.ts): they fail visibly here and can be retried. */
export const NOTICE_QUEUE = 'followup.notice';

export const TASK_CREATED = 'followup.task_created';
export const TASK_CONTACTED = 'followup.contacted';
export const TASK_BREACHED = 'followup.breached';
export const TASK_RESOLVED = 'followup.resolved';

export interface TaskContext {
  db: Db;
  queue: JobQueue;
  now: number;
  /** The dashboard's address, for links in notifications. */
  publicUrl?: string | undefined;
  /** A batch's shared reads (policies, calendars, members, targets): read once per batch. */
  reads?: BatchReads | undefined;
  /**
   * A batch's write-behind rows (task events, deadline jobs, timeline records, notifications),
   * written by the batch with one INSERT per table before its facts; absent: written at once.
   */
  writes?: BatchWrites | undefined;
}

export interface DeadlinePayload {
  workspaceId: string;
  taskId: string;
  generation: number;
  step: number;
}

export interface NotifyPayload {
  workspaceId: string;
  taskId: string | null;
  target: Notify;
  event: string;
  title: string;
  text: string;
  data: Record<string, unknown>;
}

/** Queue the deadline jobs of every step not yet fired whose clock runs, for the task's current generation. */
export async function scheduleClock(ctx: TaskContext, row: TaskRow): Promise<void> {
  const plan = planOfRow(row);
  if (!plan || row.paused_at !== null || row.resolved_at !== null) return;
  const state = { startedAt: Number(row.started_at), pausedMs: Number(row.paused_ms) };
  const task = { contactedAt: row.contacted_at === null ? null : Number(row.contacted_at), resolvedAt: null };
  const generation = Number(row.clock_generation);
  for (let n = Number(row.escalation_level) + 1; n <= plan.steps.length; n++) {
    const step = plan.steps[n - 1];
    if (!step || !trackRunning(step.of, task)) continue;
    const payload: DeadlinePayload = { workspaceId: row.workspace_id, taskId: row.id, generation, step: n };
    const options = { runAt: stepDueAt(plan, n, state), uniqueKey: `task:${row.id}:g${generation}:s${n}`, workspaceId: row.workspace_id, maxAttempts: 10 };
    // In a batch: ON CONFLICT DO NOTHING on the unique key, as enqueue does.
    if (ctx.writes) ctx.writes.insertOrIgnore('jobs', jobRow(DEADLINE_QUEUE, payload, options, ctx.now));
    else await ctx.queue.enqueue(DEADLINE_QUEUE, payload, options, ctx.db);
  }
}

/** The silo record and its facts, after any change of a task. */
async function putOnTimeline(ctx: TaskContext, row: TaskRow): Promise<Fact[]> {
  const record = taskRecord(row);
  if (ctx.writes) ctx.writes.upsertRecords([record]);
  else await upsertSourceRecords(ctx.db, [record]).execute();
  return recordFacts([record]);
}

// ---------------------------------------------------------------- creation

async function membersOf(db: Db, workspaceId: string, reads?: BatchReads): Promise<MemberRef[]> {
  return readOnce(reads, `members:${workspaceId}`, () => db.selectFrom('memberships as m').innerJoin('users as u', 'u.id', 'm.user_id').select(['u.id as userId', 'u.email']).where('m.workspace_id', '=', workspaceId).execute());
}

async function openLoads(db: Db, workspaceId: string, userIds: readonly string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('followup_tasks')
    .select(['owner_user_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('owner_user_id', 'in', [...userIds])
    .where('status', 'in', ['open', 'waiting', 'contacted'])
    .groupBy('owner_user_id')
    .execute();
  return new Map(rows.map((r) => [r.owner_user_id as string, Number(r.n)]));
}

async function byTeam(db: Db, workspaceId: string, strategy: 'round_robin' | 'least_loaded', teamId: string, reads?: BatchReads): Promise<string | undefined> {
  const members = await readOnce(reads, `team-members:${workspaceId}:${teamId}`, () => teamMembers(db, workspaceId, teamId));
  if (members.length === 0) return undefined;
  if (strategy === 'round_robin') return roundRobin(members, await nextTurn(db, workspaceId, teamId));
  return leastLoaded(members, await openLoads(db, workspaceId, members));
}

/**
 * Who owns a new task, and through which team (for "my team's tasks" and the calendar). With a
 * batch's `reads`, members are read once per batch; the turn counter and open loads every time.
 */
export async function assignOwner(db: Db, workspaceId: string, assign: Assignment, traits: Record<string, unknown> | null, reads?: BatchReads): Promise<{ ownerUserId: string | null; teamId: string | null; how: string }> {
  switch (assign.strategy) {
    case 'none':
      return { ownerUserId: null, teamId: null, how: 'unassigned' };
    case 'user': {
      const member = (await membersOf(db, workspaceId, reads)).find((m) => m.userId === assign.userId);
      return { ownerUserId: member?.userId ?? null, teamId: null, how: member ? 'user' : 'unassigned (not a member)' };
    }
    case 'round_robin':
    case 'least_loaded':
      return { ownerUserId: (await byTeam(db, workspaceId, assign.strategy, assign.teamId, reads)) ?? null, teamId: assign.teamId, how: assign.strategy };
    case 'account_owner': {
      const owner = traits ? ownerFromTraits(traits, await membersOf(db, workspaceId, reads), assign.trait) : undefined;
      if (owner) return { ownerUserId: owner, teamId: assign.fallback?.teamId ?? null, how: 'account_owner' };
      if (assign.fallback) return { ownerUserId: (await byTeam(db, workspaceId, assign.fallback.strategy, assign.fallback.teamId, reads)) ?? null, teamId: assign.fallback.teamId, how: assign.fallback.strategy };
      return { ownerUserId: null, teamId: null, how: 'unassigned (no account owner)' };
    }
  }
}

export interface NewTask {
  workspaceId: string;
  ruleId: string;
  action: Extract<Action, { type: 'create_task' }>;
  title: string;
  respondent: { kind: string; value: string };
  customerId: string | null;
  traits: Record<string, unknown> | null;
  /** What made the task: a rule's trigger, or a person (`manual`, see by-hand.ts). */
  source: { type: 'event' | 'feedback' | 'tag' | 'manual'; id: string };
  /** When the customer came to need a human (the event's or answer's time). */
  triggerAt: number;
}

/**
 * Create the task unless this rule already made one for this source. Returns the task (new or not) and the facts.
 * `unseen`: the caller has checked in this transaction that none exists (the rule consumer's
 * firing ledger, read for its whole batch), so the look-up first is skipped; the (rule, source)
 * unique index still decides a race. With a batch's `writes`, the task row is only written when
 * the batch flushes: nothing in the batch may read it back before that.
 */
export async function createTask(ctx: TaskContext, input: NewTask, options: { unseen?: boolean } = {}): Promise<{ row: TaskRow; created: boolean; facts: Fact[] }> {
  const { db, now, reads } = ctx;
  if (!options.unseen) {
    const existing = await db
      .selectFrom('followup_tasks')
      .selectAll()
      .where('workspace_id', '=', input.workspaceId)
      .where('rule_id', '=', input.ruleId)
      .where('source_type', '=', input.source.type)
      .where('source_id', '=', input.source.id)
      .executeTakeFirst();
    if (existing) return { row: existing, created: false, facts: [] };
  }

  const { policyId, slaKind } = input.action;
  const policy = policyId
    ? await readOnce(reads, `policy:${input.workspaceId}:${policyId}`, () => findPolicy(db, input.workspaceId, policyId))
    : await readOnce(reads, `policy-of-kind:${input.workspaceId}:${slaKind}`, () => policyOfKind(db, input.workspaceId, slaKind));
  const owner = await assignOwner(db, input.workspaceId, input.action.assign, input.traits, reads);
  const teamId = owner.teamId ?? policy?.teamId ?? null;
  const plan: SlaPlan | null = policy ? planOf(policy, await readOnce(reads, `calendar:${input.workspaceId}:${policy.teamId ?? ''}`, () => calendarOf(db, input.workspaceId, policy.teamId))) : null;
  const startedAt = Math.min(input.triggerAt, now);
  const clock = { startedAt, pausedMs: 0 };
  const id = newId('tsk', now);
  const row: TaskRow = {
    workspace_id: input.workspaceId,
    id,
    rule_id: input.ruleId,
    policy_id: policy?.id ?? null,
    trigger_kind: input.action.slaKind,
    title: input.title,
    priority: input.action.priority,
    status: 'open',
    respondent_kind: input.respondent.kind,
    respondent_value: input.respondent.value,
    customer_id: input.customerId,
    owner_user_id: owner.ownerUserId,
    team_id: teamId,
    source_type: input.source.type,
    source_id: input.source.id,
    sla_plan: plan ? JSON.stringify(plan) : null,
    started_at: startedAt,
    first_contact_due_at: plan ? dueAt(plan, 'first_contact', clock) : null,
    resolution_due_at: plan ? dueAt(plan, 'resolution', clock) : null,
    contacted_at: null,
    contacted_by: null,
    resolved_at: null,
    paused_at: null,
    paused_ms: 0,
    first_breached_at: null,
    resolution_breached_at: null,
    escalation_level: 0,
    clock_generation: 0,
    created_at: now,
    updated_at: now,
  };
  if (options.unseen && ctx.writes) {
    // In a rule batch the task is written with the batch's other rows, one INSERT for all its
    // tasks. Without ON CONFLICT: a task of this rule and source that exists all the same means
    // another consumer did this batch's work; the unique index then fails the batch, which is
    // read again later and skipped by the firing ledger.
    ctx.writes.insert('followup_tasks', row);
  } else {
    const inserted = await db
      .insertInto('followup_tasks')
      .values(row)
      .onConflict((oc) => oc.columns(['workspace_id', 'rule_id', 'source_type', 'source_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      return { row: await getTask(db, input.workspaceId, (await db.selectFrom('followup_tasks').select('id').where('workspace_id', '=', input.workspaceId).where('rule_id', '=', input.ruleId).where('source_type', '=', input.source.type).where('source_id', '=', input.source.id).executeTakeFirstOrThrow()).id), created: false, facts: [] };
    }
  }
  await addTaskEvent(db, input.workspaceId, id, 'created', `rule:${input.ruleId}`, now, {
    source: input.source,
    startedAt,
    firstContactDueAt: row.first_contact_due_at,
    resolutionDueAt: row.resolution_due_at,
    policyId: row.policy_id,
  }, ctx.writes);
  if (owner.ownerUserId) await addTaskEvent(db, input.workspaceId, id, 'assigned', `rule:${input.ruleId}`, now, { ownerUserId: owner.ownerUserId, teamId, how: owner.how }, ctx.writes);
  await scheduleClock(ctx, row);
  const facts = await putOnTimeline(ctx, row);
  facts.push({
    topic: TASK_CREATED,
    subject: `${row.respondent_kind}:${row.respondent_value}`,
    payload: {
      taskId: id,
      ruleId: input.ruleId,
      policyId: row.policy_id,
      triggerKind: row.trigger_kind,
      respondent: input.respondent,
      customerId: input.customerId,
      ownerUserId: row.owner_user_id,
      startedAt,
      firstContactDueAt: row.first_contact_due_at,
      resolutionDueAt: row.resolution_due_at,
    },
  });
  return { row, created: true, facts };
}

// ---------------------------------------------------------------- human actions

async function save(ctx: TaskContext, before: TaskRow, change: Partial<TaskRow>): Promise<TaskRow> {
  const updated_at = Math.max(ctx.now, Number(before.updated_at) + 1);
  const result = await ctx.db
    .updateTable('followup_tasks')
    .set({ ...change, updated_at })
    .where('workspace_id', '=', before.workspace_id)
    .where('id', '=', before.id)
    .where('updated_at', '=', before.updated_at)
    .executeTakeFirst();
  // Someone else changed the task between our read and this write: let them win, and say so.
  if (Number(result.numUpdatedRows) === 0) throw new AppError('TASK_CHANGED', 'the task changed meanwhile; reload it and try again', { taskId: before.id });
  return { ...before, ...change, updated_at };
}

/** Bring a paused clock back: add the paused working time, move the due instants, new generation. */
function unpause(before: TaskRow, now: number): Partial<TaskRow> {
  const plan = planOfRow(before);
  if (before.paused_at === null || !plan) return { paused_at: null };
  const pausedMs = Number(before.paused_ms) + pausedWorkingTime(plan, Number(before.paused_at), now);
  const clock = { startedAt: Number(before.started_at), pausedMs };
  return {
    paused_at: null,
    paused_ms: pausedMs,
    // Once contacted, the first-contact clock has stopped: a later wait moves only resolution.
    ...(before.contacted_at === null ? { first_contact_due_at: dueAt(plan, 'first_contact', clock) } : {}),
    resolution_due_at: dueAt(plan, 'resolution', clock),
    clock_generation: Number(before.clock_generation) + 1,
  };
}

function contactedFact(row: TaskRow): Fact {
  const plan = planOfRow(row);
  const contactedAt = Number(row.contacted_at);
  const due = row.first_contact_due_at === null ? null : Number(row.first_contact_due_at);
  return {
    topic: TASK_CONTACTED,
    subject: `${row.respondent_kind}:${row.respondent_value}`,
    payload: {
      taskId: row.id,
      ruleId: row.rule_id,
      triggerKind: row.trigger_kind,
      customerId: row.customer_id,
      startedAt: Number(row.started_at),
      contactedAt,
      contactedBy: row.contacted_by,
      dueAt: due,
      met: due === null ? null : contactedAt <= due,
      /** Speed to contact: elapsed time from the trigger, and working time less pauses on the SLA's calendar. */
      elapsedMs: contactedAt - Number(row.started_at),
      workingMs: plan ? workingElapsed(plan, { startedAt: Number(row.started_at), pausedMs: Number(row.paused_ms) }, contactedAt) : null,
    },
  };
}

/** The first human contact: stops the first-contact clock. `at` is when it happened (an event's time, or now). */
export async function contactTask(ctx: TaskContext, before: TaskRow, by: string, at: number): Promise<{ row: TaskRow; facts: Fact[] }> {
  if (before.status === 'resolved' || before.contacted_at !== null) throw new AppError('TASK_CLOSED', `the task is already ${before.status}`, { status: before.status });
  const contactedAt = Math.max(Number(before.started_at), Math.min(at, ctx.now));
  const row = await save(ctx, before, { ...unpause(before, contactedAt), status: 'contacted', contacted_at: contactedAt, contacted_by: by });
  await addTaskEvent(ctx.db, row.workspace_id, row.id, 'contacted', by, ctx.now, { contactedAt, dueAt: row.first_contact_due_at }, ctx.writes);
  if (Number(row.clock_generation) !== Number(before.clock_generation)) await scheduleClock(ctx, row);
  return { row, facts: [...(await putOnTimeline(ctx, row)), contactedFact(row)] };
}

export async function waitTask(ctx: TaskContext, before: TaskRow, by: string): Promise<{ row: TaskRow; facts: Fact[] }> {
  if (before.status !== 'open' && before.status !== 'contacted') throw new AppError('TASK_CLOSED', `a ${before.status} task cannot start waiting`, { status: before.status });
  const plan = planOfRow(before);
  const pause = plan?.pauseWhenWaiting ?? false;
  const row = await save(ctx, before, { status: 'waiting', ...(pause ? { paused_at: ctx.now, clock_generation: Number(before.clock_generation) + 1 } : {}) });
  await addTaskEvent(ctx.db, row.workspace_id, row.id, 'waiting', by, ctx.now, { clockPaused: pause });
  return { row, facts: await putOnTimeline(ctx, row) };
}

export async function resumeTask(ctx: TaskContext, before: TaskRow, by: string): Promise<{ row: TaskRow; facts: Fact[] }> {
  if (before.status !== 'waiting') throw new AppError('TASK_CLOSED', `a ${before.status} task is not waiting`, { status: before.status });
  const change = unpause(before, ctx.now);
  const row = await save(ctx, before, { ...change, status: before.contacted_at === null ? 'open' : 'contacted' });
  await addTaskEvent(ctx.db, row.workspace_id, row.id, 'resumed', by, ctx.now, { pausedMs: Number(row.paused_ms), firstContactDueAt: row.first_contact_due_at, resolutionDueAt: row.resolution_due_at });
  await scheduleClock(ctx, row);
  return { row, facts: await putOnTimeline(ctx, row) };
}

export async function resolveTask(ctx: TaskContext, before: TaskRow, by: string): Promise<{ row: TaskRow; facts: Fact[] }> {
  if (before.status === 'resolved') throw new AppError('TASK_CLOSED', 'the task is already resolved', { status: before.status });
  const facts: Fact[] = [];
  let current = before;
  // Resolving is a human contact too, when none was recorded.
  if (current.contacted_at === null) {
    const contacted = await contactTask(ctx, current, by, ctx.now);
    current = contacted.row;
    facts.push(...contacted.facts.filter((f) => f.topic === TASK_CONTACTED));
  }
  const row = await save(ctx, current, { ...unpause(current, ctx.now), status: 'resolved', resolved_at: ctx.now });
  await addTaskEvent(ctx.db, row.workspace_id, row.id, 'resolved', by, ctx.now, { dueAt: row.resolution_due_at });
  const due = row.resolution_due_at === null ? null : Number(row.resolution_due_at);
  facts.push(...(await putOnTimeline(ctx, row)), {
    topic: TASK_RESOLVED,
    subject: `${row.respondent_kind}:${row.respondent_value}`,
    payload: { taskId: row.id, ruleId: row.rule_id, triggerKind: row.trigger_kind, customerId: row.customer_id, startedAt: Number(row.started_at), resolvedAt: ctx.now, dueAt: due, met: due === null ? null : ctx.now <= due },
  });
  return { row, facts };
}

export async function assignTask(ctx: TaskContext, before: TaskRow, userId: string, by: string): Promise<{ row: TaskRow; facts: Fact[] }> {
  const member = await ctx.db.selectFrom('memberships').select('user_id').where('workspace_id', '=', before.workspace_id).where('user_id', '=', userId).executeTakeFirst();
  if (!member) throw new AppError('MEMBER_NOT_FOUND', `${userId} is not a member of this workspace`);
  const row = await save(ctx, before, { owner_user_id: userId });
  await addTaskEvent(ctx.db, row.workspace_id, row.id, 'assigned', by, ctx.now, { ownerUserId: userId, previous: before.owner_user_id });
  return { row, facts: await putOnTimeline(ctx, row) };
}

// ---------------------------------------------------------------- the deadline job

/**
 * Take the task's row lock first thing in a transaction: on PostgreSQL a row lock; on SQLite a
 * no-op write, so that the transaction holds the write lock from its start (a transaction that
 * reads first and writes later cannot wait for another connection's write; it fails at once).
 */
export async function lockTask(db: Db, dialect: DialectName, workspaceId: string, taskId: string): Promise<void> {
  await lockTasks(db, dialect, workspaceId, [taskId]);
}

/** Lock tasks of one workspace for the rest of the transaction, in id order (one statement). */
export async function lockTasks(db: Db, dialect: DialectName, workspaceId: string, taskIds: readonly string[]): Promise<void> {
  if (taskIds.length === 0) return;
  const ids = [...new Set(taskIds)].sort();
  if (dialect === 'postgres') {
    await db.selectFrom('followup_tasks').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', ids).orderBy('id').forUpdate().execute();
  } else {
    await db.updateTable('followup_tasks').set((eb) => ({ escalation_level: eb.ref('escalation_level') })).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  }
}

export interface DeadlineOutcome {
  fired: number[];
  breached: ('first_contact' | 'resolution')[];
  /** Why nothing fired, when nothing did. */
  skipped?: string;
}

/**
 * One deadline job: fire every step from the task's level + 1 up to `step` whose clock still
 * runs (a late job, after downtime, catches up on the steps before it), then move the level
 * with a compare-and-set. Returns what fired; the facts go in `facts`.
 */
export async function fireDeadline(ctx: TaskContext, p: DeadlinePayload, facts: Fact[]): Promise<DeadlineOutcome> {
  const row = await ctx.db.selectFrom('followup_tasks').selectAll().where('workspace_id', '=', p.workspaceId).where('id', '=', p.taskId).executeTakeFirst();
  if (!row) return { fired: [], breached: [], skipped: 'no such task' };
  const plan = planOfRow(row);
  if (!plan) return { fired: [], breached: [], skipped: 'no clock' };
  if (Number(row.clock_generation) !== p.generation) return { fired: [], breached: [], skipped: 'stale generation' };
  if (row.paused_at !== null) return { fired: [], breached: [], skipped: 'paused' };
  const level = Number(row.escalation_level);
  if (level >= p.step) return { fired: [], breached: [], skipped: 'already fired' };
  const state = { startedAt: Number(row.started_at), pausedMs: Number(row.paused_ms) };
  const running = { contactedAt: row.contacted_at === null ? null : Number(row.contacted_at), resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at) };
  const now = ctx.now;

  let upTo = level;
  const toFire: number[] = [];
  for (let n = level + 1; n <= Math.min(p.step, plan.steps.length); n++) {
    if (stepDueAt(plan, n, state) > now) break;
    upTo = n;
    const s = plan.steps[n - 1];
    if (s && trackRunning(s.of, running)) toFire.push(n);
  }
  if (upTo === level) return { fired: [], breached: [], skipped: 'not due' };

  // Compare-and-set on the state read: a contact, resolution, pause or another worker in between wins.
  const claimed = await ctx.db
    .updateTable('followup_tasks')
    .set((eb) => ({
      escalation_level: upTo,
      updated_at: Math.max(now, Number(row.updated_at) + 1),
      first_breached_at: eb.fn.coalesce('first_breached_at', eb.val(toFire.some((n) => plan.steps[n - 1]?.breach && plan.steps[n - 1]?.of === 'first_contact') ? now : null)),
      resolution_breached_at: eb.fn.coalesce('resolution_breached_at', eb.val(toFire.some((n) => plan.steps[n - 1]?.breach && plan.steps[n - 1]?.of === 'resolution') ? now : null)),
    }))
    .where('workspace_id', '=', p.workspaceId)
    .where('id', '=', p.taskId)
    .where('escalation_level', '=', level)
    .where('clock_generation', '=', p.generation)
    .where('paused_at', 'is', null)
    .where('contacted_at', running.contactedAt === null ? 'is' : '=', running.contactedAt)
    .where('resolved_at', running.resolvedAt === null ? 'is' : '=', running.resolvedAt)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return { fired: [], breached: [], skipped: 'changed meanwhile' };

  const breached: DeadlineOutcome['breached'] = [];
  for (const n of toFire) {
    const s = plan.steps[n - 1] as SlaPlan['steps'][number];
    const due = stepDueAt(plan, n, state);
    const timing = { step: n, of: s.of, atPercent: s.atPercent, dueAt: due, firedAt: now, latenessMs: now - due };
    await addTaskEvent(ctx.db, p.workspaceId, p.taskId, 'escalated', 'sla', now, { ...timing, notify: s.notify });
    const alreadyBreached = s.of === 'first_contact' ? row.first_breached_at !== null : row.resolution_breached_at !== null;
    if (s.breach && !alreadyBreached) {
      breached.push(s.of);
      await addTaskEvent(ctx.db, p.workspaceId, p.taskId, 'breached', 'sla', now, timing);
      facts.push({
        topic: TASK_BREACHED,
        subject: `${row.respondent_kind}:${row.respondent_value}`,
        payload: { taskId: row.id, ruleId: row.rule_id, triggerKind: row.trigger_kind, customerId: row.customer_id, of: s.of, startedAt: state.startedAt, dueAt: due, breachedAt: now, latenessMs: now - due },
      });
    }
    for (const [i, target] of s.notify.entries()) {
      await notify(
        ctx,
        {
          workspaceId: p.workspaceId,
          taskId: p.taskId,
          target,
          event: s.breach ? 'task.breached' : 'task.escalated',
          title: `${s.breach ? 'SLA breached' : `SLA at ${s.atPercent}%`}: ${row.title}`,
          text: `${s.of === 'first_contact' ? 'First contact' : 'Resolution'} was due ${new Date(due).toISOString()}.`,
          data: { taskId: row.id, ...timing },
        },
        `task:${row.id}:s${n}:n${i}`,
      );
    }
  }
  if (breached.length > 0) facts.unshift(...(await putOnTimeline(ctx, { ...row, first_breached_at: breached.includes('first_contact') ? now : row.first_breached_at })));
  return { fired: toFire, breached };
}
