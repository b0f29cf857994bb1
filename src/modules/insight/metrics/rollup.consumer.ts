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
  /** Facts per transaction (default 500 answers, 5 record facts of up to 1 000 records, 200 record facts for SLA). */
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
  apply(deps: RollupDeps, trx: Store['db'], workspaceId: string, payloads: unknown[]): Promise<void>;
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
    batch: 5,
    async apply(deps, trx, workspaceId, payloads) {
      const refs: RecordRef[] = [];
      for (const p of payloads) {
        const f = ZRecordsFact.safeParse(p);
        if (!f.success || !isBillingKind(f.data.kind)) continue;
        for (const externalId of f.data.externalIds) refs.push({ source: f.data.source, kind: f.data.kind, externalId });
      }
      await applyRecords(trx, workspaceId, refs, deps.clock.now());
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

/** One transaction: read facts after the cursor, apply them, move the cursor. Returns the facts read. */
async function consumeBatch(deps: RollupDeps, log: Log, workspaceId: string, options: ConsumeOptions): Promise<number> {
  const { store, clock } = deps;
  // A rollup tells nobody outside anything: the next durable commit carries it (store/internal-transaction.ts).
  return internalTransaction(store, async (trx) => {
    await lockRollup(trx, store.dialect.name, workspaceId, log.what);
    const after = await readCursor(trx, workspaceId, log.cursor);
    const { facts, position } = await followFacts(trx, store.dialect.name, workspaceId, { after, topics: [log.topic], limit: options.batch ?? log.batch });
    if (facts.length === 0) {
      if (position !== after) await writeCursor(trx, workspaceId, log.cursor, position, clock.now());
      return 0;
    }
    await log.apply(deps, trx, workspaceId, facts.map((f) => f.payload));
    await options.beforeCursor?.();
    await writeCursor(trx, workspaceId, log.cursor, position, clock.now());
    return facts.length;
  });
}

/** Apply what is waiting in one workspace's logs, for at most `budgetMs`; says whether more is left. */
export async function consumeRollups(deps: RollupDeps, workspaceId: string, options: ConsumeOptions = {}): Promise<{ facts: number; more: boolean }> {
  const deadline = performance.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  let facts = 0;
  for (const log of LOGS) {
    const size = options.batch ?? log.batch;
    for (;;) {
      if (performance.now() > deadline) return { facts, more: true };
      const n = await consumeBatch(deps, log, workspaceId, options);
      facts += n;
      if (n < size) break;
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
