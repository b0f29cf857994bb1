import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from './sqlite.js';

const Driver = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

describe('SQLite transactions with a second connection writing', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('take the write lock when they begin, so another writer waits instead of failing them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ec-immediate-'));
    dirs.push(dir);
    const path = join(dir, 'db.sqlite');
    const { dialect, raw } = openSqlite(path);
    const db = new Kysely<{ t: { id: number; n: number } }>({ dialect });
    raw.exec('create table t (id integer primary key, n integer)');
    raw.exec('insert into t (id, n) values (1, 0)');
    const other = new Driver(path, { timeout: 0 });
    try {
      await db.transaction().execute(async (trx) => {
        // Only a read so far: a deferred transaction would hold no write lock yet, and the
        // other connection's write would make this one's later write fail (SQLITE_BUSY).
        const row = await trx.selectFrom('t').select('n').where('id', '=', 1).executeTakeFirstOrThrow();
        expect(() => other.prepare('update t set n = 100 where id = 1').run()).toThrow(/locked|busy/i);
        await trx.updateTable('t').set({ n: row.n + 1 }).where('id', '=', 1).execute();
      });
      other.prepare('update t set n = n + 10 where id = 1').run();
      expect((await sql<{ n: number }>`select n from t where id = 1`.execute(db)).rows[0]?.n).toBe(11);
    } finally {
      other.close();
      await db.destroy();
    }
  });
});
