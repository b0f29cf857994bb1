/**
 * The rollups as subscribers of the outbox, through the job queue: one follower job
 * (`insight.rollups`, the feedback module's "follow a log as a job") reads, per workspace,
 * `feedback.received` facts (cursor `insight.satisfaction`) and `records.upserted` facts of
 * orders and subscriptions (cursor `insight.retention`). Each batch is one transaction that
 * applies the rollup change and moves the cursor: a crash before the commit loses both, so the
 * batch is read again; and the rollups compare with what they last counted, so even a batch
 * applied without its cursor moving (or a fact naming a response twice) counts nothing twice.
 *
 * The SLA rollup (cursor `insight.sla`) reads `records.upserted` facts of follow-up's task
 * records: follow-up appends one on every change of a task (created, contacted, waiting and
 * resumed, breached by the deadline job, resolved, reassigned), while its `followup.*` topics
 * name only some of them (a pause has none). The fact only names the task; the task row is read.
 */
import { z } from 'zod';
import type { Clock } from '../../../platform/clock.js';
import { followFacts, internalTransaction, RECORDS_UPSERTED, readCursor, registerFollower, startFollower, writeCursor, type FollowOptions, type JobQueue, type Store, type Worker } from '../../../store/index.js';
import { FEEDBACK_RECEIVED } from '../../feedback/index.js';
import { TASK_KIND, TASK_SOURCE } from '../../followup/index.js';
import { isBillingKind } from './billing.items.js';
import { lockRollup, type RollupName } from './lock.js';
import { applyRecords } from './retention.rollup.js';
import type { RecordRef } from './retention.store.js';
import { applyResponses } from './satisfaction.rollup.js';
import { applyTasks } from './sla.rollup.js';

export const ROLLUPS_QUEUE = 'insight.rollups';
export const SATISFACTION_CURSOR = 'insight.satisfaction';
export const RETENTION_CURSOR = 'insight.retention';
export const SLA_CURSOR = 'insight.sla';

export interface RollupDeps {
  store: Store;
  clock: Clock;
}

export interface ConsumeOptions {
  /** Facts read per transaction (default 500 answers, 200 record facts; see Log.maxItems for what bounds retention's). */
  batch?: number;
  budgetMs?: number;
  /** Tests only: runs after the rollup change and before the cursor moves, in the transaction. */
  beforeCursor?: () => void | Promise<void>;
}

const ZFeedbackFact = z.object({ responseId: z.string().min(1).max(100) });
const ZRecordsFact = z.object({ source: z.string().min(1), kind: z.string().min(1), externalIds: z.array(z.string()) });

/**
 * One rollup's log. `itemsOf` is what a fact gives the rollup (answer ids, billing records, task
 * ids), parsed once; a transaction applies facts until their items pass `maxItems` (at least one
 * fact), when facts differ a lot (a record fact names up to a thousand records), and the rest
 * wait for the next. Without `maxItems` every fact read is applied.
 */
interface Log<T> {
  cursor: string;
  topic: string;
  what: RollupName;
  batch: number;
  maxItems?: number;
  itemsOf(payload: unknown): T[];
  apply(deps: RollupDeps, trx: Store['db'], workspaceId: string, items: T[]): Promise<unknown>;
}

const log = <T>(l: Log<T>): Log<unknown> => l as Log<unknown>;

/** The billing records a record fact names: what retention reads and counts for it (other kinds cost nothing). */
export function billingRecords(payload: unknown): RecordRef[] {
  const f = ZRecordsFact.safeParse(payload);
  if (!f.success || !isBillingKind(f.data.kind)) return [];
  return f.data.externalIds.map((externalId) => ({ source: f.data.source, kind: f.data.kind, externalId }));
}

const LOGS: Log<unknown>[] = [
  log<string>({
    cursor: SATISFACTION_CURSOR,
    topic: FEEDBACK_RECEIVED,
    what: 'satisfaction',
    batch: 500,
    itemsOf(payload) {
      const f = ZFeedbackFact.safeParse(payload);
      return f.success ? [f.data.responseId] : [];
    },
    apply: (deps, trx, workspaceId, ids) => applyResponses(trx, workspaceId, ids, deps.clock.now()),
  }),
  log<RecordRef>({
    cursor: RETENTION_CURSOR,
    topic: RECORDS_UPSERTED,
    what: 'retention',
    // Most record facts are of other kinds (profiles, tasks) and cost nothing here: read many,
    // but apply billing records about five facts' worth (5 000) per transaction.
    batch: 200,
    maxItems: 5_000,
    itemsOf: billingRecords,
    apply: (deps, trx, workspaceId, refs) => applyRecords(trx, workspaceId, refs, deps.clock.now()),
  }),
  log<string>({
    cursor: SLA_CURSOR,
    topic: RECORDS_UPSERTED,
    what: 'sla',
    batch: 200,
    itemsOf(payload) {
      const f = ZRecordsFact.safeParse(payload);
      return f.success && f.data.source === TASK_SOURCE && f.data.kind === TASK_KIND ? f.data.externalIds : [];
    },
    apply: (deps, trx, workspaceId, ids) => applyTasks(trx, workspaceId, ids, deps.clock.now()),
  }),
];

/** How many facts one transaction applies, given each fact's items: all, or those within `maxItems` (at least one). */
export function factsWithin(items: readonly (readonly unknown[])[], maxItems?: number): number {
  if (maxItems === undefined) return items.length;
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    total += (items[i] as readonly unknown[]).length;
    if (total > maxItems && i > 0) return i;
  }
  return items.length;
}

/**
 * One transaction: read facts after the cursor, apply them (or as many as the log's maxItems
 * allows), move the cursor past what was applied. Says how many were applied and whether more
 * may be waiting (a full read, or facts left for the next transaction).
 */
async function consumeBatch(deps: RollupDeps, log: Log<unknown>, workspaceId: string, options: ConsumeOptions): Promise<{ facts: number; more: boolean }> {
  const { store, clock } = deps;
  const limit = options.batch ?? log.batch;
  // A rollup tells nobody outside anything: the next durable commit carries it (store/internal-transaction.ts).
  return internalTransaction(store, async (trx) => {
    await lockRollup(trx, store.dialect.name, workspaceId, log.what);
    const after = await readCursor(trx, workspaceId, log.cursor);
    const { facts, position } = await followFacts(trx, store.dialect.name, workspaceId, { after, topics: [log.topic], limit });
    if (facts.length === 0) {
      if (position !== after) await writeCursor(trx, workspaceId, log.cursor, position, clock.now());
      return { facts: 0, more: false };
    }
    const items = facts.map((f) => log.itemsOf(f.payload));
    const applied = factsWithin(items, log.maxItems);
    await log.apply(deps, trx, workspaceId, items.slice(0, applied).flat());
    await options.beforeCursor?.();
    const cut = applied < facts.length;
    await writeCursor(trx, workspaceId, log.cursor, cut ? (facts[applied - 1] as (typeof facts)[number]).position : position, clock.now());
    return { facts: applied, more: cut || facts.length >= limit };
  });
}

/** Apply what is waiting in one workspace's logs, for at most `budgetMs`; says whether more is left. */
export async function consumeRollups(deps: RollupDeps, workspaceId: string, options: ConsumeOptions = {}): Promise<{ facts: number; more: boolean }> {
  const deadline = performance.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  let facts = 0;
  for (const log of LOGS) {
    for (;;) {
      if (performance.now() > deadline) return { facts, more: true };
      const n = await consumeBatch(deps, log, workspaceId, options);
      facts += n.facts;
      if (!n.more) break;
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  return { facts, more: false };
}

export async function startRollups(queue: JobQueue, clock: Clock): Promise<void> {
  await startFollower(queue, clock, ROLLUPS_QUEUE);
}

export function registerRollups(worker: Worker, queue: JobQueue, deps: RollupDeps, options: FollowOptions = {}): void {
  registerFollower(worker, { ...deps, queue }, ROLLUPS_QUEUE, (workspaceId) => consumeRollups(deps, workspaceId, { budgetMs: 2000 }), options);
}
