import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirectories } from '../testing.js';
import { openSqlite } from './sqlite.js';

describe('WAL checkpoints on a worker thread', () => {
  const dirs = tempDirectories();
  afterEach(() => dirs.removeAll());

  it('copies the log into the database file off the main thread, and gives the default back when stopped', async () => {
    const path = join(dirs.make('ec-wal-'), 'db.sqlite');
    const { raw, checkpointInBackground } = openSqlite(path);
    const checkpointer = checkpointInBackground?.();
    expect(checkpointer).toBeDefined();
    try {
      expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(20_000);
      raw.exec('create table t (id integer primary key, body text)');
      const insert = raw.prepare('insert into t (body) values (?)');
      // About 4 MB: a thousand pages, which the main connection no longer checkpoints by itself.
      raw.transaction(() => {
        for (let i = 0; i < 1000; i++) insert.run('x'.repeat(4000));
      })();
      const before = statSync(path).size;
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(4_000_000);
      for (let waited = 0; statSync(path).size < 4_000_000 && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(before).toBeLessThan(4_000_000);
      expect(statSync(path).size).toBeGreaterThan(4_000_000);
    } finally {
      await checkpointer?.stop();
    }
    expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect((raw.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(1000);
    raw.close();
  });

  it('is not offered for a database in memory', () => {
    const { raw, checkpointInBackground } = openSqlite(':memory:');
    expect(checkpointInBackground).toBeUndefined();
    raw.close();
  });
});
