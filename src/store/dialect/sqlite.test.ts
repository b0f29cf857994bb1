import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { WriteLock } from './sqlite-locking.js';
import { tempDirectories } from '../testing.js';
import { openSqlite } from './sqlite.js';

const Driver = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

describe('SQLite transactions with a second connection writing', () => {
  const dirs = tempDirectories();
  afterEach(() => dirs.removeAll());

  it('take the write lock when they begin, so another writer waits instead of failing them', async () => {
    const path = join(dirs.make('ec-immediate-'), 'db.sqlite');
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

  it('take turns with another thread\'s connection without stopping the event loop: a write waits while the other commits on a timer', async () => {
    const path = join(dirs.make('ec-lockwait-'), 'db.sqlite');
    const first = openSqlite(path);
    // As the background thread opens it: the same file, the same write lock.
    const second = openSqlite(path, first.writeLock.buffer);
    const a = new Kysely<{ t: { id: number; n: number } }>({ dialect: first.dialect });
    const b = new Kysely<{ t: { id: number; n: number } }>({ dialect: second.dialect });
    first.raw.exec('create table t (id integer primary key, n integer)');
    first.raw.exec('insert into t (id, n) values (1, 0)');
    try {
      let release: () => void = () => {};
      const held = new Promise<void>((r) => (release = r));
      let wrote: () => void = () => {};
      const written = new Promise<void>((r) => (wrote = r));
      const order: string[] = [];
      const transaction = a.transaction().execute(async (trx) => {
        await trx.updateTable('t').set({ n: 5 }).where('id', '=', 1).execute();
        wrote();
        await held;
        order.push('first commits');
      });
      await written;
      const write = b
        .updateTable('t')
        .set((eb) => ({ n: eb('n', '+', 1) }))
        .where('id', '=', 1)
        .execute()
        .then(() => order.push('second wrote'));
      // SQLite's own busy handler would sleep inside the second write, so this timer could not
      // fire until the write had failed with SQLITE_BUSY.
      setTimeout(release, 100);
      await Promise.all([transaction, write]);
      expect(order).toEqual(['first commits', 'second wrote']);
      expect((await sql<{ n: number }>`select n from t where id = 1`.execute(b)).rows[0]?.n).toBe(6);
    } finally {
      await b.destroy();
      await a.destroy();
    }
  });

  it('free the write lock of a thread that ended holding it', async () => {
    const lock = new WriteLock();
    const holder = new Worker(`const { workerData, threadId } = require('node:worker_threads'); Atomics.store(new Int32Array(workerData), 0, threadId + 1);`, { eval: true, workerData: lock.buffer });
    const holderId = holder.threadId; // -1 once it has ended
    await new Promise((r) => holder.once('exit', r));
    const taken = lock.acquire().then(() => 'taken');
    expect(await Promise.race([taken, new Promise((r) => setTimeout(() => r('waiting'), 50))])).toBe('waiting');
    lock.releaseIfHeldBy(holderId);
    expect(await taken).toBe('taken');
    lock.release();
  });
});
