import { afterEach, describe, expect, it } from 'vitest';
import { createTestStore, testDialects, type TestStore } from '../store/testing.js';
import { ManualClock } from '../platform/clock.js';
import { readSetting } from '../store/settings.js';
import { countDemoRows, DEMO_SETTING, seedDemo } from './seed.js';
import { DEMO_ID_PREFIX, generateDemo } from './generate.js';

const asOf = Date.UTC(2026, 0, 1);

describe.each(testDialects())('seedDemo on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.destroy();
    store = undefined;
  });

  const open = async (): Promise<TestStore> => {
    const s = await createTestStore(dialect);
    await s.db.insertInto('workspaces').values([{ id: 'ws_demo', name: 'Demo', created_at: 1 }, { id: 'ws_other', name: 'Other', created_at: 1 }]).execute();
    return s;
  };

  it('writes every generated record, reports progress, and is idempotent', async () => {
    store = await open();
    const expected: Record<string, number> = {};
    for (const r of generateDemo({ customers: 1000, seed: 5, asOf })) expected[r.kind] = (expected[r.kind] ?? 0) + 1;
    const progress: number[] = [];
    const clock = new ManualClock(asOf + 1000);
    const first = await seedDemo(store, {
      workspaceId: 'ws_demo', customers: 1000, seed: 5, asOf, clock, transactionRows: 3000,
      onProgress: (done, total) => {
        expect(total).toBe(1000);
        progress.push(done);
      },
    });
    expect(first.counts).toEqual(expected);
    expect(await countDemoRows(store, 'ws_demo')).toEqual(expected);
    // Only customer records go into source_records; the demo's own marker is a workspace setting.
    const all = await store.db.selectFrom('source_records').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', 'ws_demo').executeTakeFirstOrThrow();
    expect(Number(all.n)).toBe(first.total);
    expect(await readSetting(store.db, 'ws_demo', DEMO_SETTING)).toMatchObject({ seed: 5, customers: 1000, asOf });
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(1000);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const order = await store.db.selectFrom('source_records').selectAll().where('workspace_id', '=', 'ws_demo').where('kind', '=', 'order').limit(1).executeTakeFirstOrThrow();
    expect(order.imported_at).toBe(asOf + 1000);
    const data = typeof order.data === 'string' ? JSON.parse(order.data) : order.data;
    expect(data.customerId).toMatch(new RegExp(`^${DEMO_ID_PREFIX}cus-`));

    clock.advance(5000);
    const again = await seedDemo(store, { workspaceId: 'ws_demo', customers: 1000, seed: 5, asOf, clock });
    expect(again.counts).toEqual(expected);
    expect(again.replacedPrevious).toBe(false);
    expect(await countDemoRows(store, 'ws_demo')).toEqual(expected);
    const refreshed = await store.db.selectFrom('source_records').select(['imported_at', 'updated_at']).where('workspace_id', '=', 'ws_demo').where('external_id', '=', order.external_id).executeTakeFirstOrThrow();
    expect(refreshed).toEqual({ imported_at: asOf + 1000, updated_at: asOf + 6000 });
  });

  it('replaces a previous demo of another size or seed, and leaves other rows alone', async () => {
    store = await open();
    const now = asOf;
    await store.db.insertInto('source_records').values([
      { workspace_id: 'ws_demo', source: 'crm', kind: 'contact', external_id: 'imported-1', data: '{}', occurred_at: now, imported_at: now, updated_at: now },
    ]).execute();
    await seedDemo(store, { workspaceId: 'ws_other', customers: 1000, seed: 1, asOf });
    const other = await countDemoRows(store, 'ws_other');

    await seedDemo(store, { workspaceId: 'ws_demo', customers: 1500, seed: 1, asOf });
    const smaller = await seedDemo(store, { workspaceId: 'ws_demo', customers: 1000, seed: 2, asOf });
    expect(smaller.replacedPrevious).toBe(true);
    expect(await countDemoRows(store, 'ws_demo')).toEqual(smaller.counts);
    expect(await countDemoRows(store, 'ws_other')).toEqual(other);
    const kept = await store.db.selectFrom('source_records').select('external_id').where('workspace_id', '=', 'ws_demo').where('external_id', '=', 'imported-1').execute();
    expect(kept).toHaveLength(1);
  });
});
