import { afterEach, describe, expect, it } from 'vitest';
import { createTestStore, testDialects, type TestStore } from '../testing.js';
import { inValues } from './value-list.js';

describe.each(testDialects())('inValues on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.destroy();
    store = undefined;
  });

  it('matches a list longer than a statement may have parameters, with quotes and non-ASCII kept', async () => {
    store = await createTestStore(dialect);
    const names = ['plain', 'o\'brien "quoted"', 'zoë', 'not listed'];
    await store.db
      .insertInto('workspaces')
      .values(names.map((name, i) => ({ id: `ws_${i}`, name, created_at: 0 })))
      .execute();
    // 40 000 values: past SQLite's 32 766 parameters a statement, in one bound parameter.
    const list = [...Array.from({ length: 40_000 }, (_, i) => `other-${i}`), 'plain', 'o\'brien "quoted"', 'zoë'];
    const rows = await store.db.selectFrom('workspaces').select('name').where(inValues(dialect, 'workspaces.name', list)).orderBy('id').execute();
    expect(rows.map((r) => r.name)).toEqual(['plain', 'o\'brien "quoted"', 'zoë']);
    const none = await store.db.selectFrom('workspaces').select('name').where(inValues(dialect, 'workspaces.name', [])).execute();
    expect(none).toEqual([]);
  });
});
