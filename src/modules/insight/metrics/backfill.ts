/**
 * Building the rollups from the data already there: an install upgrading to these tables (the
 * first run's `insight.backfill` job, once per workspace), the demo seed (whose past answers
 * arrive without facts), and any bulk load that writes answers or records around the outbox.
 *
 * It walks every response and every order and subscription through the same code that
 * maintains the rollups, one short transaction per thousand, then the ledger and items whose
 * response or record is gone.
 *
 * When what a contribution means changes (a new BACKFILL_VERSION), the old rows cannot be taken
 * away by the new code: the workspace's rollups are cleared first (`fresh`) and built again. Because that code compares with what was last counted, the walk
 * is a reconciliation: running it on correct rollups changes nothing, an interrupted run is
 * finished by running it again, and the follower may run beside it.
 *
 * At the end the follower cursors move to the moment the walk began (less the outbox's settle
 * window): facts older than that name data the walk has read. Later facts are read as usual.
 */
import type { Clock } from '../../../platform/clock.js';
import { idFloor } from '../../../platform/ids.js';
import { readCursor, readSetting, settleWindowMs, writeCursor, writeSetting, type JobQueue, type Store, type Worker } from '../../../store/index.js';
import { responseIdsAfter } from '../../feedback/index.js';
import { BILLING_KINDS } from './billing.items.js';
import { lockRollup } from './lock.js';
import { applyRecords } from './retention.rollup.js';
import { existingRecords, itemsAfter, recordIdsAfter, refKey, sourcesOf } from './retention.store.js';
import { RETENTION_CURSOR, SATISFACTION_CURSOR } from './rollup.consumer.js';
import { applyResponses, goneResponses } from './satisfaction.rollup.js';
import { ledgerIdsAfter } from './satisfaction.store.js';

export const BACKFILL_QUEUE = 'insight.backfill';
export const BACKFILL_SETTING = 'insight.backfill';
/** Bump when the rollups' meaning changes: every workspace is then walked again on start. */
export const BACKFILL_VERSION = 1;

const PAGE = 1000;

export interface RebuildDeps {
  store: Store;
  clock: Clock;
}

export interface RebuildReport {
  responses: number;
  records: number;
  /** Responses and billing customers whose counted contribution changed. */
  changed: number;
  seconds: number;
}

export interface RebuildOptions {
  /** Clear the workspace's rollups first (after a change of definition). */
  fresh?: boolean;
  onProgress?: (phase: 'answers' | 'billing', done: number) => void;
  /** Stop early (the walk is resumable: run it again). */
  signal?: AbortSignal;
}

/** Walk everything once and bring the rollups of one workspace up to date. */
export async function rebuildRollups(deps: RebuildDeps, workspaceId: string, options: RebuildOptions = {}): Promise<RebuildReport> {
  const { store, clock } = deps;
  const startedAt = clock.now();
  const started = performance.now();
  const inTransaction = <T>(what: 'satisfaction' | 'retention', work: (trx: Store['db']) => Promise<T>): Promise<T> =>
    store.db.transaction().execute(async (trx) => {
      await lockRollup(trx, store.dialect.name, workspaceId, what);
      return work(trx);
    });
  const stop = () => options.signal?.throwIfAborted();
  let responses = 0;
  let records = 0;
  let changed = 0;
  if (options.fresh) {
    await inTransaction('satisfaction', (trx) => clearTables(trx, workspaceId, SATISFACTION_TABLES));
    await inTransaction('retention', (trx) => clearTables(trx, workspaceId, RETENTION_TABLES));
  }

  for (let after = ''; ; ) {
    stop();
    const ids = await responseIdsAfter(store.db, workspaceId, after, PAGE);
    if (ids.length === 0) break;
    changed += await inTransaction('satisfaction', (trx) => applyResponses(trx, workspaceId, ids, clock.now()));
    responses += ids.length;
    options.onProgress?.('answers', responses);
    after = ids.at(-1) as string;
  }
  for (let after = ''; ; ) {
    stop();
    const ids = await ledgerIdsAfter(store.db, workspaceId, after, PAGE);
    if (ids.length === 0) break;
    const gone = await goneResponses(store.db, workspaceId, ids);
    if (gone.length > 0) changed += await inTransaction('satisfaction', (trx) => applyResponses(trx, workspaceId, gone, clock.now()));
    after = ids.at(-1) as string;
  }

  for (const kind of BILLING_KINDS) {
    for (const source of await sourcesOf(store.db, workspaceId, kind)) {
      for (let after = ''; ; ) {
        stop();
        const ids = await recordIdsAfter(store.db, workspaceId, source, kind, after, PAGE);
        if (ids.length === 0) break;
        changed += await inTransaction('retention', (trx) =>
          applyRecords(
            trx,
            workspaceId,
            ids.map((externalId) => ({ source, kind, externalId })),
            clock.now(),
          ),
        );
        records += ids.length;
        options.onProgress?.('billing', records);
        after = ids.at(-1) as string;
      }
    }
  }
  // Items whose record was deleted (a replaced demo): applying them finds no record and takes them out.
  for (let after = null as Parameters<typeof itemsAfter>[2]; ; ) {
    stop();
    const refs = await itemsAfter(store.db, workspaceId, after, PAGE);
    if (refs.length === 0) break;
    const present = await existingRecords(store.db, workspaceId, refs);
    const gone = refs.filter((r) => !present.has(refKey(r)));
    if (gone.length > 0) changed += await inTransaction('retention', (trx) => applyRecords(trx, workspaceId, gone, clock.now()));
    after = refs.at(-1) ?? null;
  }

  const settled = idFloor('fct', startedAt - settleWindowMs(store.dialect.name));
  for (const [cursor, what] of [
    [SATISFACTION_CURSOR, 'satisfaction'],
    [RETENTION_CURSOR, 'retention'],
  ] as const) {
    await inTransaction(what, async (trx) => {
      if ((await readCursor(trx, workspaceId, cursor)) < settled) await writeCursor(trx, workspaceId, cursor, settled, clock.now());
    });
  }
  await writeSetting(store.db, workspaceId, BACKFILL_SETTING, { version: BACKFILL_VERSION, at: new Date(clock.now()).toISOString() }, clock.now());
  return { responses, records, changed, seconds: (performance.now() - started) / 1000 };
}

/** What the rollups are made of (explicit attributions are input, and stay). */
const SATISFACTION_TABLES = ['insight_answers', 'insight_satisfaction_days', 'insight_satisfaction_people_days'] as const;
const RETENTION_TABLES = ['insight_billing_items', 'insight_customers', 'insight_customer_months', 'insight_retention', 'insight_cohorts'] as const;

async function clearTables(db: Store['db'], workspaceId: string, tables: readonly (typeof SATISFACTION_TABLES[number] | typeof RETENTION_TABLES[number])[]): Promise<void> {
  for (const table of tables) await db.deleteFrom(table).where('workspace_id', '=', workspaceId).execute();
}

/** Workspaces not walked at this version, and whether what they hold was built by another one. */
async function workspacesToBackfill(store: Store): Promise<{ workspaceId: string; fresh: boolean }[]> {
  const out: { workspaceId: string; fresh: boolean }[] = [];
  for (const w of await store.db.selectFrom('workspaces').select('id').orderBy('id').execute()) {
    const done = await readSetting<{ version?: number }>(store.db, w.id, BACKFILL_SETTING);
    if (done?.version !== BACKFILL_VERSION) out.push({ workspaceId: w.id, fresh: done !== undefined });
  }
  return out;
}

/** At start-up: queue the backfill when some workspace has not been walked at this version. */
export async function startBackfill(queue: JobQueue, store: Store): Promise<void> {
  if ((await workspacesToBackfill(store)).length > 0) await queue.enqueue(BACKFILL_QUEUE, {}, { uniqueKey: 'backfill', maxAttempts: 10 });
}

export function registerBackfill(worker: Worker, deps: RebuildDeps): void {
  worker.register(BACKFILL_QUEUE, async (_job, context) => {
    for (const { workspaceId, fresh } of await workspacesToBackfill(deps.store)) {
      if (context.stopping.aborted) return;
      await rebuildRollups(deps, workspaceId, { fresh, signal: context.signal });
    }
  });
}
