/** Survey responses in the store: rows, their views, and the reads the dashboard filters by. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, SurveyResponsesTable } from '../../../store/index.js';
import type { Answers, Channel, Respondent } from '../surveys/survey.schema.js';

export type ResponseRow = Selectable<SurveyResponsesTable>;

export interface ResponseView {
  id: string;
  surveyId: string;
  deliveryId: string;
  channel: Channel;
  respondent: Respondent;
  language: string;
  answers: Answers;
  scores: { nps: number | null; csat: number | null; ces: number | null };
  comment: string | null;
  sentiment: { score: number; label: 'negative' | 'neutral' | 'positive' } | null;
  themes: string[];
  complete: boolean;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export function responseView(row: ResponseRow, themes: string[]): ResponseView {
  return {
    id: row.id,
    surveyId: row.survey_id,
    deliveryId: row.delivery_id,
    channel: row.channel as Channel,
    respondent: { kind: row.respondent_kind as Respondent['kind'], value: row.respondent_value },
    language: row.language,
    answers: JSON.parse(row.answers) as Answers,
    scores: { nps: row.nps, csat: row.csat, ces: row.ces },
    comment: row.comment,
    sentiment: row.sentiment === null || row.sentiment_label === null ? null : { score: row.sentiment, label: row.sentiment_label as 'negative' | 'neutral' | 'positive' },
    themes,
    complete: row.complete === 1,
    revision: row.revision,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

export async function responsesByDelivery(db: Kysely<Database>, workspaceId: string, deliveryIds: string[]): Promise<ResponseRow[]> {
  if (deliveryIds.length === 0) return [];
  return db.selectFrom('survey_responses').selectAll().where('workspace_id', '=', workspaceId).where('delivery_id', 'in', deliveryIds).execute();
}

export async function themesOfResponses(db: Kysely<Database>, workspaceId: string, responseIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (responseIds.length === 0) return out;
  const rows = await db
    .selectFrom('response_themes')
    .select(['response_id', 'theme'])
    .where('workspace_id', '=', workspaceId)
    .where('response_id', 'in', responseIds)
    .execute(); // no ORDER BY: SQLite would walk the theme index of the whole workspace for it
  for (const r of rows) {
    const list = out.get(r.response_id);
    if (list) list.push(r.theme);
    else out.set(r.response_id, [r.theme]);
  }
  for (const list of out.values()) list.sort();
  return out;
}
