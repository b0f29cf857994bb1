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
  /** Facts read per transaction (default 500 answers, 200 record facts; see Log.maxWeight for what bounds retention's). */
  batch?: number;
  budgetMs?: number;
  /** Tests only: runs after the rollup change and before the cursor moves, in the transaction. */
  beforeCursor?: () => void | Promise<void>;
}

const ZFeedbackFact = z.object({ responseId: z.string().min(1).max(100) });
const ZRecordsFact = z.object({ source: z.string().min(1), kind: z.string().min(1), externalIds: z.array(z.string()) });

interface Log {
  cursor: string;
  topic: string;
  what: RollupName;
  batch: number;
  /**
   * What a fact costs to apply, when facts differ a lot (a record fact names up to a thousand
   * records); a transaction applies facts up to `maxWeight` (at least one) and the rest wait for
   * the next. Without it every fact read is applied.
   */
  weight?: (payload: unknown) => number;
  maxWeight?: number;
  apply(deps: RollupDeps, trx: Store['db'], workspaceId: string, payloads: unknown[]): Promise<void>;
}

/** The billing records a record fact names: what retention reads and counts for it (other kinds cost nothing). */
export function billingRecords(payload: unknown): RecordRef[] {
  const f = ZRecordsFact.safeParse(payload);
  if (!f.success || !isBillingKind(f.data.kind)) return [];
  return f.data.externalIds.map((externalId) => ({ source: f.data.source, kind: f.data.kind, externalId }));
}

const LOGS: Log[] = [
  {
    cursor: SATISFACTION_CURSOR,
    topic: FEEDBACK_RECEIVED,
    what: 'satisfaction',
    batch: 500,
    async apply(deps, trx, workspaceId, payloads) {
      const ids = payloads.flatMap((p) => {
        const f = ZFeedbackFact.safeParse(p);
        return f.success ? [f.data.responseId] : [];
      });
      await applyResponses(trx, workspaceId, ids, deps.clock.now());
    },
  },
  {
    cursor: RETENTION_CURSOR,
    topic: RECORDS_UPSERTED,
    what: 'retention',
    // Most record facts are of other kinds (profiles, tasks) and cost nothing here: read many,
    // but apply billing records about five facts' worth (5 000) per transaction.
    batch: 200,
    weight: (payload) => billingRecords(payload).length,
    maxWeight: 5_000,
    async apply(deps, trx, workspaceId, payloads) {
      await applyRecords(trx, workspaceId, payloads.flatMap(billingRecords), deps.clock.now());
    },
  },
  {
    cursor: SLA_CURSOR,
    topic: RECORDS_UPSERTED,
    what: 'sla',
    batch: 200,
    async apply(deps, trx, workspaceId, payloads) {
      const ids: string[] = [];
      for (const p of payloads) {
        const f = ZRecordsFact.safeParse(p);
        if (f.success && f.data.source === TASK_SOURCE && f.data.kind === TASK_KIND) ids.push(...f.data.externalIds);
      }
      await applyTasks(trx, workspaceId, ids, deps.clock.now());
    },
  },
];

/** The facts one transaction applies: all of them, or a prefix within the log's weight (at least one). */
export function factsWithin<F extends { payload: unknown }>(log: Pick<Log, 'weight' | 'maxWeight'>, facts: readonly F[]): readonly F[] {
  if (!log.weight || log.maxWeight === undefined) return facts;
  let total = 0;
  for (let i = 0; i < facts.length; i++) {
    total += log.weight((facts[i] as F).payload);
    if (total > log.maxWeight && i > 0) return facts.slice(0, i);
  }
  return facts;
}

/**
 * One transaction: read facts after the cursor, apply them (or as many as the log's weight
 * allows), move the cursor past what was applied. Says how many were applied and whether more
 * may be waiting (a full read, or facts left for the next transaction).
 */
async function consumeBatch(deps: RollupDeps, log: Log, workspaceId: string, options: ConsumeOptions): Promise<{ facts: number; more: boolean }> {
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
    const applied = factsWithin(log, facts);
    await log.apply(deps, trx, workspaceId, applied.map((f) => f.payload));
    await options.beforeCursor?.();
    const cut = applied.length < facts.length;
    await writeCursor(trx, workspaceId, log.cursor, cut ? (applied.at(-1) as (typeof facts)[number]).position : position, clock.now());
    return { facts: applied.length, more: cut || facts.length >= limit };
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
