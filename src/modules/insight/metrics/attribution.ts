/**
 * Who served the customer an answer is about: the team and agent its satisfaction counts for.
 *
 * What can be attributed, strongest first (each of team and agent is taken from the first
 * source that names it):
 * 1. An importer's explicit attribution (`recordAttributions`): the demo's after-support CSAT
 *    names each solved ticket's team and assignee; an import of another tool's history can too.
 * 2. A survey sent by a follow-up rule (delivery trigger `rule:<id>`) for a tracked event, when
 *    the same rule made a task for that event: the task's owner and team.
 * 3. A survey triggered by a tracked event (`Ticket Solved` …): the event's properties
 *    `teamId` / `team_id` / `team` and `agentId` / `agent_id` / `assigneeId` / `assignee_id` /
 *    `agent` / `assignee`.
 * What cannot: answers to links and widgets handed out by hand or minted over the API, and
 * answers to rule surveys whose trigger was itself an answer or a tag (their delivery does not
 * keep the trigger). Those count under team and agent '' ("unattributed").
 *
 * The ids are whatever the source used: follow-up team ids and member user ids for tasks, the
 * support desk's ids for events and imports (the demo's `nw-team-…`, `nw-emp-…`); labels.ts
 * names them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';
import type { ResponseScores } from '../../feedback/index.js';
import { taskOwnersOf } from '../../followup/index.js';
import { eventById } from '../../ingest/index.js';

export interface Attribution {
  /** '' when unknown. */
  teamId: string;
  agentId: string;
}

export interface ExplicitAttribution {
  responseId: string;
  teamId?: string | null | undefined;
  agentId?: string | null | undefined;
}

const TEAM_KEYS = ['teamId', 'team_id', 'team'] as const;
const AGENT_KEYS = ['agentId', 'agent_id', 'assigneeId', 'assignee_id', 'agent', 'assignee'] as const;
const MAX_ID = 200;

function idIn(props: Record<string, unknown> | null, keys: readonly string[]): string | undefined {
  if (!props) return undefined;
  for (const k of keys) {
    const v = props[k];
    if ((typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v))) return String(v).trim().slice(0, MAX_ID);
  }
  return undefined;
}

const CHUNK = 500;
const RULE_PREFIX = 'rule:';
const isEventId = (id: string | null): id is string => id !== null && id.startsWith('evt_');

/** The attribution of each response (every one of them gets an entry, '' where unknown). */
export async function attributionsOf(db: Kysely<Database>, workspaceId: string, responses: readonly ResponseScores[]): Promise<Map<string, Attribution>> {
  const team = new Map<string, string>();
  const agent = new Map<string, string>();
  const fill = (responseId: string, t: string | null | undefined, a: string | null | undefined) => {
    if (t && !team.has(responseId)) team.set(responseId, t);
    if (a && !agent.has(responseId)) agent.set(responseId, a);
  };

  const ids = responses.map((r) => r.id);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('insight_answer_attribution')
      .select(['response_id', 'team_id', 'agent_id'])
      .where('workspace_id', '=', workspaceId)
      .where('response_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) fill(r.response_id, r.team_id, r.agent_id);
  }

  const ruled = responses.filter((r) => r.triggerId?.startsWith(RULE_PREFIX) && isEventId(r.eventId));
  if (ruled.length > 0) {
    const owners = await taskOwnersOf(
      db,
      workspaceId,
      ruled.map((r) => ({ ruleId: (r.triggerId as string).slice(RULE_PREFIX.length), sourceType: 'event', sourceId: r.eventId as string })),
    );
    for (const r of ruled) {
      const task = owners.get(`${(r.triggerId as string).slice(RULE_PREFIX.length)}|event|${r.eventId as string}`);
      if (task) fill(r.id, task.teamId, task.ownerUserId);
    }
  }

  const events = new Map<string, Record<string, unknown> | null>();
  for (const r of responses) {
    if (!isEventId(r.eventId) || (team.has(r.id) && agent.has(r.id))) continue;
    if (!events.has(r.eventId)) events.set(r.eventId, (await eventById(db, workspaceId, r.eventId))?.properties ?? null);
    const props = events.get(r.eventId) ?? null;
    fill(r.id, idIn(props, TEAM_KEYS), idIn(props, AGENT_KEYS));
  }

  return new Map(responses.map((r) => [r.id, { teamId: team.get(r.id) ?? '', agentId: agent.get(r.id) ?? '' }]));
}

/** Store explicit attributions (idempotent on the response id: the last one given wins). */
export async function storeAttributions(db: Kysely<Database>, workspaceId: string, rows: readonly ExplicitAttribution[], origin: string, now: number): Promise<void> {
  // One row per response (a statement may not update a row twice): the last one given wins.
  const unique = [...new Map(rows.map((r) => [r.responseId, r])).values()];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const values = unique.slice(i, i + CHUNK).map((r) => ({
      workspace_id: workspaceId,
      response_id: r.responseId,
      team_id: r.teamId ? r.teamId.slice(0, MAX_ID) : null,
      agent_id: r.agentId ? r.agentId.slice(0, MAX_ID) : null,
      origin,
      created_at: now,
    }));
    await db
      .insertInto('insight_answer_attribution')
      .values(values)
      .onConflict((oc) => oc.columns(['workspace_id', 'response_id']).doUpdateSet((eb) => ({ team_id: eb.ref('excluded.team_id'), agent_id: eb.ref('excluded.agent_id'), origin: eb.ref('excluded.origin') })))
      .execute();
  }
}
