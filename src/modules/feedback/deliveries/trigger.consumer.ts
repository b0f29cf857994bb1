/**
 * Triggers as a subscriber: follows the events table per workspace (cursor
 * `feedback.triggers`, below the transaction horizon like identity resolution), matches track events against the
 * enabled triggers of active surveys, and for each match records a pending delivery and
 * queues its e-mail at event time + delay, in the transaction that moves the cursor. The
 * unique index on (survey, trigger, event) makes a re-read event ask once.
 */
import { newId } from '../../../platform/ids.js';
import type { Clock } from '../../../platform/clock.js';
import { registerFollower, scheduleFollower, startFollower, readCursor, writeCursor, type JobQueue, type Store, type Worker, internalTransaction } from '../../../store/index.js';
import { eventsAfter } from '../../ingest/index.js';
import type { Trigger } from '../surveys/survey.schema.js';
import { listSurveyRows } from '../surveys/survey.store.js';
import { insertDeliveryIfAbsent } from './delivery.store.js';
import { scheduleSend } from './sender.js';
import { matchesTrigger, respondentOfEvent } from './trigger.match.js';

export const TRIGGERS_QUEUE = 'feedback.triggers';
export const TRIGGERS_CURSOR = 'feedback.triggers';
const MINUTE = 60_000;
/** An event this much older than its send time (a back-filled import) asks nobody. */
export const STALE_AFTER_MS = 3 * 86_400_000;

export interface TriggerDeps {
  store: Store;
  clock: Clock;
  queue: JobQueue;
}

export interface ActiveTrigger {
  surveyId: string;
  trigger: Trigger;
}

/** Each workspace's active triggers, kept for a few seconds: every batch of events needs them. */
export class TriggerCache {
  private readonly entries = new Map<string, { at: number; triggers: ActiveTrigger[] }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
  ) {}

  async get(store: Store, workspaceId: string): Promise<ActiveTrigger[]> {
    const now = this.clock.now();
    const hit = this.entries.get(workspaceId);
    if (hit && now - hit.at < this.ttlMs && now >= hit.at) return hit.triggers;
    const surveys = await listSurveyRows(store.db, workspaceId, 'active');
    const triggers = surveys.flatMap((s) => s.definition.triggers.filter((t) => t.enabled).map((trigger) => ({ surveyId: s.id, trigger })));
    this.entries.set(workspaceId, { at: now, triggers });
    return triggers;
  }
}

export interface ConsumeResult {
  /** Events read past. */
  events: number;
  /** Deliveries created (not counting ones an earlier run had created). */
  deliveries: number;
  more: boolean;
}

/**
 * Read what is waiting in one workspace, batch by batch, for at most `budgetMs`.
 * Without a cache the active triggers are read afresh.
 */
export async function consumeTriggers(
  deps: TriggerDeps,
  workspaceId: string,
  options: { cache?: TriggerCache; batch?: number; budgetMs?: number } = {},
): Promise<ConsumeResult> {
  const batch = options.batch ?? 500;
  const deadline = performance.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  const cache = options.cache ?? new TriggerCache(deps.clock, 0);
  let events = 0;
  let deliveries = 0;
  for (;;) {
    if (performance.now() > deadline) return { events, deliveries, more: true };
    // Read before the transaction: on SQLite it holds the one connection.
    const triggers = await cache.get(deps.store, workspaceId);
    const n = await consumeBatch(deps, workspaceId, triggers, batch);
    events += n.events;
    deliveries += n.deliveries;
    if (n.events < batch) return { events, deliveries, more: false };
    await new Promise<void>((r) => setImmediate(r));
  }
}

async function consumeBatch(deps: TriggerDeps, workspaceId: string, triggers: ActiveTrigger[], batch: number): Promise<{ events: number; deliveries: number }> {
  const { store, clock, queue } = deps;
  const names = new Set(triggers.map((t) => t.trigger.event));
  return internalTransaction(store, async (trx) => {
    const after = await readCursor(trx, workspaceId, TRIGGERS_CURSOR);
    const { events, last, scanned } = await eventsAfter(trx, store.dialect.name, workspaceId, after, { limit: batch, names });
    if (last === undefined) return { events: 0, deliveries: 0 };
    let created = 0;
    for (const event of events) {
      for (const { surveyId, trigger } of triggers) {
        if (!matchesTrigger(trigger, event)) continue;
        const respondent = respondentOfEvent(event);
        if (!respondent) continue;
        const now = clock.now();
        const sendAt = event.timestamp + trigger.delayMinutes * MINUTE;
        const stale = now - sendAt > STALE_AFTER_MS;
        const id = newId('dlv', now);
        const inserted = await insertDeliveryIfAbsent(trx, {
          workspaceId,
          id,
          surveyId,
          channel: trigger.channel,
          respondent,
          status: stale ? 'skipped' : 'pending',
          reason: stale ? 'stale-event' : null,
          triggerId: trigger.id,
          eventId: event.id,
          sendAt,
          now,
        });
        if (!inserted) continue;
        created++;
        if (!stale) await scheduleSend(queue, { workspaceId, deliveryId: id }, Math.max(sendAt, now), trx);
      }
    }
    await writeCursor(trx, workspaceId, TRIGGERS_CURSOR, last, clock.now());
    return { events: scanned, deliveries: created };
  });
}

/** At start-up: start following unless a run is already queued or running. */
export async function startTriggers(queue: JobQueue, clock: Clock): Promise<void> {
  await startFollower(queue, clock, TRIGGERS_QUEUE);
}

export async function scheduleTriggers(queue: JobQueue, clock: Clock, delayMs: number): Promise<void> {
  await scheduleFollower(queue, clock, TRIGGERS_QUEUE, delayMs);
}

/** One job follows the events for about a minute, then schedules the next (like identity resolution). */
export function registerTriggers(worker: Worker, deps: TriggerDeps, options: { runMs?: number } = {}): void {
  const cache = new TriggerCache(deps.clock);
  registerFollower(worker, deps, TRIGGERS_QUEUE, (workspaceId) => consumeTriggers(deps, workspaceId, { cache, budgetMs: 2000 }), options);
}
