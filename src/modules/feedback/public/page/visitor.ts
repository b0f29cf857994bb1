/**
 * A link for a visitor known only by their anonymous id, asked for by the widget: a delivery
 * on the widget channel and its token, for active surveys that allow anonymous answers.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../../../platform/errors.js';
import type { Database } from '../../../../store/index.js';
import { createLink, type SurveyLink } from '../../deliveries/links.js';
import type { FeedbackDeps } from '../../deps.js';
import { SurveyCache } from '../../surveys/survey.service.js';
import type { SigningKeys } from '../../surveys/token.js';

/**
 * The workspace of a survey named only by its id (the widget's tag names no workspace). Ids
 * are unique across workspaces and never move, so the answer is kept for good. The one
 * lookup here that does not lead with the workspace: a small table, read once per survey.
 */
export class SurveyWorkspaces {
  private readonly known = new Map<string, string>();

  constructor(private readonly db: Kysely<Database>) {}

  async of(surveyId: string): Promise<string> {
    const hit = this.known.get(surveyId);
    if (hit) return hit;
    const row = await this.db.selectFrom('surveys').select('workspace_id').where('id', '=', surveyId).executeTakeFirst();
    if (!row) throw new AppError('SURVEY_NOT_FOUND', 'no such survey');
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(surveyId, row.workspace_id);
    return row.workspace_id;
  }
}

export class VisitorLinks {
  private readonly workspaces: SurveyWorkspaces;
  private readonly surveys: SurveyCache;

  constructor(
    private readonly deps: FeedbackDeps,
    private readonly keys: SigningKeys,
  ) {
    this.workspaces = new SurveyWorkspaces(deps.store.db);
    this.surveys = new SurveyCache(deps);
  }

  async create(surveyId: string, anonymousId: string): Promise<SurveyLink> {
    const workspaceId = await this.workspaces.of(surveyId);
    const survey = await this.surveys.get(workspaceId, surveyId);
    if (survey.status !== 'active') throw new AppError('SURVEY_CLOSED', 'this survey is closed');
    if (!survey.definition.allowAnonymous) throw new AppError('FORBIDDEN', 'this survey does not take anonymous answers');
    return createLink(this.deps, this.keys, survey, { kind: 'anonymous_id', value: anonymousId }, { channel: 'widget' });
  }
}
