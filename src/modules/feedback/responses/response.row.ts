/**
 * A response as a table row, and the statements that store rows with their themes: shared by
 * the live answer path (response.writer) and bulk imports of past answers (response.import).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';
import { identityKeyOf } from '../../customers/index.js';
import { analyzeText, type TextAnalysis } from '../text/index.js';
import type { Answers, Channel, Respondent } from '../surveys/survey.schema.js';
import type { StoredSurvey } from '../surveys/survey.store.js';
import { commentOf, scoresOf } from './answers.js';
import type { ResponseRow } from './response.store.js';

export interface RowInput {
  workspaceId: string;
  id: string;
  survey: StoredSurvey;
  deliveryId: string;
  channel: Channel;
  respondent: Respondent;
  language: string;
  answers: Answers;
  complete: boolean;
  revision: number;
  createdAt: number;
  updatedAt: number;
  /** The analysis of this comment when it was already read (else it is read here). */
  readAhead?: { comment: string; analysis: TextAnalysis } | undefined;
}

/** The row, and the themes its open text was found to be about. */
export function responseRow(r: RowInput): { row: ResponseRow; themes: string[] } {
  const scores = scoresOf(r.survey.definition, r.answers);
  const comment = commentOf(r.survey.definition, r.answers);
  const analysis = comment === null ? undefined : r.readAhead?.comment === comment ? r.readAhead.analysis : analyzeText(comment);
  const row: ResponseRow = {
    workspace_id: r.workspaceId,
    id: r.id,
    survey_id: r.survey.id,
    delivery_id: r.deliveryId,
    channel: r.channel,
    respondent_kind: r.respondent.kind,
    respondent_value: r.respondent.value,
    respondent_key: identityKeyOf(r.respondent.kind, r.respondent.value),
    language: r.language,
    answers: JSON.stringify(r.answers),
    nps: scores.nps,
    csat: scores.csat,
    ces: scores.ces,
    comment,
    sentiment: analysis ? analysis.sentiment.score : null,
    sentiment_label: analysis ? analysis.sentiment.label : null,
    text_language: analysis ? analysis.language : null,
    complete: r.complete ? 1 : 0,
    revision: r.revision,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
  return { row, themes: analysis?.themes ?? [] };
}

/** Insert or update rows (on their id) and replace the themes of those that existed before. */
export async function storeResponseRows(trx: Kysely<Database>, workspaceId: string, items: readonly { row: ResponseRow; themes: string[] }[]): Promise<void> {
  if (items.length === 0) return;
  await trx
    .insertInto('survey_responses')
    .values(items.map((i) => i.row))
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'id']).doUpdateSet((eb) => ({
        language: eb.ref('excluded.language'),
        answers: eb.ref('excluded.answers'),
        nps: eb.ref('excluded.nps'),
        csat: eb.ref('excluded.csat'),
        ces: eb.ref('excluded.ces'),
        comment: eb.ref('excluded.comment'),
        sentiment: eb.ref('excluded.sentiment'),
        sentiment_label: eb.ref('excluded.sentiment_label'),
        text_language: eb.ref('excluded.text_language'),
        complete: eb.ref('excluded.complete'),
        revision: eb.ref('excluded.revision'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
  // Only responses that existed before can have themes to replace.
  const edited = items.filter((i) => i.row.revision > 1).map((i) => i.row.id);
  if (edited.length) await trx.deleteFrom('response_themes').where('workspace_id', '=', workspaceId).where('response_id', 'in', edited).execute();
  const themeRows = items.flatMap((i) => i.themes.map((theme) => ({ workspace_id: workspaceId, response_id: i.row.id, theme, survey_id: i.row.survey_id, created_at: Number(i.row.created_at) })));
  if (themeRows.length) await trx.insertInto('response_themes').values(themeRows).onConflict((oc) => oc.doNothing()).execute();
}
