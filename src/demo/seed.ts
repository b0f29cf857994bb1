/**
 * Writes the demo company into `source_records` for one workspace: batched multi-row
 * upserts inside chunked transactions, "create or refresh" keyed on the primary key.
 */
import { sql, type Insertable } from 'kysely';
import type { Store } from '../store/database.js';
import type { SourceRecordsTable } from '../store/schema.js';
import { readSetting, writeSetting } from '../store/settings.js';
import { recordFacts, upsertSourceRecords } from '../store/source-records.js';
import { appendFacts } from '../store/outbox.js';
import { readIdentitySettings, rebuildIdentityGraph, writeIdentitySettings } from '../modules/customers/index.js';
import { rebuildRollups, type RebuildReport } from '../modules/insight/index.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { DemoFeedback, deleteDemoFeedback } from './feedback.js';
import {
  DEMO_ID_PREFIX, DEMO_KINDS, DEMO_VERSION, demoChunks, validateDemoOptions, type DemoKind, type DemoRecord,
} from './generate.js';

export interface SeedDemoOptions {
  workspaceId: string;
  customers: number;
  seed: number;
  /** End of the two-year history, epoch ms. */
  asOf: number;
  /** Called after each flushed transaction with customers written so far. */
  onProgress?(done: number, total: number): void;
  /** Rows per INSERT statement (default 500). */
  batchSize?: number;
  /** Rows per transaction (default 200 000; bigger transactions rewrite fewer index pages). */
  transactionRows?: number;
  /** Source of imported_at / updated_at. */
  clock?: Clock;
}

export interface SeedDemoResult {
  counts: Record<DemoKind, number>;
  total: number;
  /** True when a previous demo with other options was deleted first. */
  replacedPrevious: boolean;
  /** Survey responses written (the NPS and CSAT answers in the records). */
  responses: number;
  /** The insight rollups, built from what was written (past answers arrive without facts). */
  rollups: RebuildReport;
}

/** The workspace setting that records which demo is in a workspace. */
export const DEMO_SETTING = 'demo.generated';

interface DemoMeta {
  version: number;
  seed: number;
  customers: number;
  asOf: number;
}

type Row = Insertable<SourceRecordsTable>;

const readMeta = (store: Store, workspaceId: string) => readSetting<DemoMeta>(store.db, workspaceId, DEMO_SETTING);

/** Delete every demo row of a workspace (rows whose external id carries the demo prefix). */
export async function deleteDemo(store: Store, workspaceId: string): Promise<number> {
  const res = await store.db
    .deleteFrom('source_records')
    .where('workspace_id', '=', workspaceId)
    .where('external_id', 'like', `${DEMO_ID_PREFIX}%`)
    .executeTakeFirst();
  await deleteDemoFeedback(store, workspaceId);
  return Number(res.numDeletedRows);
}

/**
 * SQLite only, for the length of the bulk load: a bigger page cache and no fsync per
 * commit (WAL with synchronous=NORMAL stays consistent after a crash, and an interrupted
 * demo is completed by re-running it). Returns a function that restores the settings.
 */
async function tuneForBulkLoad(store: Store): Promise<() => Promise<void>> {
  if (store.dialect.name !== 'sqlite') return async () => {};
  const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
  const cache = await sql<{ cache_size: number }>`pragma cache_size`.execute(store.db);
  const previousSync = Number(sync.rows[0]?.synchronous ?? 2);
  const previousCache = Number(cache.rows[0]?.cache_size ?? -2000);
  await sql`pragma synchronous = NORMAL`.execute(store.db);
  await sql`pragma cache_size = -262144`.execute(store.db);
  return async () => {
    await sql.raw(`pragma synchronous = ${previousSync}`).execute(store.db);
    await sql.raw(`pragma cache_size = ${previousCache}`).execute(store.db);
  };
}

const byKey = (a: Row, b: Row): number =>
  a.source < b.source ? -1 : a.source > b.source ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.external_id < b.external_id ? -1 : a.external_id > b.external_id ? 1 : 0;

/**
 * Create or refresh the demo company in a workspace (which must exist). Same options:
 * every row is upserted in place. Other seed, size, asOf or generator version: the
 * previous demo rows are deleted first.
 */
export async function seedDemo(store: Store, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const { workspaceId, customers, seed, asOf } = options;
  validateDemoOptions({ customers, seed, asOf });
  const batchSize = options.batchSize ?? 500;
  const transactionRows = Math.max(batchSize, options.transactionRows ?? 200_000);
  const clock = options.clock ?? systemClock;
  const wanted: DemoMeta = { version: DEMO_VERSION, seed, customers, asOf };

  const previous = await readMeta(store, workspaceId);
  const same =
    previous !== undefined &&
    previous.version === wanted.version &&
    previous.seed === wanted.seed &&
    previous.customers === wanted.customers &&
    previous.asOf === wanted.asOf;
  let replacedPrevious = false;
  if (!same) {
    replacedPrevious = (await deleteDemo(store, workspaceId)) > 0;
    // Profiles built from the old demo must go with it; the rest is resolved again.
    if (replacedPrevious) await rebuildIdentityGraph(store, workspaceId, clock.now());
  }
  const now = clock.now();
  // The marker goes in first: an interrupted run is completed by re-running it.
  await writeSetting(store.db, workspaceId, DEMO_SETTING, wanted, now);
  // The demo's web app identifies people by their billing customer id.
  if ((await readSetting(store.db, workspaceId, 'identity')) === undefined) {
    await writeIdentitySettings(store.db, workspaceId, { ...(await readIdentitySettings(store.db, workspaceId)), userIdSource: 'billing' }, now);
  }

  const counts = Object.fromEntries(DEMO_KINDS.map((k) => [k, 0])) as Record<DemoKind, number>;
  let total = 0;
  let pending: Row[] = [];
  const toRow = (r: DemoRecord): Row => ({
    workspace_id: workspaceId,
    source: r.source,
    kind: r.kind,
    external_id: r.externalId,
    data: JSON.stringify(r.data),
    occurred_at: r.occurredAt,
    imported_at: now,
    updated_at: now,
  });
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    // Key order turns random B-tree inserts into mostly sequential ones.
    const rows = pending.sort(byKey);
    pending = [];
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += batchSize) await upsertSourceRecords(trx, rows.slice(i, i + batchSize)).execute();
      // Last, as the outbox wants: identity resolution picks these up (see store/outbox.ts).
      await appendFacts(trx, workspaceId, recordFacts(rows), clock.now());
    });
  };

  const feedback = new DemoFeedback(store, workspaceId, now);
  const restore = await tuneForBulkLoad(store);
  try {
    for (const chunk of demoChunks({ customers, seed, asOf })) {
      for (const r of chunk.records) {
        pending.push(toRow(r));
        feedback.add(r);
        counts[r.kind]++;
      }
      total += chunk.records.length;
      if (pending.length >= transactionRows) {
        await flush();
        await feedback.flush();
        options.onProgress?.(chunk.done, customers);
      }
    }
    await flush();
    await feedback.flush();
  } finally {
    await restore();
  }
  options.onProgress?.(customers, customers);
  // Past answers are written around the outbox, and a replaced demo's rows were deleted: the
  // rollups are reconciled with what is there now (the follower then reads on from here).
  const rollups = await rebuildRollups({ store, clock }, workspaceId);
  return { counts, total, replacedPrevious, responses: feedback.count, rollups };
}

/** Rows per kind of one workspace's demo, read back from the database. */
export async function countDemoRows(store: Store, workspaceId: string): Promise<Partial<Record<DemoKind, number>>> {
  const rows = await store.db
    .selectFrom('source_records')
    .select(['kind', sql<number>`count(*)`.as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('external_id', 'like', `${DEMO_ID_PREFIX}%`)
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)])) as Partial<Record<DemoKind, number>>;
}
