/**
 * store-write: how close our write paths come to the database's own speed.
 * Ceilings: a bare prepared INSERT of the same rows into the same table, all in one
 * transaction (for bulk paths), and one commit per row (for paths that commit per
 * operation: a durable commit costs an fsync, which no code above it can avoid).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Insertable } from 'kysely';
import pg from 'pg';
import { openSqlite } from '../src/store/dialect/sqlite.js';
import { JobQueue, Worker, migrateToLatest, openStore, toJson, type SourceRecordsTable, type Store } from '../src/store/index.js';
import { chunk, runCases, timed, type Case } from './lib/measure.js';
import { createTempDatabase, pgServerOrSkip } from './lib/postgres.js';
import type { Benchmark, Result } from './lib/types.js';

const WORKSPACE = 'ws_bench';
const BATCH = 500;
/** Measured rounds, after one warm-up round. */
const ROUNDS = 3;

interface Sizes {
  /** Rows for paths that share one transaction. */
  bulk: number;
  /** Operations for paths that commit each one. */
  perCommit: number;
  /** Jobs claimed and completed. */
  jobs: number;
}

const SIZES: Record<'sqlite' | 'postgres', Sizes> = {
  sqlite: { bulk: 50_000, perCommit: 1_000, jobs: 2_000 },
  postgres: { bulk: 20_000, perCommit: 1_000, jobs: 2_000 },
};

type SourceRow = Insertable<SourceRecordsTable>;

const COLUMNS = ['workspace_id', 'source', 'kind', 'external_id', 'data', 'occurred_at', 'imported_at', 'updated_at'] as const;

function makeRows(n: number): SourceRow[] {
  const t = Date.UTC(2026, 10, 23);
  return Array.from({ length: n }, (_, i) => ({
    workspace_id: WORKSPACE,
    source: 'crm',
    kind: 'contact',
    external_id: `c${i}`,
    data: toJson({ email: `person${i}@example.com`, name: `Person ${i}`, plan: i % 3 ? 'pro' : 'free', seats: i % 50 }),
    occurred_at: t - i * 1000,
    imported_at: t,
    updated_at: t,
  }));
}

const values = (r: SourceRow) => COLUMNS.map((c) => r[c]);

/** A database to measure on: `fresh()` gives a migrated, empty one (seeded with the workspace). */
interface Target {
  name: 'sqlite' | 'postgres';
  fresh(): Promise<string>;
  bareInsert(url: string, rows: SourceRow[], oneTransaction: boolean): Promise<void>;
  close(): Promise<void>;
}

async function migrateAndSeed(url: string): Promise<void> {
  const store = openStore(url);
  try {
    await migrateToLatest(store);
    // PostgreSQL reuses one database per run: empty it, dead tuples and all.
    if (store.dialect.name === 'postgres') await sql`truncate table jobs, source_records`.execute(store.db);
    await store.db
      .insertInto('workspaces')
      .values({ id: WORKSPACE, name: 'Bench', created_at: 0 })
      .onConflict((oc) => oc.doNothing())
      .execute();
  } finally {
    await store.close();
  }
}

function sqliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'emptychair-bench-'));
  let n = 0;
  const insertSql = `insert into source_records (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`;
  return {
    name: 'sqlite',
    async fresh() {
      const path = join(dir, `bench-${n++}.db`);
      await migrateAndSeed(path);
      return path;
    },
    async bareInsert(path, rows, oneTransaction) {
      // Same pragmas as openStore (WAL, synchronous=FULL): the comparison is of code, not of settings.
      const { raw } = openSqlite(path);
      try {
        const insert = raw.prepare(insertSql);
        if (oneTransaction) raw.transaction(() => rows.forEach((r) => insert.run(...values(r))))();
        else for (const r of rows) insert.run(...values(r));
      } finally {
        raw.close();
      }
    },
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(serverUrl: string): Promise<Target> {
  const database = await createTempDatabase(serverUrl);
  const insertSql = `insert into source_records (${COLUMNS.join(', ')}) values (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
  return {
    name: 'postgres',
    async fresh() {
      await migrateAndSeed(database.url);
      return database.url;
    },
    async bareInsert(url, rows, oneTransaction) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        if (oneTransaction) await client.query('begin');
        for (const r of rows) await client.query({ name: 'bench_insert', text: insertSql, values: values(r) });
        if (oneTransaction) await client.query('commit');
      } finally {
        await client.end();
      }
    },
    close: () => database.drop(),
  };
}

function cases(target: Target): Case[] {
  const size = SIZES[target.name];
  const bulkRows = makeRows(size.bulk);
  const commitRows = makeRows(size.perCommit);
  const withStore = async () => openStore(await target.fresh());
  const closeStore = (s: Store) => s.close();
  const payload = (i: number) => ({ customerId: `cus_${i}`, reason: 'sla.check', dueInMinutes: 60 });
  const TXN = `bare prepared INSERT, ${size.bulk} rows in 1 txn`;
  const COMMIT = `bare prepared INSERT, commit per row (${size.perCommit})`;
  const concurrency = 16;
  return [
    {
      name: TXN,
      short: 'bare, 1 txn',
      unit: 'rows/s',
      ops: size.bulk,
      once: () => timed(() => target.fresh(), (url) => target.bareInsert(url, bulkRows, true)),
    },
    {
      name: COMMIT,
      short: 'bare, commit/row',
      unit: 'rows/s',
      ops: size.perCommit,
      once: () => timed(() => target.fresh(), (url) => target.bareInsert(url, commitRows, false)),
    },
    {
      name: 'Kysely insert, 1 row/statement, 1 txn',
      unit: 'rows/s',
      ops: size.bulk,
      ceiling: TXN,
      once: () =>
        timed(
          withStore,
          (store) =>
            store.db.transaction().execute(async (trx) => {
              for (const row of bulkRows) await trx.insertInto('source_records').values(row).execute();
            }),
          closeStore,
        ),
    },
    {
      name: `Kysely insert, ${BATCH} rows/statement, 1 txn`,
      unit: 'rows/s',
      ops: size.bulk,
      ceiling: TXN,
      once: () =>
        timed(
          withStore,
          (store) =>
            store.db.transaction().execute(async (trx) => {
              for (const rows of chunk(bulkRows, BATCH)) await trx.insertInto('source_records').values(rows).execute();
            }),
          closeStore,
        ),
    },
    {
      name: 'enqueue, all in 1 txn',
      unit: 'jobs/s',
      ops: size.bulk,
      ceiling: TXN,
      once: () =>
        timed(
          withStore,
          async (store) => {
            const queue = new JobQueue(store);
            await store.db.transaction().execute(async (trx) => {
              for (let i = 0; i < size.bulk; i++) await queue.enqueue('bench', payload(i), {}, trx);
            });
          },
          closeStore,
        ),
    },
    {
      name: 'enqueue, commit per job',
      unit: 'jobs/s',
      ops: size.perCommit,
      ceiling: COMMIT,
      once: () =>
        timed(
          withStore,
          async (store) => {
            const queue = new JobQueue(store);
            for (let i = 0; i < size.perCommit; i++) await queue.enqueue('bench', payload(i));
          },
          closeStore,
        ),
    },
    {
      name: `claim+complete, ${concurrency} per claim, no-op handler`,
      unit: 'jobs/s',
      ops: size.jobs,
      ceiling: COMMIT,
      once: () =>
        timed(
          async () => {
            const store = await withStore();
            const queue = new JobQueue(store);
            await store.db.transaction().execute(async (trx) => {
              for (let i = 0; i < size.jobs; i++) await queue.enqueue('bench', payload(i), {}, trx);
            });
            const worker = new Worker(queue, { concurrency }).register('bench', async () => {});
            return { store, queue, worker };
          },
          async ({ worker }) => {
            while ((await worker.runOnce()) > 0);
          },
          async ({ store, queue }) => {
            const counts = await queue.counts();
            await store.close();
            if (counts.succeeded !== size.jobs) {
              throw new Error(`claim+complete finished ${counts.succeeded} of ${size.jobs} jobs`);
            }
          },
        ),
    },
  ];
}

export const storeWrite: Benchmark = {
  name: 'store-write',
  description: 'rows/s and jobs/s of our write paths against a bare prepared INSERT (SQLite; PostgreSQL when reachable)',
  async run() {
    const results: Result[] = [];
    const sqlite = sqliteTarget();
    try {
      results.push(...(await runCases('sqlite', cases(sqlite), ROUNDS)));
    } finally {
      await sqlite.close();
    }
    const server = await pgServerOrSkip();
    if (!server) return results;
    const postgres = await postgresTarget(server);
    try {
      results.push(...(await runCases('postgres', cases(postgres), ROUNDS)));
    } finally {
      await postgres.close();
    }
    return results;
  },
};
