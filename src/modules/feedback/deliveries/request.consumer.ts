/**
 * Survey requests as a subscriber: follows the outbox topic `followup.survey_requested` (a
 * follow-up rule's `send_survey` action) per workspace, cursor `feedback.requests`, and turns
 * each request into a pending e-mail delivery and its send job, in the transaction that moves
 * the cursor. The sender then applies the same limits as to triggered surveys: quiet hours,
 * the contact limit (and a trigger's sample, which a rule does not have).
 *
 * Idempotent per request: the delivery is keyed on the unique (survey, trigger, event) index
 * with trigger `rule:<ruleId>` and event = the tracked event the rule fired on (so that the
 * sender finds an address the event carries, as for triggers), else the request fact's id.
 * A re-read fact asks once.
 *
 * Causation: the delivery keeps the request's respondent as it is. The follow-up module finds
 * the chain of an answer from its own record of the request (`followup_emissions`, keyed by
 * that respondent and the survey), so nothing else needs to travel with the delivery.
 */
import { z } from 'zod';
import type { Clock } from '../../../platform/clock.js';
import { newId } from '../../../platform/ids.js';
import type { Logger } from '../../../platform/logger.js';
import { registerFollower, scheduleFollower, startFollower, type FollowOptions, followFacts, readCursor, writeCursor, type JobQueue, type Store, type Worker, internalTransaction } from '../../../store/index.js';
import { findSurvey } from '../surveys/survey.store.js';
import { insertDeliveryIfAbsent } from './delivery.store.js';
import { scheduleSend } from './sender.js';

export const REQUESTS_QUEUE = 'feedback.requests';
export const REQUESTS_CURSOR = 'feedback.requests';
/**
 * The topic follow-up publishes (its `SURVEY_REQUESTED`). Named here rather than imported:
 * follow-up already depends on feedback (it reads `feedback.received`), and the payload is
 * parsed below as any edge is.
 */
export const SURVEY_REQUESTED_TOPIC = 'followup.survey_requested';
/** A request this much older than its reading (a backlog after a long outage) asks nobody. */
export const STALE_REQUEST_MS = 3 * 86_400_000;

export const ZSurveyRequest = z.object({
  ruleId: z.string().min(1).max(100),
  surveyId: z.string().min(1).max(100),
  // Kept exactly as follow-up recorded it (no trimming): its record of the request is keyed on it.
  respondent: z.object({ kind: z.enum(['user_id', 'email', 'anonymous_id']), value: z.string().min(1).max(300) }),
  chain: z.array(z.string()).max(50).default([]),
  source: z.object({ type: z.string(), id: z.string().min(1).max(100) }).optional(),
});
export type SurveyRequest = z.infer<typeof ZSurveyRequest>;

export interface RequestDeps {
  store: Store;
  clock: Clock;
  queue: JobQueue;
  logger?: Logger | undefined;
}

export interface RequestResult {
  /** Request facts read past. */
  requests: number;
  /** Deliveries created (not counting ones an earlier run had created). */
  deliveries: number;
  more: boolean;
}

/** Read what is waiting in one workspace, batch by batch, for at most `budgetMs`. */
export async function consumeRequests(deps: RequestDeps, workspaceId: string, options: { batch?: number; budgetMs?: number } = {}): Promise<RequestResult> {
  const batch = options.batch ?? 200;
  const deadline = performance.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  let requests = 0;
  let deliveries = 0;
  for (;;) {
    if (performance.now() > deadline) return { requests, deliveries, more: true };
    const n = await consumeBatch(deps, workspaceId, batch);
    requests += n.requests;
    deliveries += n.deliveries;
    if (n.requests < batch) return { requests, deliveries, more: false };
    await new Promise<void>((r) => setImmediate(r));
  }
}

async function consumeBatch(deps: RequestDeps, workspaceId: string, batch: number): Promise<{ requests: number; deliveries: number }> {
  const { store, clock, queue } = deps;
  return internalTransaction(store, async (trx) => {
    const after = await readCursor(trx, workspaceId, REQUESTS_CURSOR);
    const { facts, position } = await followFacts(trx, store.dialect.name, workspaceId, { after, topics: [SURVEY_REQUESTED_TOPIC], limit: batch });
    if (facts.length === 0) {
      if (position !== after) await writeCursor(trx, workspaceId, REQUESTS_CURSOR, position, clock.now());
      return { requests: 0, deliveries: 0 };
    }
    let created = 0;
    for (const fact of facts) {
      const parsed = ZSurveyRequest.safeParse(fact.payload);
      if (!parsed.success) {
        deps.logger?.warn({ workspaceId, factId: fact.id, issues: parsed.error.issues }, 'survey request ignored: not a valid request');
        continue;
      }
      const request = parsed.data;
      // A survey that does not exist (any more) has no delivery log to show a skip on.
      if (!(await findSurvey(trx, workspaceId, request.surveyId))) continue;
      const now = clock.now();
      const stale = now - fact.createdAt > STALE_REQUEST_MS;
      const id = newId('dlv', now);
      const inserted = await insertDeliveryIfAbsent(trx, {
        workspaceId,
        id,
        surveyId: request.surveyId,
        channel: 'email',
        respondent: request.respondent,
        status: stale ? 'skipped' : 'pending',
        reason: stale ? 'stale-request' : null,
        triggerId: `rule:${request.ruleId}`,
        eventId: request.source?.type === 'event' ? request.source.id : fact.id,
        sendAt: now,
        now,
      });
      if (!inserted) continue;
      created++;
      if (!stale) await scheduleSend(queue, { workspaceId, deliveryId: id }, now, trx);
    }
    await writeCursor(trx, workspaceId, REQUESTS_CURSOR, position, clock.now());
    return { requests: facts.length, deliveries: created };
  });
}

export async function startRequests(queue: JobQueue, clock: Clock): Promise<void> {
  await startFollower(queue, clock, REQUESTS_QUEUE);
}

export async function scheduleRequests(queue: JobQueue, clock: Clock, delayMs: number): Promise<void> {
  await scheduleFollower(queue, clock, REQUESTS_QUEUE, delayMs);
}

/** One job follows the requests for about a minute, then schedules the next. */
export function registerRequests(worker: Worker, deps: RequestDeps, options: FollowOptions = {}): void {
  registerFollower(worker, deps, REQUESTS_QUEUE, (workspaceId) => consumeRequests(deps, workspaceId, { budgetMs: 2000 }), options);
}
