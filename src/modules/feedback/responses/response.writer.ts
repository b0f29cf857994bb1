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
import type { TextAnalysis } from '../text/index.js';
import { categoryOf } from '../metrics/scores.js';
import type { Answers, Respondent } from '../surveys/survey.schema.js';
import type { StoredSurvey } from '../surveys/survey.store.js';
import type { TokenClaims } from '../surveys/token.js';
import { isComplete, mergeAnswers, primaryMetric } from './answers.js';
import { responseRow, storeResponseRows } from './response.row.js';
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
    if (existing && existing.answers === JSON.stringify(answers) && existing.complete === (complete ? 1 : 0) && existing.language === w.language) {
      return { ok: true, row: existing, changed: false, themes: [] };
    }
    const { row, themes } = responseRow({
      workspaceId: w.claims.workspaceId,
      id: existing?.id ?? this.ids.next(w.now),
      survey: w.survey,
      deliveryId: w.claims.deliveryId,
      channel: w.claims.channel,
      respondent: w.claims.respondent,
      language: w.language,
      answers,
      complete,
      revision: (existing?.revision ?? 0) + 1,
      createdAt: existing ? Number(existing.created_at) : w.now,
      updatedAt: w.now,
      readAhead: w.readAhead,
    });
    return { ok: true, row, changed: true, themes };
  }

  /** Rows, themes, silo records and facts of the changed responses, a few statements for all. */
  private async persist(trx: Kysely<Database>, workspaceId: string, items: { row: ResponseRow; write: AnswerWrite; themes: string[] }[]): Promise<void> {
    await storeResponseRows(trx, workspaceId, items);
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
