/**
 * import-contacts: rows/s of the file importer (CSV → strict parsing → mapping → zod →
 * batched upserts in bounded transactions) against a ceiling measured in the same run:
 * a bare loop that reads the same file with the same CSV reader (no mapping, no checks),
 * builds the same `data` JSON, and writes the same rows into source_records with one
 * prepared multi-row INSERT, with the same statement and transaction sizes. Also reports
 * peak memory on a 5× larger file, to show that memory does not grow with the file.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { CsvReader } from '../src/modules/imports/csv.js';
import { runImport } from '../src/modules/imports/index.js';
import { systemClock } from '../src/platform/clock.js';
import { openSqlite } from '../src/store/dialect/sqlite.js';
import { migrateToLatest, openStore } from '../src/store/index.js';
import { runCases, timed, type Case } from './lib/measure.js';
import { createTempDatabase, pgServerOrSkip } from './lib/postgres.js';
import type { Benchmark, Result } from './lib/types.js';

const WORKSPACE = 'ws_bench';
const ROWS = 200_000;
const MEMORY_ROWS = 1_000_000;
const BATCH = 1000;
const TXN = 10_000;
const ROUNDS = 2;
const COLUMNS = ['workspace_id', 'source', 'kind', 'external_id', 'data', 'occurred_at', 'imported_at', 'updated_at'];

async function writeContacts(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('Customer ID,E-mail Address,First Name,Last Name,Phone,Company,Country,Created At\r\n');
  for (let i = 0; i < n; i++) {
    const line = `c-${i},person${i}@example.com,First${i},"Last, ${i % 997}",+44 20 7946 ${String(i % 10000).padStart(4, '0')},Company ${i % 5000},${i % 3 ? 'GB' : 'US'},2025-0${1 + (i % 9)}-1${i % 10}T10:00:00Z\r\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * The bare loop: read the file a chunk at a time, split it into records, build the same
 * `data` JSON the importer stores (every contact field, null when absent), and hand the
 * values to `insert` a full statement (BATCH rows, COLUMNS order) at a time, with
 * `commit` every TXN rows; the last, shorter statement and commit at the end.
 */
async function bareLoop(file: string, insert: (values: unknown[]) => unknown, commit: () => unknown): Promise<void> {
  const reader = new CsvReader(',');
  const decoder = new TextDecoder();
  const now = Date.now();
  let values: unknown[] = [];
  let header = true;
  let inTxn = 0;
  const take = async (records: string[][]) => {
    for (const r of records) {
      if (header) {
        header = false;
        continue;
      }
      const [id, email, firstName, lastName, phone, company, country, createdAt] = r;
      const t = Date.parse(createdAt as string);
      const data = { email, name: null, firstName, lastName, phone, company, title: null, accountId: null, city: null, country, lifecycleStage: null, createdAt: t };
      values.push(WORKSPACE, 'crm', 'contact', id, JSON.stringify(data), t, now, now);
      if (values.length === BATCH * COLUMNS.length) {
        await insert(values);
        values = [];
        inTxn += BATCH;
        if (inTxn >= TXN) {
          await commit();
          inTxn = 0;
        }
      }
    }
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) await take(reader.push(decoder.decode(chunk, { stream: true })).records);
  await take(reader.push(decoder.decode(), true).records);
  if (values.length > 0) await insert(values);
  await commit();
}

interface Target {
  name: 'sqlite' | 'postgres';
  fresh(): Promise<string>;
  bare(url: string, file: string): Promise<void>;
  close(): Promise<void>;
}

async function migrateAndSeed(url: string): Promise<void> {
  const store = openStore(url);
  try {
    await migrateToLatest(store);
    if (store.dialect.name === 'postgres') await sql`truncate table source_records, import_errors, imports`.execute(store.db);
    await store.db.insertInto('workspaces').values({ id: WORKSPACE, name: 'Bench', created_at: 0 }).onConflict((oc) => oc.doNothing()).execute();
  } finally {
    await store.close();
  }
}

function sqliteTarget(dir: string): Target {
  let n = 0;
  const tuple = `(${COLUMNS.map(() => '?').join(', ')})`;
  const insertSql = (rows: number) => `insert into source_records (${COLUMNS.join(', ')}) values ${Array.from({ length: rows }, () => tuple).join(', ')}`;
  return {
    name: 'sqlite',
    async fresh() {
      const path = join(dir, `bench-${n++}.db`);
      await migrateAndSeed(path);
      return path;
    },
    async bare(path, file) {
      const { raw } = openSqlite(path);
      try {
        const full = raw.prepare(insertSql(BATCH));
        raw.exec('begin');
        await bareLoop(
          file,
          (values) => (values.length === BATCH * COLUMNS.length ? full : raw.prepare(insertSql(values.length / COLUMNS.length))).run(values),
          () => raw.exec('commit; begin'),
        );
        raw.exec('commit');
      } finally {
        raw.close();
      }
    },
    async close() {},
  };
}

async function postgresTarget(serverUrl: string): Promise<Target> {
  const database = await createTempDatabase(serverUrl);
  const insertSql = (rows: number) =>
    `insert into source_records (${COLUMNS.join(', ')}) values ${Array.from({ length: rows }, (_, r) => `(${COLUMNS.map((_c, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`).join(', ')}`;
  return {
    name: 'postgres',
    async fresh() {
      await migrateAndSeed(database.url);
      return database.url;
    },
    async bare(url, file) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const text = insertSql(BATCH);
        await client.query('begin');
        await bareLoop(
          file,
          (values) =>
            values.length === BATCH * COLUMNS.length
              ? client.query({ name: 'bench_import', text, values })
              : client.query(insertSql(values.length / COLUMNS.length), values),
          async () => {
            await client.query('commit');
            await client.query('begin');
          },
        );
        await client.query('commit');
      } finally {
        await client.end();
      }
    },
    close: () => database.drop(),
  };
}

async function importerRun(url: string, file: string): Promise<{ peakHeap: number; peakRss: number; rows: number }> {
  const store = openStore(url);
  let peakHeap = 0;
  let peakRss = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const timer = setInterval(sample, 20);
  try {
    const { record } = await runImport({ store, clock: systemClock }, createReadStream(file, { highWaterMark: 256 * 1024 }), {
      workspaceId: WORKSPACE,
      kind: 'contact',
      source: 'crm',
      fileName: 'contacts.csv',
      format: 'csv',
      createdBy: 'bench',
      batchSize: BATCH,
      transactionRows: TXN,
      onProgress: sample,
    });
    if (record.rowsImported !== record.rowsRead || record.rowsFailed > 0) throw new Error(`importer refused rows: ${JSON.stringify(record)}`);
    return { peakHeap, peakRss, rows: record.rowsImported };
  } finally {
    clearInterval(timer);
    await store.close();
  }
}

function cases(target: Target, file: string): Case[] {
  const BARE = `bare CSV read + prepared ${BATCH}-row INSERT, ${TXN}-row txns`;
  return [
    { name: BARE, short: 'bare parse+insert', unit: 'rows/s', ops: ROWS, once: () => timed(() => target.fresh(), (url) => target.bare(url, file)) },
    {
      name: `importer: contacts CSV, ${ROWS.toLocaleString('en')} rows (strict parse, guessed mapping, zod, upsert)`,
      unit: 'rows/s',
      ops: ROWS,
      ceiling: BARE,
      once: () => timed(() => target.fresh(), async (url) => void (await importerRun(url, file))),
    },
  ];
}

async function memory(target: Target, small: string, large: string): Promise<void> {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  for (const [label, file] of [['200k rows', small], ['1M rows', large]] as const) {
    global.gc?.();
    const base = process.memoryUsage();
    const m = await importerRun(await target.fresh(), file);
    console.log(
      `${target.name} memory, ${label} (${mb(statSync(file).size)} file): peak heap ${mb(m.peakHeap)} (from ${mb(base.heapUsed)}), peak RSS ${mb(m.peakRss)} (from ${mb(base.rss)})`,
    );
  }
}

export const importContacts: Benchmark = {
  name: 'import-contacts',
  description: 'contacts CSV import rows/s against a bare parse-and-insert loop (SQLite; PostgreSQL when reachable), and peak memory by file size',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'emptychair-bench-import-'));
    const results: Result[] = [];
    try {
      const file = join(dir, 'contacts.csv');
      const large = join(dir, 'contacts-1m.csv');
      await writeContacts(file, ROWS);
      await writeContacts(large, MEMORY_ROWS);
      const sqlite = sqliteTarget(dir);
      results.push(...(await runCases('sqlite', cases(sqlite, file), ROUNDS)));
      await memory(sqlite, file, large);
      const server = await pgServerOrSkip();
      if (!server) return results;
      const postgres = await postgresTarget(server);
      try {
        results.push(...(await runCases('postgres', cases(postgres, file), ROUNDS)));
        await memory(postgres, file, large);
      } finally {
        await postgres.close();
      }
      return results;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
