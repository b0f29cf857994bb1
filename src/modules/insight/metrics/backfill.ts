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
 * A rollup added later (the SLA rollup of migration 0015) is built on its own: the setting
 * records which rollups a workspace's walk built, and the start-up job walks only the missing
 * ones (`only`), leaving the others as they are.
 *
 * At the end the follower cursors move to where the outbox stood when the walk began (its
 * transaction horizon then, `factsPositionNow`): facts before that had committed, so they name
 * data the walk has read. Later facts are read as usual.
 */
import type { Clock } from '../../../platform/clock.js';
import { factsPositionNow, positionBefore, readCursor, readSetting, writeCursor, writeSetting, type JobQueue, type Store, type Worker } from '../../../store/index.js';
import { responseIdsAfter } from '../../feedback/index.js';
import { BILLING_KINDS } from './billing.items.js';
import { lockRollup, type RollupName } from './lock.js';
import { applyRecords } from './retention.rollup.js';
import { existingRecords, itemsAfter, recordIdsAfter, refKey, sourcesOf } from './retention.store.js';
import { RETENTION_CURSOR, SATISFACTION_CURSOR, SLA_CURSOR } from './rollup.consumer.js';
import { applyResponses, goneResponses } from './satisfaction.rollup.js';
import { ledgerIdsAfter } from './satisfaction.store.js';
import { applyTasks, goneTasks } from './sla.rollup.js';
import { slaLedgerIdsAfter, taskIdsAfter } from './sla.store.js';

export const BACKFILL_QUEUE = 'insight.backfill';
export const BACKFILL_SETTING = 'insight.backfill';
/** Bump when the rollups' meaning changes: every workspace is then walked again on start. */
export const BACKFILL_VERSION = 1;
/** Every rollup the walk builds; a workspace walked before one was added lacks it. */
export const ROLLUPS: readonly RollupName[] = ['satisfaction', 'retention', 'sla'];
/** What a walk at BACKFILL_VERSION built when the setting did not list its rollups yet. */
const BEFORE_LISTED: readonly RollupName[] = ['satisfaction', 'retention'];

const PAGE = 1000;

export interface RebuildDeps {
  store: Store;
  clock: Clock;
}

export interface RebuildReport {
  responses: number;
  records: number;
  /** Follow-up tasks walked (SLA rollup). */
  tasks: number;
  /** Responses, billing customers and tasks whose counted contribution changed. */
  changed: number;
  seconds: number;
}

export interface RebuildOptions {
  /** Clear the workspace's rollups first (after a change of definition). */
  fresh?: boolean;
  onProgress?: (phase: 'answers' | 'billing' | 'tasks', done: number) => void;
  /** Walk only these rollups (default: all). */
  only?: readonly RollupName[];
  /** Stop early (the walk is resumable: run it again). */
  signal?: AbortSignal;
}

/** Walk everything once and bring the rollups of one workspace up to date. */
export async function rebuildRollups(deps: RebuildDeps, workspaceId: string, options: RebuildOptions = {}): Promise<RebuildReport> {
  const { store, clock } = deps;
  const startedAt = clock.now();
  const started = performance.now();
  // Before the walk reads anything: every fact before this position had committed by then.
  const settled = await factsPositionNow(store.db, store.dialect.name, startedAt);
  const inTransaction = <T>(what: RollupName, work: (trx: Store['db']) => Promise<T>): Promise<T> =>
    store.db.transaction().execute(async (trx) => {
      await lockRollup(trx, store.dialect.name, workspaceId, what);
      return work(trx);
    });
  const stop = () => options.signal?.throwIfAborted();
  let responses = 0;
  let records = 0;
  let tasks = 0;
  let changed = 0;
  const only = new Set(options.only ?? ROLLUPS);
  if (options.fresh) for (const what of only) await inTransaction(what, (trx) => clearTables(trx, workspaceId, TABLES[what]));

  for (let after = ''; only.has('satisfaction'); ) {
    stop();
    const ids = await responseIdsAfter(store.db, workspaceId, after, PAGE);
    if (ids.length === 0) break;
    changed += await inTransaction('satisfaction', (trx) => applyResponses(trx, workspaceId, ids, clock.now()));
    responses += ids.length;
    options.onProgress?.('answers', responses);
    after = ids.at(-1) as string;
  }
  for (let after = ''; only.has('satisfaction'); ) {
    stop();
    const ids = await ledgerIdsAfter(store.db, workspaceId, after, PAGE);
    if (ids.length === 0) break;
    const gone = await goneResponses(store.db, workspaceId, ids);
    if (gone.length > 0) changed += await inTransaction('satisfaction', (trx) => applyResponses(trx, workspaceId, gone, clock.now()));
    after = ids.at(-1) as string;
  }

  for (const kind of only.has('retention') ? BILLING_KINDS : []) {
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
  for (let after = null as Parameters<typeof itemsAfter>[2]; only.has('retention'); ) {
    stop();
    const refs = await itemsAfter(store.db, workspaceId, after, PAGE);
    if (refs.length === 0) break;
    const present = await existingRecords(store.db, workspaceId, refs);
    const gone = refs.filter((r) => !present.has(refKey(r)));
    if (gone.length > 0) changed += await inTransaction('retention', (trx) => applyRecords(trx, workspaceId, gone, clock.now()));
    after = refs.at(-1) ?? null;
  }

  for (let after = ''; only.has('sla'); ) {
    stop();
    const ids = await taskIdsAfter(store.db, workspaceId, after, PAGE);
    if (ids.length === 0) break;
    changed += await inTransaction('sla', (trx) => applyTasks(trx, workspaceId, ids, clock.now()));
    tasks += ids.length;
    options.onProgress?.('tasks', tasks);
    after = ids.at(-1) as string;
  }
  // Ledger rows whose task is gone (a workspace's tasks deleted around the product): taken out.
  for (let after = ''; only.has('sla'); ) {
    stop();
    const ids = await slaLedgerIdsAfter(store.db, workspaceId, after, PAGE);
    if (ids.length === 0) break;
    const gone = await goneTasks(store.db, workspaceId, ids);
    if (gone.length > 0) changed += await inTransaction('sla', (trx) => applyTasks(trx, workspaceId, gone, clock.now()));
    after = ids.at(-1) as string;
  }

  for (const [cursor, what] of [
    [SATISFACTION_CURSOR, 'satisfaction'],
    [RETENTION_CURSOR, 'retention'],
    [SLA_CURSOR, 'sla'],
  ] as const) {
    if (!only.has(what)) continue;
    await inTransaction(what, async (trx) => {
      if (positionBefore(await readCursor(trx, workspaceId, cursor), settled)) await writeCursor(trx, workspaceId, cursor, settled, clock.now());
    });
  }
  const before = options.fresh ? undefined : await readSetting<BackfillDone>(store.db, workspaceId, BACKFILL_SETTING);
  const built = new Set(before?.version === BACKFILL_VERSION ? (before.rollups ?? BEFORE_LISTED) : []);
  for (const what of only) built.add(what);
  const done: BackfillDone = { version: BACKFILL_VERSION, at: new Date(clock.now()).toISOString(), rollups: ROLLUPS.filter((r) => built.has(r)) };
  await writeSetting(store.db, workspaceId, BACKFILL_SETTING, done, clock.now());
  return { responses, records, tasks, changed, seconds: (performance.now() - started) / 1000 };
}

/** What the rollups are made of (explicit attributions are input, and stay). */
const SATISFACTION_TABLES = ['insight_answers', 'insight_satisfaction_days', 'insight_satisfaction_people_days'] as const;
const RETENTION_TABLES = ['insight_billing_items', 'insight_customers', 'insight_customer_months', 'insight_retention', 'insight_cohorts'] as const;
const SLA_TABLES = ['insight_sla_tasks', 'insight_sla_days'] as const;
type RollupTable = (typeof SATISFACTION_TABLES)[number] | (typeof RETENTION_TABLES)[number] | (typeof SLA_TABLES)[number];
const TABLES: Record<RollupName, readonly RollupTable[]> = { satisfaction: SATISFACTION_TABLES, retention: RETENTION_TABLES, sla: SLA_TABLES };

interface BackfillDone {
  version?: number;
  at?: string;
  /** The rollups walked at this version (absent: written before the SLA rollup existed). */
  rollups?: RollupName[];
}

async function clearTables(db: Store['db'], workspaceId: string, tables: readonly RollupTable[]): Promise<void> {
  for (const table of tables) await db.deleteFrom(table).where('workspace_id', '=', workspaceId).execute();
}

/** The rollups a workspace lacks at this version (all of them, fresh, when built by another version). */
export function missingRollups(done: BackfillDone | undefined): { only: RollupName[]; fresh: boolean } {
  if (done?.version !== BACKFILL_VERSION) return { only: [...ROLLUPS], fresh: done !== undefined };
  const built = new Set(done.rollups ?? BEFORE_LISTED);
  return { only: ROLLUPS.filter((r) => !built.has(r)), fresh: false };
}

/** Workspaces with rollups not walked at this version, which ones, and whether to clear them first. */
async function workspacesToBackfill(store: Store): Promise<{ workspaceId: string; only: RollupName[]; fresh: boolean }[]> {
  const out: { workspaceId: string; only: RollupName[]; fresh: boolean }[] = [];
  for (const w of await store.db.selectFrom('workspaces').select('id').orderBy('id').execute()) {
    const missing = missingRollups(await readSetting<BackfillDone>(store.db, w.id, BACKFILL_SETTING));
    if (missing.only.length > 0) out.push({ workspaceId: w.id, ...missing });
  }
  return out;
}

/** At start-up: queue the backfill when some workspace has not been walked at this version. */
export async function startBackfill(queue: JobQueue, store: Store): Promise<void> {
  if ((await workspacesToBackfill(store)).length > 0) await queue.enqueue(BACKFILL_QUEUE, {}, { uniqueKey: 'backfill', maxAttempts: 10 });
}

export function registerBackfill(worker: Worker, deps: RebuildDeps): void {
  worker.register(BACKFILL_QUEUE, async (_job, context) => {
    for (const { workspaceId, only, fresh } of await workspacesToBackfill(deps.store)) {
      if (context.stopping.aborted) return;
      await rebuildRollups(deps, workspaceId, { fresh, only, signal: context.signal });
    }
  });
}
