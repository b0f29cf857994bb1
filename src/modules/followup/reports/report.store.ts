/**
 * The reads behind the follow-up reports, written once with Kysely for both dialects.
 * - SLA counts are aggregated in SQL: each task's outcome (report.maths.ts) is a CASE over its
 *   columns and the report's instant, counted per (policy, team, owner) or per UTC day; the
 *   database returns a few rows per group, never one per task.
 * - Quantiles differ by dialect in SQL (PostgreSQL has percentile_cont, SQLite has none), so the
 *   speed report reads the contacted tasks' times (a few numbers each) and sorts them in JS.
 * Ranges are bounded (MAX_RANGE_DAYS); `followup_tasks_report_idx` serves the kind filter.
 */
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../../store/index.js';
import { DAY_MS, type Outcome, type ReportTask } from './report.maths.js';

type Db = Kysely<Database>;

export interface TaskFilters {
  workspaceId: string;
  /** Tasks started in [from, to). */
  from: number;
  to: number;
  policyId?: string | undefined;
  teamId?: string | undefined;
  ownerUserId?: string | undefined;
  kind?: string | undefined;
}

type TasksQuery<O> = SelectQueryBuilder<Database, 'followup_tasks', O>;

function filtered<O>(q: TasksQuery<O>, f: TaskFilters): TasksQuery<O> {
  return q
    .where('workspace_id', '=', f.workspaceId)
    .where('started_at', '>=', f.from)
    .where('started_at', '<', f.to)
    .$if(f.kind !== undefined, (x) => x.where('trigger_kind', '=', f.kind as string))
    .$if(f.policyId !== undefined, (x) => x.where('policy_id', '=', f.policyId as string))
    .$if(f.teamId !== undefined, (x) => x.where('team_id', '=', f.teamId as string))
    .$if(f.ownerUserId !== undefined, (x) => x.where('owner_user_id', '=', f.ownerUserId as string));
}

/**
 * A target's outcome at `asOf`, in SQL: the same rules as report.maths.ts `judge` (no target;
 * breach recorded; stopped by / after the deadline; running and past it; else pending).
 */
function outcomeSql(due: string, stopped: string, breached: string, asOf: number): RawBuilder<Outcome> {
  const [d, s, b] = [sql.ref(due), sql.ref(stopped), sql.ref(breached)];
  return sql<Outcome>`case when ${d} is null then 'no_target' when ${b} is not null then 'missed' when ${s} is not null then (case when ${s} <= ${d} then 'met' else 'missed' end) when paused_at is null and ${d} <= ${sql.lit(asOf)} then 'missed' else 'pending' end`;
}

const count = sql<number | string>`count(*)`;

export interface OutcomeCount {
  policyId: string | null;
  teamId: string | null;
  ownerUserId: string | null;
  first: Outcome;
  resolution: Outcome;
  n: number;
}

/** Tasks counted per (policy, team, owner, first-contact outcome, resolution outcome). */
export async function outcomeCounts(db: Db, f: TaskFilters, asOf: number): Promise<OutcomeCount[]> {
  const first = outcomeSql('first_contact_due_at', 'contacted_at', 'first_breached_at', asOf);
  const resolution = outcomeSql('resolution_due_at', 'resolved_at', 'resolution_breached_at', asOf);
  const rows = await filtered(db.selectFrom('followup_tasks'), f)
    .select(['policy_id', 'team_id', 'owner_user_id', first.as('first'), resolution.as('resolution'), count.as('n')])
    .groupBy(['policy_id', 'team_id', 'owner_user_id', first, resolution])
    .execute();
  return rows.map((r) => ({ policyId: r.policy_id, teamId: r.team_id, ownerUserId: r.owner_user_id, first: r.first, resolution: r.resolution, n: Number(r.n) }));
}

export interface DayCount {
  /** Days since the epoch (UTC). */
  day: number;
  first: Outcome;
  n: number;
}

/** Tasks counted per UTC day of their start and first-contact outcome. */
export async function dailyOutcomeCounts(db: Db, f: TaskFilters, asOf: number): Promise<DayCount[]> {
  const first = outcomeSql('first_contact_due_at', 'contacted_at', 'first_breached_at', asOf);
  const day = sql<number>`started_at / ${sql.lit(DAY_MS)}`;
  const rows = await filtered(db.selectFrom('followup_tasks'), f)
    .select([day.as('day'), first.as('first'), count.as('n')])
    .groupBy([day, first])
    .execute();
  return rows.map((r) => ({ day: Number(r.day), first: r.first, n: Number(r.n) }));
}

/** Start and first contact of the contacted tasks of a range (for medians). */
export async function contactTimes(db: Db, f: TaskFilters): Promise<{ startedAt: number; contactedAt: number }[]> {
  const rows = await filtered(db.selectFrom('followup_tasks'), f).select(['started_at', 'contacted_at']).where('contacted_at', 'is not', null).execute();
  return rows.map((r) => ({ startedAt: Number(r.started_at), contactedAt: Number(r.contacted_at) }));
}

/** What the speed report reads of each task of a range; the SLA plan (for working time) of contacted tasks only. */
export async function speedTasks(db: Db, f: TaskFilters): Promise<ReportTask[]> {
  const plan = sql<string | null>`case when contacted_at is not null then sla_plan end`;
  const rows = await filtered(db.selectFrom('followup_tasks'), f)
    .select(['started_at', 'team_id', 'owner_user_id', 'trigger_kind', 'contacted_at', 'paused_ms', plan.as('plan')])
    .execute();
  return rows.map((r) => ({
    startedAt: Number(r.started_at),
    teamId: r.team_id,
    ownerUserId: r.owner_user_id,
    kind: r.trigger_kind,
    contactedAt: r.contacted_at === null ? null : Number(r.contacted_at),
    pausedMs: Number(r.paused_ms),
    plan: r.plan,
  }));
}

export interface Labels {
  policies: Map<string, string>;
  teams: Map<string, string>;
  /** Members of the workspace: their name (or e-mail). */
  users: Map<string, string>;
}

/** Names of the workspace's policies, teams and members (never another workspace's). */
export async function reportLabels(db: Db, workspaceId: string): Promise<Labels> {
  const [policies, teams, users] = await Promise.all([
    db.selectFrom('sla_policies').select(['id', 'name']).where('workspace_id', '=', workspaceId).execute(),
    db.selectFrom('teams').select(['id', 'name']).where('workspace_id', '=', workspaceId).execute(),
    db.selectFrom('memberships as m').innerJoin('users as u', 'u.id', 'm.user_id').select(['u.id', 'u.name', 'u.email']).where('m.workspace_id', '=', workspaceId).execute(),
  ]);
  return {
    policies: new Map(policies.map((p) => [p.id, p.name])),
    teams: new Map(teams.map((t) => [t.id, t.name])),
    users: new Map(users.map((u) => [u.id, u.name.trim() || u.email])),
  };
}
