/**
 * Reads of responses for modules that keep their own figures of them (insight's satisfaction
 * rollups): each response's scores, when and where it was given, and the delivery that asked
 * it (its trigger and event, from which the people who served the customer can be found).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';

export interface ResponseScores {
  id: string;
  surveyId: string;
  channel: string;
  createdAt: number;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  deliveryId: string;
  /** The delivery's trigger (`rule:<ruleId>` for a follow-up rule's request); null for links and imports. */
  triggerId: string | null;
  /** The tracked event that caused the delivery, when one did. */
  eventId: string | null;
}

const CHUNK = 500;

/** The responses with these ids that exist (any order). */
export async function responseScores(db: Kysely<Database>, workspaceId: string, ids: readonly string[]): Promise<ResponseScores[]> {
  const out: ResponseScores[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('survey_responses as r')
      .leftJoin('survey_deliveries as d', (j) => j.onRef('d.workspace_id', '=', 'r.workspace_id').onRef('d.id', '=', 'r.delivery_id'))
      .select(['r.id', 'r.survey_id', 'r.channel', 'r.created_at', 'r.nps', 'r.csat', 'r.ces', 'r.delivery_id', 'd.trigger_id', 'd.event_id'])
      .where('r.workspace_id', '=', workspaceId)
      .where('r.id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) {
      out.push({
        id: r.id,
        surveyId: r.survey_id,
        channel: r.channel,
        createdAt: Number(r.created_at),
        nps: r.nps,
        csat: r.csat,
        ces: r.ces,
        deliveryId: r.delivery_id,
        triggerId: r.trigger_id ?? null,
        eventId: r.event_id ?? null,
      });
    }
  }
  return out;
}

/** Response ids after `after` (exclusive), in id order: to walk every response of a workspace. */
export async function responseIdsAfter(db: Kysely<Database>, workspaceId: string, after: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('survey_responses').select('id').where('workspace_id', '=', workspaceId).where('id', '>', after).orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** Survey names by id. */
export async function surveyNames(db: Kysely<Database>, workspaceId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('surveys').select(['id', 'name']).where('workspace_id', '=', workspaceId).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
