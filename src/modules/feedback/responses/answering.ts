/**
 * The answer path, shared by the hosted page, the widget and e-mail clicks: check the token,
 * the survey and the answers, then hand them to the group-committing writer.
 */
import { AppError } from '../../../platform/errors.js';
import type { FeedbackDeps } from '../deps.js';
import type { Answers } from '../surveys/survey.schema.js';
import { SurveyCache } from '../surveys/survey.service.js';
import type { StoredSurvey } from '../surveys/survey.store.js';
import { claimedWorkspace, SigningKeys, verifyToken, type TokenClaims } from '../surveys/token.js';
import { analyzeText } from '../text/index.js';
import { checkAnswers, commentOf } from './answers.js';
import { responsesByDelivery, responseView, themesOfResponses, type ResponseView } from './response.store.js';
import { AnswerWriter } from './response.writer.js';

export interface Submission {
  answers: Answers;
  revision?: number | undefined;
  finished?: boolean | undefined;
  language?: string | undefined;
}

export interface SubmissionResult {
  responseId: string;
  revision: number;
  complete: boolean;
}

export class Answering {
  readonly keys: SigningKeys;
  private readonly surveys: SurveyCache;
  private readonly writer: AnswerWriter;

  constructor(private readonly deps: FeedbackDeps) {
    this.keys = new SigningKeys(deps.store.db);
    this.surveys = new SurveyCache(deps);
    this.writer = new AnswerWriter(deps.store);
  }

  /** The token's claims and its survey, which must be open. */
  async open(token: string, surveyId: string): Promise<{ claims: TokenClaims; survey: StoredSurvey }> {
    const now = this.deps.clock.now();
    const workspaceId = claimedWorkspace(token);
    let key: Buffer;
    try {
      key = await this.keys.of(workspaceId, now);
    } catch {
      // A forged workspace id: no key to check against, and no hint that it does not exist.
      throw new AppError('SURVEY_TOKEN_INVALID', 'this survey link is not valid');
    }
    const claims = verifyToken(key, token, surveyId, now);
    const survey = await this.surveys.get(claims.workspaceId, claims.surveyId);
    if (survey.status !== 'active') throw new AppError('SURVEY_CLOSED', 'this survey is closed');
    return { claims, survey };
  }

  /** What the respondent answered so far through this token, if anything. */
  async current(claims: TokenClaims): Promise<ResponseView | undefined> {
    const [row] = await responsesByDelivery(this.deps.store.db, claims.workspaceId, [claims.deliveryId]);
    if (!row) return undefined;
    const themes = await themesOfResponses(this.deps.store.db, claims.workspaceId, [row.id]);
    return responseView(row, themes.get(row.id) ?? []);
  }

  async submit(token: string, surveyId: string, submission: Submission): Promise<SubmissionResult> {
    const { claims, survey } = await this.open(token, surveyId);
    checkAnswers(survey.definition, submission.answers);
    const language = submission.language && survey.definition.questions.some((q) => q.text[submission.language as string]) ? submission.language : survey.definition.defaultLanguage;
    const comment = commentOf(survey.definition, submission.answers);
    const outcome = await this.writer.write({
      survey,
      claims,
      answers: submission.answers,
      revision: submission.revision,
      finished: submission.finished ?? false,
      language,
      now: this.deps.clock.now(),
      readAhead: comment === null ? undefined : { comment, analysis: analyzeText(comment) },
    });
    if (!outcome.ok) throw outcome.error;
    return { responseId: outcome.row.id, revision: outcome.row.revision, complete: outcome.row.complete === 1 };
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
