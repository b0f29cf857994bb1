/**
 * Writes answers: many concurrent submissions share one transaction (store/group-commit), in
 * which each is merged with the respondent's earlier answers for the same delivery, read by
 * text analytics, and stored with its themes, its silo record (so that the identity graph puts
 * it on the customer's profile and timeline) and its `feedback.received` fact.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../../platform/errors.js';
import { IdSequence } from '../../../platform/id-sequence.js';
import { GroupCommit } from '../../../store/group-commit.js';
import { appendFacts, recordFacts, upsertSourceRecords, type Database, type Fact, type SourceRecordRow, type Store } from '../../../store/index.js';
import { analyzeText, type TextAnalysis } from '../text/index.js';
import { categoryOf } from '../metrics/scores.js';
import type { Answers, Respondent } from '../surveys/survey.schema.js';
import type { StoredSurvey } from '../surveys/survey.store.js';
import type { TokenClaims } from '../surveys/token.js';
import { checkAnswers, commentOf, isComplete, mergeAnswers, primaryMetric, scoresOf } from './answers.js';
import { responsesByDelivery, type ResponseRow } from './response.store.js';

/** The outbox topic of every saved answer (the product's `Feedback Received`). */
export const FEEDBACK_RECEIVED = 'feedback.received';
/** The silo under which answers reach the identity graph. */
export const FEEDBACK_SOURCE = 'emptychair';

export interface FeedbackReceived {
  responseId: string;
  surveyId: string;
  surveyName: string;
  deliveryId: string;
  channel: string;
  respondent: Respondent;
  metric: string | null;
  score: number | null;
  category: string | null;
  scores: { nps: number | null; csat: number | null; ces: number | null };
  sentiment: { score: number; label: string } | null;
  themes: string[];
  complete: boolean;
  revision: number;
  language: string;
  answeredAt: string;
}

export interface AnswerWrite {
  survey: StoredSurvey;
  claims: TokenClaims;
  answers: Answers;
  /** The revision the respondent last saw; a submission made from an older one is refused. */
  revision?: number | undefined;
  finished: boolean;
  language: string;
  now: number;
  /**
   * The open text as the submission alone would make it, read before the write: the merged
   * text is usually the same, and then the transaction does not wait on text analytics.
   */
  readAhead?: { comment: string; analysis: TextAnalysis } | undefined;
}

/** The stored response (unchanged when the submission changed nothing), or why it was refused. */
export type AnswerOutcome = { ok: true; row: ResponseRow; changed: boolean; themes: string[] } | { ok: false; error: AppError };

/** At most this many answers per transaction (about 20 bound values each). */
const MAX_PER_COMMIT = 400;
const RECORD_COMMENT_CHARS = 500;

export class AnswerWriter {
  private readonly ids = new IdSequence('rsp');
  private readonly group = new GroupCommit<AnswerWrite, AnswerOutcome>((writes) => this.commit(writes), { maxWeight: MAX_PER_COMMIT });

  constructor(private readonly store: Store) {}

  write(w: AnswerWrite): Promise<AnswerOutcome> {
    return this.group.write(w);
  }

  close(): Promise<void> {
    return this.group.close();
  }

  private async commit(writes: AnswerWrite[]): Promise<AnswerOutcome[]> {
    return this.store.db.transaction().execute(async (trx) => {
      const outcomes: AnswerOutcome[] = [];
      const byWorkspace = new Map<string, number[]>();
      writes.forEach((w, i) => {
        const list = byWorkspace.get(w.claims.workspaceId);
        if (list) list.push(i);
        else byWorkspace.set(w.claims.workspaceId, [i]);
      });
      for (const [workspaceId, indexes] of byWorkspace) {
        const current = new Map<string, ResponseRow>();
        const deliveries = [...new Set(indexes.map((i) => (writes[i] as AnswerWrite).claims.deliveryId))];
        for (const row of await this.lockExisting(trx, workspaceId, deliveries)) current.set(row.delivery_id, row);
        const changed = new Map<string, { row: ResponseRow; write: AnswerWrite; themes: string[] }>();
        for (const i of indexes) {
          const w = writes[i] as AnswerWrite;
          const outcome = this.apply(w, current.get(w.claims.deliveryId));
          outcomes[i] = outcome;
          if (outcome.ok && outcome.changed) {
            current.set(w.claims.deliveryId, outcome.row);
            changed.set(outcome.row.id, { row: outcome.row, write: w, themes: outcome.themes });
          }
        }
        if (changed.size > 0) await this.persist(trx, workspaceId, [...changed.values()]);
      }
      return outcomes;
    });
  }

  private async lockExisting(trx: Kysely<Database>, workspaceId: string, deliveries: string[]): Promise<ResponseRow[]> {
    if (this.store.dialect.name !== 'postgres') return responsesByDelivery(trx, workspaceId, deliveries);
    // Another process may be editing the same response: take its row lock first.
    return trx.selectFrom('survey_responses').selectAll().where('workspace_id', '=', workspaceId).where('delivery_id', 'in', deliveries).forUpdate().execute();
  }

  private apply(w: AnswerWrite, existing: ResponseRow | undefined): AnswerOutcome {
    if (w.revision !== undefined && w.revision !== (existing?.revision ?? 0)) {
      return { ok: false, error: new AppError('ANSWER_STALE', 'this answer was changed since this page loaded; reload it to see the current answer', { revision: existing?.revision ?? 0 }) };
    }
    const definition = w.survey.definition;
    const previous = existing ? (JSON.parse(existing.answers) as Answers) : {};
    const answers = mergeAnswers(previous, w.answers);
    const complete = existing?.complete === 1 || isComplete(definition, answers, w.finished);
    const json = JSON.stringify(answers);
    if (existing && existing.answers === json && existing.complete === (complete ? 1 : 0) && existing.language === w.language) {
      return { ok: true, row: existing, changed: false, themes: [] };
    }
    const scores = scoresOf(definition, answers);
    const comment = commentOf(definition, answers);
    const analysis = comment === null ? undefined : w.readAhead?.comment === comment ? w.readAhead.analysis : analyzeText(comment);
    const row: ResponseRow = {
      workspace_id: w.claims.workspaceId,
      id: existing?.id ?? this.ids.next(w.now),
      survey_id: w.survey.id,
      delivery_id: w.claims.deliveryId,
      channel: w.claims.channel,
      respondent_kind: w.claims.respondent.kind,
      respondent_value: w.claims.respondent.value,
      language: w.language,
      answers: json,
      nps: scores.nps,
      csat: scores.csat,
      ces: scores.ces,
      comment,
      sentiment: analysis ? analysis.sentiment.score : null,
      sentiment_label: analysis ? analysis.sentiment.label : null,
      text_language: analysis ? analysis.language : null,
      complete: complete ? 1 : 0,
      revision: (existing?.revision ?? 0) + 1,
      created_at: existing ? Number(existing.created_at) : w.now,
      updated_at: w.now,
    };
    return { ok: true, row, changed: true, themes: analysis?.themes ?? [] };
  }

  /** Rows, themes, silo records and facts of the changed responses, a few statements for all. */
  private async persist(trx: Kysely<Database>, workspaceId: string, items: { row: ResponseRow; write: AnswerWrite; themes: string[] }[]): Promise<void> {
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
    if (themeRows.length) await trx.insertInto('response_themes').values(themeRows).execute();

    const records: SourceRecordRow[] = items.map((i) => siloRecord(i.row, i.write.survey));
    await upsertSourceRecords(trx, records).execute();
    const facts: Fact[] = [...recordFacts(records), ...items.map((i) => receivedFact(i.row, i.write.survey, i.themes))];
    await appendFacts(trx, workspaceId, facts, Math.max(...items.map((i) => i.write.now)));
  }
}

const IDENTIFIER_FIELD = { user_id: 'userId', email: 'email', anonymous_id: 'anonymousId' } as const;

function headline(row: ResponseRow, survey: StoredSurvey): { metric: string | null; score: number | null; category: string | null } {
  const metric = primaryMetric(survey.definition);
  const score = metric ? row[metric] : null;
  return { metric: metric ?? null, score, category: metric && score !== null ? categoryOf(metric, score) : null };
}

/** The answer as a record of our own silo: the identity graph resolves it onto the profile. */
function siloRecord(row: ResponseRow, survey: StoredSurvey): SourceRecordRow {
  const { metric, score, category } = headline(row, survey);
  const comment = row.comment && row.comment.length > RECORD_COMMENT_CHARS ? `${row.comment.slice(0, RECORD_COMMENT_CHARS)}…` : row.comment;
  return {
    workspace_id: row.workspace_id,
    source: FEEDBACK_SOURCE,
    kind: 'feedback',
    external_id: row.id,
    data: JSON.stringify({
      [IDENTIFIER_FIELD[row.respondent_kind as Respondent['kind']]]: row.respondent_value,
      survey: metric ?? 'text',
      surveyId: survey.id,
      surveyName: survey.name,
      responseId: row.id,
      channel: row.channel,
      score,
      category,
      comment,
      sentiment: row.sentiment_label,
    }),
    occurred_at: Number(row.created_at),
    imported_at: Number(row.updated_at),
    updated_at: Number(row.updated_at),
  };
}

function receivedFact(row: ResponseRow, survey: StoredSurvey, themes: string[]): Fact {
  const payload: FeedbackReceived = {
    responseId: row.id,
    surveyId: survey.id,
    surveyName: survey.name,
    deliveryId: row.delivery_id,
    channel: row.channel,
    respondent: { kind: row.respondent_kind as Respondent['kind'], value: row.respondent_value },
    ...headline(row, survey),
    scores: { nps: row.nps, csat: row.csat, ces: row.ces },
    sentiment: row.sentiment === null || row.sentiment_label === null ? null : { score: row.sentiment, label: row.sentiment_label },
    themes,
    complete: row.complete === 1,
    revision: row.revision,
    language: row.language,
    answeredAt: new Date(Number(row.updated_at)).toISOString(),
  };
  return { topic: FEEDBACK_RECEIVED, subject: `${row.respondent_kind}:${row.respondent_value}`, payload };
}
