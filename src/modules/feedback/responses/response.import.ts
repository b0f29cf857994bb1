/**
 * Past answers brought in whole (the demo company's history, a migration from another tool):
 * the survey and its responses are written directly, idempotently on their ids. They reach
 * the identity graph through their own silo records, so no silo record or fact is written here.
 */
import type { Store } from '../../../store/index.js';
import type { Answers, Channel, Respondent, SurveyDefinition } from '../surveys/survey.schema.js';
import type { StoredSurvey } from '../surveys/survey.store.js';
import { responseRow, storeResponseRows } from './response.row.js';

export interface PastAnswer {
  /** Stable across re-imports. */
  id: string;
  respondent: Respondent;
  answers: Answers;
  channel: Channel;
  answeredAt: number;
  language?: string;
}

const CHUNK = 400;

/** Create (or refresh) the survey, open, and store its past answers; returns how many. */
export async function importPastAnswers(
  store: Store,
  workspaceId: string,
  survey: { id: string; name: string; definition: SurveyDefinition },
  answers: readonly PastAnswer[],
  now: number,
): Promise<number> {
  const stored: StoredSurvey = { workspaceId, id: survey.id, name: survey.name, status: 'active', definition: survey.definition, createdAt: now, updatedAt: now };
  await store.db
    .insertInto('surveys')
    .values({ workspace_id: workspaceId, id: survey.id, name: survey.name, status: 'active', definition: JSON.stringify(survey.definition), created_by: null, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'id']).doUpdateSet({ name: survey.name, definition: JSON.stringify(survey.definition), updated_at: now }))
    .execute();
  for (let i = 0; i < answers.length; i += CHUNK) {
    const items = answers.slice(i, i + CHUNK).map((a) =>
      responseRow({
        workspaceId,
        id: a.id,
        survey: stored,
        deliveryId: `dlv_${a.id}`,
        channel: a.channel,
        respondent: a.respondent,
        language: a.language ?? survey.definition.defaultLanguage,
        answers: a.answers,
        complete: true,
        revision: 1,
        createdAt: a.answeredAt,
        updatedAt: a.answeredAt,
      }),
    );
    await store.db.transaction().execute((trx) => storeResponseRows(trx, workspaceId, items));
  }
  return answers.length;
}
