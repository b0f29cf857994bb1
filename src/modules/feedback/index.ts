/** The feedback module: surveys, their channels, answers, and text analytics on what customers write. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FeedbackDeps } from './deps.js';
import { DEFAULT_PUBLIC_LIMITS, publicSurveyRoutes, type PublicLimits } from './public/public.routes.js';
import { deliveryRoutes } from './deliveries/delivery.routes.js';
import { surveyPageRoutes } from './public/page.routes.js';
import { reportRoutes } from './reports/report.routes.js';
import { Answering } from './responses/answering.js';
import { surveyRoutes } from './surveys/survey.routes.js';

export type { FeedbackDeps } from './deps.js';
export { registerFeedbackJobs, startFeedbackJobs, type FeedbackJobDeps } from './deliveries/delivery.jobs.js';
export type { PublicLimits } from './public/public.routes.js';
export { FEEDBACK_RECEIVED, FEEDBACK_SOURCE, type FeedbackReceived } from './responses/response.writer.js';
export { categoryOf, npsCategory, summarise, type Summary } from './metrics/scores.js';
export { importPastAnswers, type PastAnswer } from './responses/response.import.js';
export { answersOfRespondents, type RespondentAnswer } from './responses/response.reader.js';
export { ZSurveyDefinition, type SurveyDefinition, type Respondent } from './surveys/survey.schema.js';
// For modules that keep figures of answers (insight) and follow logs as jobs.
export { responseIdsAfter, responseScores, surveyNames, type ResponseScores } from './responses/response.reads.js';
export { dailyScoreCounts, scoreCounts, segmentScoreDays, type RangeFilter } from './reports/report.store.js';
export { findSurvey } from './surveys/survey.store.js';
export { isDateOnly, parseIsoInstant, ZInstant, ZSegment } from './reports/report.schema.js';
export { resolveRange } from './reports/report.service.js';

export interface FeedbackOptions {
  publicLimits?: Partial<PublicLimits>;
}

export const feedbackModule =
  (deps: FeedbackDeps, options: FeedbackOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const answering = new Answering(deps);
    app.addHook('onClose', () => answering.close());
    await app.register(surveyRoutes(deps, answering));
    await app.register(publicSurveyRoutes(deps, answering, { ...DEFAULT_PUBLIC_LIMITS, ...options.publicLimits }));
    await app.register(surveyPageRoutes(deps, answering));
    await app.register(deliveryRoutes(deps, answering));
    await app.register(reportRoutes(deps));
  };
