import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore } from './database.js';
import { migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from './testing.js';

describe.each(testDialects())('migrations on %s', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it('applies every migration once, then re-runs as a no-op after reopening', async () => {
    database = await createTestDatabase(dialect);
    const first = openStore(database.url);
    const report = await migrateToLatest(first);
    expect(report.applied).toEqual(migrations.map((m) => m.name));
    await first.close();

    const second = openStore(database.url);
    expect((await migrateToLatest(second)).applied).toEqual([]);
    await second.db
      .insertInto('workspaces')
      .values({ id: 'ws_1', name: 'Acme', created_at: 1 })
      .execute();
    const rows = await second.db.selectFrom('workspaces').selectAll().execute();
    expect(rows).toEqual([{ id: 'ws_1', name: 'Acme', created_at: 1 }]);
    await second.close();
  });

  it('returns BIGINT epoch milliseconds as numbers', async () => {
    database = await createTestDatabase(dialect);
    const store = openStore(database.url);
    await migrateToLatest(store);
    const at = Date.UTC(2026, 10, 23, 12, 0, 0, 123);
    await store.db.insertInto('workspaces').values({ id: 'ws_t', name: 'T', created_at: at }).execute();
    const row = await store.db.selectFrom('workspaces').select('created_at').executeTakeFirstOrThrow();
    expect(row.created_at).toBe(at);
    const count = await store.db
      .selectFrom('workspaces')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    await store.close();
  });
});
