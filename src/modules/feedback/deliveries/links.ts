/** Survey links: a delivery recorded, and a signed token that answers for it. */
import { AppError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import type { FeedbackDeps } from '../deps.js';
import { readFeedbackSettings } from '../settings.js';
import type { Channel, Respondent } from '../surveys/survey.schema.js';
import type { StoredSurvey } from '../surveys/survey.store.js';
import { signToken, type SigningKeys } from '../surveys/token.js';
import { insertDelivery } from './delivery.store.js';

export interface SurveyLink {
  deliveryId: string;
  token: string;
  /** The hosted page, absolute when the server knows its public URL. */
  url: string;
  expiresAt: string;
}

const DAY = 86_400_000;

export const surveyPath = (surveyId: string, token: string) => `/s/${encodeURIComponent(surveyId)}?t=${encodeURIComponent(token)}`;
export const absoluteUrl = (deps: Pick<FeedbackDeps, 'publicUrl'>, path: string) => (deps.publicUrl ? new URL(path, deps.publicUrl).toString() : path);

/** A signed token for an existing delivery (e-mails mint theirs when they are sent). */
export async function tokenFor(
  deps: FeedbackDeps,
  keys: SigningKeys,
  survey: StoredSurvey,
  delivery: { id: string; channel: Channel; respondent: Respondent },
  lifetimeDays?: number,
): Promise<{ token: string; expiresAt: number }> {
  const now = deps.clock.now();
  const days = lifetimeDays ?? (await readFeedbackSettings(deps.store.db, survey.workspaceId)).linkLifetimeDays;
  const expiresAt = now + days * DAY;
  const key = await keys.of(survey.workspaceId, now);
  const token = signToken(key, { workspaceId: survey.workspaceId, surveyId: survey.id, deliveryId: delivery.id, respondent: delivery.respondent, channel: delivery.channel, expiresAt });
  return { token, expiresAt };
}

/** Hand a survey to one respondent as a link (shared by hand, or by the company's own systems). */
export async function createLink(
  deps: FeedbackDeps,
  keys: SigningKeys,
  survey: StoredSurvey,
  respondent: Respondent,
  options: { channel?: Channel; lifetimeDays?: number | undefined } = {},
): Promise<SurveyLink> {
  if (survey.status !== 'active') throw new AppError('SURVEY_CLOSED', `survey ${survey.id} is ${survey.status}: open it before sending it`);
  const now = deps.clock.now();
  const delivery = { id: newId('dlv', now), channel: options.channel ?? 'link', respondent };
  await insertDelivery(deps.store.db, { workspaceId: survey.workspaceId, id: delivery.id, surveyId: survey.id, channel: delivery.channel, respondent, status: 'sent', sendAt: now, sentAt: now, now });
  const { token, expiresAt } = await tokenFor(deps, keys, survey, delivery, options.lifetimeDays);
  return { deliveryId: delivery.id, token, url: absoluteUrl(deps, surveyPath(survey.id, token)), expiresAt: new Date(expiresAt).toISOString() };
}
