/**
 * The satisfaction rollup tables: the ledger of what each response contributes, the two daily
 * histograms it sums into, and their reads. Written once with Kysely for both dialects; deltas
 * are applied as upserts that add (`s3 = s3 + excluded.s3`), so a batch's change is a few
 * statements whatever the number of answers behind it.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../../store/index.js';
import type { DayCell, LedgerRow, PeopleCell } from './satisfaction.delta.js';
import type { Histogram, SatisfactionMetric } from './satisfaction.maths.js';

type Db = Kysely<Database>;

export const SCORE_COLUMNS = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10'] as const;
type ScoreColumn = (typeof SCORE_COLUMNS)[number];

const CHUNK = 500;
/** Rows per upsert: 17 bound values each. */
const CELL_CHUNK = 50;

export async function readLedger(db: Db, workspaceId: string, ids: readonly string[]): Promise<Map<string, LedgerRow>> {
  const out = new Map<string, LedgerRow>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('insight_answers').selectAll().where('workspace_id', '=', workspaceId).where('response_id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const r of rows) {
      out.set(r.response_id, { responseId: r.response_id, day: Number(r.day), surveyId: r.survey_id, channel: r.channel, teamId: r.team_id, agentId: r.agent_id, nps: r.nps, csat: r.csat, ces: r.ces });
    }
  }
  return out;
}

export async function writeLedger(db: Db, workspaceId: string, rows: readonly LedgerRow[], now: number): Promise<void> {
  for (let i = 0; i < rows.length; i += CELL_CHUNK * 2) {
    await db
      .insertInto('insight_answers')
      .values(
        rows.slice(i, i + CELL_CHUNK * 2).map((r) => ({
          workspace_id: workspaceId,
          response_id: r.responseId,
          day: r.day,
          survey_id: r.surveyId,
          channel: r.channel,
          team_id: r.teamId,
          agent_id: r.agentId,
          nps: r.nps,
          csat: r.csat,
          ces: r.ces,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'response_id']).doUpdateSet((eb) => ({
          day: eb.ref('excluded.day'),
          survey_id: eb.ref('excluded.survey_id'),
          channel: eb.ref('excluded.channel'),
          team_id: eb.ref('excluded.team_id'),
          agent_id: eb.ref('excluded.agent_id'),
          nps: eb.ref('excluded.nps'),
          csat: eb.ref('excluded.csat'),
          ces: eb.ref('excluded.ces'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function deleteLedger(db: Db, workspaceId: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) await db.deleteFrom('insight_answers').where('workspace_id', '=', workspaceId).where('response_id', 'in', ids.slice(i, i + CHUNK)).execute();
}

/** Ledger ids after `after` in id order (to find responses that are gone). */
export async function ledgerIdsAfter(db: Db, workspaceId: string, after: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('insight_answers').select('response_id').where('workspace_id', '=', workspaceId).where('response_id', '>', after).orderBy('response_id').limit(limit).execute();
  return rows.map((r) => r.response_id);
}

/** `s0 = t.s0 + excluded.s0`, … for every score column. */
function increments(table: string): Record<ScoreColumn, RawBuilder<number>> {
  return Object.fromEntries(SCORE_COLUMNS.map((c) => [c, sql<number>`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`])) as Record<ScoreColumn, RawBuilder<number>>;
}

const scores = (counts: readonly number[]): Record<ScoreColumn, number> => Object.fromEntries(SCORE_COLUMNS.map((c, s) => [c, counts[s] ?? 0])) as Record<ScoreColumn, number>;

export async function applyCells(db: Db, workspaceId: string, cells: { days: readonly DayCell[]; people: readonly PeopleCell[] }): Promise<void> {
  for (let i = 0; i < cells.days.length; i += CELL_CHUNK) {
    await db
      .insertInto('insight_satisfaction_days')
      .values(cells.days.slice(i, i + CELL_CHUNK).map((c) => ({ workspace_id: workspaceId, metric: c.metric, day: c.day, survey_id: c.surveyId, channel: c.channel, ...scores(c.counts) })))
      .onConflict((oc) => oc.columns(['workspace_id', 'metric', 'day', 'survey_id', 'channel']).doUpdateSet(increments('insight_satisfaction_days')))
      .execute();
  }
  for (let i = 0; i < cells.people.length; i += CELL_CHUNK) {
    await db
      .insertInto('insight_satisfaction_people_days')
      .values(cells.people.slice(i, i + CELL_CHUNK).map((c) => ({ workspace_id: workspaceId, metric: c.metric, day: c.day, team_id: c.teamId, agent_id: c.agentId, survey_id: c.surveyId, ...scores(c.counts) })))
      .onConflict((oc) => oc.columns(['workspace_id', 'metric', 'day', 'team_id', 'agent_id', 'survey_id']).doUpdateSet(increments('insight_satisfaction_people_days')))
      .execute();
  }
}

// ---------------------------------------------------------------- reads

export interface HistogramFilter {
  workspaceId: string;
  metrics: readonly SatisfactionMetric[];
  /** UTC days, [fromDay, toDay). */
  fromDay: number;
  toDay: number;
  surveyId?: string | undefined;
  channel?: string | undefined;
  teamId?: string | undefined;
  agentId?: string | undefined;
}

export type GroupBy = 'day' | 'survey' | 'channel' | 'team' | 'agent';

export interface HistogramRow {
  metric: SatisfactionMetric;
  /** The day, survey, channel, team or agent id, as grouped. */
  key: string;
  /** With `agent`: the agent's team (an agent may count under several). */
  teamId?: string;
  counts: Histogram;
}

const sums = () => SCORE_COLUMNS.map((c) => sql<number | string>`sum(${sql.ref(c)})`.as(c));
const toCounts = (r: Record<string, unknown>): Histogram => SCORE_COLUMNS.map((c) => Number(r[c] ?? 0));

/**
 * Summed histograms per metric and group. Survey and channel groupings (and filters) read the
 * survey × channel table; team and agent ones the people table, which has survey but not channel.
 */
export async function histograms(db: Db, f: HistogramFilter, by: GroupBy): Promise<HistogramRow[]> {
  const people = by === 'team' || by === 'agent' || f.teamId !== undefined || f.agentId !== undefined;
  if (people && f.channel !== undefined) throw new RangeError('team and agent figures have no channel');
  const column = by === 'day' ? 'day' : by === 'survey' ? 'survey_id' : by === 'channel' ? 'channel' : by === 'team' ? 'team_id' : 'agent_id';
  if (people) {
    const rows = await db
      .selectFrom('insight_satisfaction_people_days')
      .select([sql<SatisfactionMetric>`metric`.as('metric'), sql<string | number>`${sql.ref(column)}`.as('k'), ...(by === 'agent' ? [sql<string>`team_id`.as('team')] : []), ...sums()])
      .where('workspace_id', '=', f.workspaceId)
      .where('metric', 'in', [...f.metrics])
      .where('day', '>=', f.fromDay)
      .where('day', '<', f.toDay)
      .$if(f.surveyId !== undefined, (q) => q.where('survey_id', '=', f.surveyId as string))
      .$if(f.teamId !== undefined, (q) => q.where('team_id', '=', f.teamId as string))
      .$if(f.agentId !== undefined, (q) => q.where('agent_id', '=', f.agentId as string))
      .groupBy(['metric', sql.ref(column), ...(by === 'agent' ? [sql.ref('team_id')] : [])])
      .execute();
    return rows.map((r) => ({ metric: r.metric, key: String(r.k), ...(by === 'agent' ? { teamId: String((r as { team?: string }).team ?? '') } : {}), counts: toCounts(r) }));
  }
  const rows = await db
    .selectFrom('insight_satisfaction_days')
    .select([sql<SatisfactionMetric>`metric`.as('metric'), sql<string | number>`${sql.ref(column)}`.as('k'), ...sums()])
    .where('workspace_id', '=', f.workspaceId)
    .where('metric', 'in', [...f.metrics])
    .where('day', '>=', f.fromDay)
    .where('day', '<', f.toDay)
    .$if(f.surveyId !== undefined, (q) => q.where('survey_id', '=', f.surveyId as string))
    .$if(f.channel !== undefined, (q) => q.where('channel', '=', f.channel as string))
    .groupBy(['metric', sql.ref(column)])
    .execute();
  return rows.map((r) => ({ metric: r.metric, key: String(r.k), counts: toCounts(r) }));
}
