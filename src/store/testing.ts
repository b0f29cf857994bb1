/**
 * Test support: the same suite on every dialect. SQLite always; PostgreSQL when
 * EMPTYCHAIR_TEST_PG is set (to a server URL, or to 1 for the local default).
 * Each PostgreSQL store is a fresh database, dropped afterwards, so runs never share state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql, type Compilable, type Kysely } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from './database.js';
import type { DialectName } from './dialect/types.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';

export function pgAdminUrl(): string | undefined {
  const v = process.env.EMPTYCHAIR_TEST_PG;
  if (!v || v === '0' || v === 'false') return undefined;
  return /^postgres(ql)?:\/\//.test(v) ? v : DEFAULT_PG;
}

/** Temporary directories for one test file: `make` one; `removeAll` in afterEach. */
export function tempDirectories(): { make(prefix: string): string; removeAll(): void } {
  const made: string[] = [];
  return {
    make(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function testDialects(): DialectName[] {
  return pgAdminUrl() ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  /** A URL that openStore (or a child process) accepts. */
  url: string;
  dialect: DialectName;
  drop(): Promise<void>;
}

/** Create an empty database of the given dialect, without opening a store on it. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'emptychair-test-'));
    return {
      url: join(dir, 'test.db'),
      dialect,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = pgAdminUrl();
  if (!admin) throw new Error('EMPTYCHAIR_TEST_PG is not set');
  const name = `ec_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dialect,
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await waitForBackendsToExit(c, name);
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * pg's pool.end() resolves before its backends have exited; dropping `with (force)`
 * at that moment terminates them, which an ended client may still report as an
 * unhandled error (57P01). Wait (briefly) until the database has no backends.
 */
async function waitForBackendsToExit(client: pg.Client, database: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await client.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    );
    if ((rows[0]?.n ?? 0) === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface TestStore extends Store {
  url: string;
  /** Close the store and drop its database. */
  destroy(): Promise<void>;
}

/** A fresh, migrated store. */
export async function createTestStore(dialect: DialectName): Promise<TestStore> {
  const database = await createTestDatabase(dialect);
  const store = openStore(database.url);
  await migrateToLatest(store);
  return Object.assign(store, {
    url: database.url,
    destroy: async () => {
      await store.close();
      await database.drop();
    },
  });
}

/**
 * SQLite's plan of a query, its steps joined by " | ": for tests that a statement seeks an index
 * rather than scans a table whose size grows with use. Parameters are inlined, as EXPLAIN takes
 * no bound values through raw SQL.
 */
export async function sqlitePlan(db: Kysely<Database>, query: Compilable): Promise<string> {
  const { sql: text, parameters } = query.compile();
  let i = 0;
  const inlined = text.replace(/\?/g, () => {
    const v = parameters[i++];
    return typeof v === 'number' ? String(v) : v === null ? 'null' : `'${String(v).replace(/'/g, "''")}'`;
  });
  const rows = await sql.raw<{ detail: string }>(`explain query plan ${inlined}`).execute(db);
  return rows.rows.map((r) => r.detail).join(' | ');
}
