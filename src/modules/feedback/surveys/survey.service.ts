/** Survey use cases: create, change, open and close; each change audited. */
import { AppError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { appendAudit, type Actor } from '../../workspaces/index.js';
import type { FeedbackDeps } from '../deps.js';
import type { z } from 'zod';
import type { ZSurveyInput, ZSurveyPatch } from './survey.schema.js';
import { findSurvey, insertSurvey, updateSurveyRow, type StoredSurvey, type SurveyStatus } from './survey.store.js';

/** Allowed status changes: a draft opens, an open survey closes, a closed one reopens. */
const NEXT: Record<SurveyStatus, readonly SurveyStatus[]> = { draft: ['active'], active: ['closed'], closed: ['active'] };

export async function getSurvey(deps: FeedbackDeps, workspaceId: string, surveyId: string): Promise<StoredSurvey> {
  const survey = await findSurvey(deps.store.db, workspaceId, surveyId);
  if (!survey) throw new AppError('SURVEY_NOT_FOUND', `no survey ${surveyId} in this workspace`);
  return survey;
}

export async function createSurvey(deps: FeedbackDeps, workspaceId: string, input: z.infer<typeof ZSurveyInput>, actor: Actor): Promise<StoredSurvey> {
  const now = deps.clock.now();
  const survey: StoredSurvey = { workspaceId, id: newId('srv', now), name: input.name, status: 'draft', definition: input.definition, createdAt: now, updatedAt: now };
  await deps.store.db.transaction().execute(async (trx) => {
    await insertSurvey(trx, survey, actor.type === 'user' ? actor.id : null);
    await appendAudit(trx, { workspaceId, actor, action: 'survey.create', target: { type: 'survey', id: survey.id }, details: { name: survey.name }, at: now });
  });
  return survey;
}

export async function changeSurvey(
  deps: FeedbackDeps,
  workspaceId: string,
  surveyId: string,
  patch: z.infer<typeof ZSurveyPatch>,
  actor: Actor,
): Promise<StoredSurvey> {
  return deps.store.db.transaction().execute(async (trx) => {
    const current = await findSurvey(trx, workspaceId, surveyId);
    if (!current) throw new AppError('SURVEY_NOT_FOUND', `no survey ${surveyId} in this workspace`);
    if (patch.status && patch.status !== current.status && !NEXT[current.status].includes(patch.status)) {
      throw new AppError('SURVEY_INVALID', `a ${current.status} survey cannot become ${patch.status}`, { from: current.status, to: patch.status });
    }
    const now = deps.clock.now();
    const next: StoredSurvey = {
      ...current,
      name: patch.name ?? current.name,
      status: patch.status ?? current.status,
      definition: patch.definition ?? current.definition,
      updatedAt: Math.max(now, current.updatedAt + 1),
    };
    await updateSurveyRow(trx, next);
    const action = patch.status && patch.status !== current.status ? `survey.${patch.status === 'closed' ? 'close' : 'open'}` : 'survey.update';
    await appendAudit(trx, { workspaceId, actor, action, target: { type: 'survey', id: surveyId }, details: { name: next.name, status: next.status }, at: now });
    return next;
  });
}

/**
 * Surveys read on the answer path, kept for a few seconds: an answer does not need a query
 * for a definition that has not changed. A closed survey stops taking answers within `ttlMs`.
 */
export class SurveyCache {
  private readonly entries = new Map<string, { survey: StoredSurvey; until: number }>();

  constructor(
    private readonly deps: FeedbackDeps,
    private readonly ttlMs = 2000,
  ) {}

  async get(workspaceId: string, surveyId: string): Promise<StoredSurvey> {
    const key = `${workspaceId}/${surveyId}`;
    const now = this.deps.clock.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.survey;
    const survey = await getSurvey(this.deps, workspaceId, surveyId);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(key, { survey, until: now + this.ttlMs });
    return survey;
  }
}
