/** The follow-up module: rules, SLA policies and clocks, tasks, escalation and notifications. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FollowupDeps } from './deps.js';
import { followupRoutes } from './followup.routes.js';
import { notificationRoutes } from './notifications/notification.routes.js';
import type { NotificationOptions } from './notifications/options.js';

export type { FollowupDeps } from './deps.js';
export { registerFollowupJobs, startFollowupJobs, runDeadline, runNotify, registerDeadlines } from './followup.jobs.js';
export { consumeFollowups, RULES_QUEUE, PROFILE_TAGGED, SURVEY_REQUESTED } from './rules/rule.consumer.js';
export { DEADLINE_QUEUE, NOTICE_QUEUE, TASK_CREATED, TASK_CONTACTED, TASK_BREACHED, TASK_RESOLVED, type DeadlinePayload } from './tasks/task.service.js';
export { ZRuleDefinition, type RuleDefinition } from './rules/rule.schema.js';
export { createTaskByHand, slaBreachesOf, taskStates, type TaskByHand, type CreatedByHand, type TaskState } from './tasks/by-hand.js';
export { readFollowupSettings, ZFollowupSettings, type FollowupSettings } from './settings.js';
export { DELIVERY_QUEUES, enqueueNotification, NOTIFY_QUEUE, registerNotificationJobs, type NotificationMessage } from './notifications/index.js';
// For insight: SLA figures on the home dashboard, names of teams and members, and task owners.
export { slaReport, speedReport } from './reports/report.service.js';
export { firstContactSpeed } from './reports/report.overall.js';
export { judge as judgeSlaTarget } from './reports/report.maths.js';
export { reportLabels, type Labels } from './reports/report.store.js';
export type { SlaReport, SpeedReport } from './reports/report.schema.js';
export { taskOwnersOf, type TaskOwner } from './tasks/task.lookup.js';
export { TASK_SOURCE, TASK_KIND } from './tasks/task.store.js';

/** The notification options a server's configuration sets (the rest keep their defaults). */
export const notificationOptions = (config: { notifyAllowPrivate?: boolean | undefined; notifyAllowHttp?: boolean | undefined; notifyConcurrency?: number | undefined }): NotificationOptions => ({
  ...(config.notifyAllowPrivate === undefined ? {} : { allowPrivateTargets: config.notifyAllowPrivate }),
  ...(config.notifyAllowHttp === undefined ? {} : { allowHttp: config.notifyAllowHttp }),
  ...(config.notifyConcurrency === undefined ? {} : { concurrency: config.notifyConcurrency }),
});

export const followupModule =
  (deps: FollowupDeps): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(followupRoutes(deps));
    await app.register(notificationRoutes(deps));
  };
