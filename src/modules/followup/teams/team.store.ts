/** Teams, their members and SLA policies: queries and the use cases the API needs. */
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { toIso } from '../../../platform/clock.js';
import type { Database, SlaPoliciesTable } from '../../../store/index.js';
import { TWENTY_FOUR_SEVEN, ZCalendar, type Calendar } from '../clock/calendar.js';
import { ZEscalationStep, type EscalationStep, type PolicyLike } from '../clock/sla.js';
import { minutesToMs, msToMinutes, type PolicyView, type TeamView, type ZPolicyInput, type ZPolicyPatch, type ZTeamInput, type ZTeamPatch } from './team.schema.js';

type Db = Kysely<Database>;

export interface StoredPolicy extends PolicyLike {
  name: string;
  triggerKind: string;
  teamId: string | null;
  createdAt: number;
  updatedAt: number;
}

function parseCalendar(text: string): Calendar {
  const parsed = ZCalendar.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : TWENTY_FOUR_SEVEN;
}

/** Members of the workspace among these user ids that are not: for a clear refusal. */
async function assertMembers(db: Db, workspaceId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const rows = await db.selectFrom('memberships').select('user_id').where('workspace_id', '=', workspaceId).where('user_id', 'in', [...new Set(userIds)]).execute();
  const known = new Set(rows.map((r) => r.user_id));
  const missing = userIds.filter((u) => !known.has(u));
  if (missing.length > 0) throw new AppError('MEMBER_NOT_FOUND', `not members of this workspace: ${missing.join(', ')}`, { userIds: missing });
}

export async function teamMembers(db: Db, workspaceId: string, teamId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('team_members')
    .select('user_id')
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .orderBy('created_at')
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function findTeam(db: Db, workspaceId: string, teamId: string): Promise<TeamView | undefined> {
  const row = await db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', teamId).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    calendar: parseCalendar(row.calendar),
    managerUserId: row.manager_user_id,
    members: await teamMembers(db, workspaceId, teamId),
    createdAt: toIso(Number(row.created_at)) as string,
    updatedAt: toIso(Number(row.updated_at)) as string,
  };
}

export async function getTeam(db: Db, workspaceId: string, teamId: string): Promise<TeamView> {
  const team = await findTeam(db, workspaceId, teamId);
  if (!team) throw new AppError('TEAM_NOT_FOUND', `no team ${teamId} in this workspace`);
  return team;
}

export async function listTeams(db: Db, workspaceId: string): Promise<TeamView[]> {
  const rows = await db.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).orderBy('name').execute();
  const out: TeamView[] = [];
  for (const r of rows) out.push(await getTeam(db, workspaceId, r.id));
  return out;
}

async function setMembers(db: Db, workspaceId: string, teamId: string, members: readonly string[], now: number): Promise<void> {
  await db.deleteFrom('team_members').where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).execute();
  const unique = [...new Set(members)];
  // created_at keeps the given order: it is the round-robin order.
  if (unique.length > 0) await db.insertInto('team_members').values(unique.map((user_id, i) => ({ workspace_id: workspaceId, team_id: teamId, user_id, created_at: now + i }))).execute();
}

export async function createTeam(db: Db, workspaceId: string, input: z.infer<typeof ZTeamInput>, now: number): Promise<TeamView> {
  await assertMembers(db, workspaceId, [...input.members, ...(input.managerUserId ? [input.managerUserId] : [])]);
  const id = newId('team', now);
  await db
    .insertInto('teams')
    .values({ workspace_id: workspaceId, id, name: input.name, calendar: JSON.stringify(input.calendar ?? TWENTY_FOUR_SEVEN), manager_user_id: input.managerUserId, created_at: now, updated_at: now })
    .execute();
  await setMembers(db, workspaceId, id, input.members, now);
  return getTeam(db, workspaceId, id);
}

export async function changeTeam(db: Db, workspaceId: string, teamId: string, patch: z.infer<typeof ZTeamPatch>, now: number): Promise<TeamView> {
  await getTeam(db, workspaceId, teamId);
  await assertMembers(db, workspaceId, [...(patch.members ?? []), ...(patch.managerUserId ? [patch.managerUserId] : [])]);
  await db
    .updateTable('teams')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.calendar !== undefined ? { calendar: JSON.stringify(patch.calendar ?? TWENTY_FOUR_SEVEN) } : {}),
      ...(patch.managerUserId !== undefined ? { manager_user_id: patch.managerUserId } : {}),
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', teamId)
    .execute();
  if (patch.members) await setMembers(db, workspaceId, teamId, patch.members, now);
  return getTeam(db, workspaceId, teamId);
}

export async function deleteTeam(db: Db, workspaceId: string, teamId: string): Promise<void> {
  await getTeam(db, workspaceId, teamId);
  await db.deleteFrom('team_members').where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).execute();
  await db.deleteFrom('teams').where('workspace_id', '=', workspaceId).where('id', '=', teamId).execute();
  await db.updateTable('sla_policies').set({ team_id: null }).where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).execute();
}

/** The team's calendar (24/7 for no team or an unknown one). */
export async function calendarOf(db: Db, workspaceId: string, teamId: string | null): Promise<Calendar> {
  if (!teamId) return TWENTY_FOUR_SEVEN;
  const row = await db.selectFrom('teams').select('calendar').where('workspace_id', '=', workspaceId).where('id', '=', teamId).executeTakeFirst();
  return row ? parseCalendar(row.calendar) : TWENTY_FOUR_SEVEN;
}

/** Move the team's round-robin counter on by one and return its new value (durable, one writer at a time). */
export async function nextTurn(db: Db, workspaceId: string, teamId: string): Promise<number> {
  const row = await db
    .updateTable('teams')
    .set((eb) => ({ rr_counter: eb('rr_counter', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', teamId)
    .returning('rr_counter')
    .executeTakeFirst();
  return row ? Number(row.rr_counter) : 0;
}

// ---------------------------------------------------------------- policies

type PolicyRow = Selectable<SlaPoliciesTable>;

function policyOf(r: PolicyRow): StoredPolicy {
  const escalation = ZEscalationStep.array().safeParse(JSON.parse(r.escalation));
  return {
    id: r.id,
    name: r.name,
    triggerKind: r.trigger_kind,
    firstContactMs: Number(r.first_contact_ms),
    resolutionMs: r.resolution_ms === null ? null : Number(r.resolution_ms),
    teamId: r.team_id,
    pauseWhenWaiting: Number(r.pause_when_waiting) === 1,
    escalation: escalation.success ? (escalation.data as EscalationStep[]) : [],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export const policyView = (p: StoredPolicy): PolicyView => ({
  id: p.id,
  name: p.name,
  triggerKind: p.triggerKind,
  firstContactMinutes: msToMinutes(p.firstContactMs),
  resolutionMinutes: p.resolutionMs === null ? null : msToMinutes(p.resolutionMs),
  teamId: p.teamId,
  pauseWhenWaiting: p.pauseWhenWaiting,
  escalation: p.escalation,
  createdAt: toIso(p.createdAt) as string,
  updatedAt: toIso(p.updatedAt) as string,
});

export async function findPolicy(db: Db, workspaceId: string, policyId: string): Promise<StoredPolicy | undefined> {
  const r = await db.selectFrom('sla_policies').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', policyId).executeTakeFirst();
  return r ? policyOf(r) : undefined;
}

export async function getPolicy(db: Db, workspaceId: string, policyId: string): Promise<StoredPolicy> {
  const p = await findPolicy(db, workspaceId, policyId);
  if (!p) throw new AppError('POLICY_NOT_FOUND', `no SLA policy ${policyId} in this workspace`);
  return p;
}

/** The policy of a trigger kind: the newest one. */
export async function policyOfKind(db: Db, workspaceId: string, kind: string): Promise<StoredPolicy | undefined> {
  const r = await db
    .selectFrom('sla_policies')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('trigger_kind', '=', kind)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r ? policyOf(r) : undefined;
}

export async function listPolicies(db: Db, workspaceId: string): Promise<StoredPolicy[]> {
  const rows = await db.selectFrom('sla_policies').selectAll().where('workspace_id', '=', workspaceId).orderBy('trigger_kind').orderBy('created_at').execute();
  return rows.map(policyOf);
}

export async function createPolicy(db: Db, workspaceId: string, input: z.infer<typeof ZPolicyInput>, now: number): Promise<StoredPolicy> {
  if (input.teamId) await getTeam(db, workspaceId, input.teamId);
  const id = newId('sla', now);
  await db
    .insertInto('sla_policies')
    .values({
      workspace_id: workspaceId,
      id,
      name: input.name,
      trigger_kind: input.triggerKind,
      first_contact_ms: minutesToMs(input.firstContactMinutes),
      resolution_ms: input.resolutionMinutes === null ? null : minutesToMs(input.resolutionMinutes),
      team_id: input.teamId,
      pause_when_waiting: input.pauseWhenWaiting ? 1 : 0,
      escalation: JSON.stringify(input.escalation),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return getPolicy(db, workspaceId, id);
}

export async function changePolicy(db: Db, workspaceId: string, policyId: string, patch: z.infer<typeof ZPolicyPatch>, now: number): Promise<StoredPolicy> {
  const current = await getPolicy(db, workspaceId, policyId);
  if (patch.teamId) await getTeam(db, workspaceId, patch.teamId);
  const resolutionMs = patch.resolutionMinutes === undefined ? current.resolutionMs : patch.resolutionMinutes === null ? null : minutesToMs(patch.resolutionMinutes);
  const escalation = patch.escalation ?? current.escalation;
  const bad = escalation.findIndex((e) => e.of === 'resolution' && resolutionMs === null);
  if (bad >= 0) throw new AppError('VALIDATION_FAILED', `body.escalation.${bad}.of: the policy has no resolution target`, { issues: [{ path: `body.escalation.${bad}.of`, message: 'the policy has no resolution target' }] });
  await db
    .updateTable('sla_policies')
    .set({
      name: patch.name ?? current.name,
      first_contact_ms: patch.firstContactMinutes === undefined ? current.firstContactMs : minutesToMs(patch.firstContactMinutes),
      resolution_ms: resolutionMs,
      team_id: patch.teamId === undefined ? current.teamId : patch.teamId,
      pause_when_waiting: (patch.pauseWhenWaiting ?? current.pauseWhenWaiting) ? 1 : 0,
      escalation: JSON.stringify(escalation),
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', policyId)
    .execute();
  return getPolicy(db, workspaceId, policyId);
}

export async function deletePolicy(db: Db, workspaceId: string, policyId: string): Promise<void> {
  await getPolicy(db, workspaceId, policyId);
  await db.deleteFrom('sla_policies').where('workspace_id', '=', workspaceId).where('id', '=', policyId).execute();
}
