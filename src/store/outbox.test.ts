import { afterEach, describe, expect, it } from 'vitest';
import { awaitLogHorizon } from './log-horizon.js';
import { appendFacts, followFacts } from './outbox.js';
import { createTestStore, testDialects, type TestStore } from './testing.js';

describe.each(testDialects())('outbox followers on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.destroy();
    store = undefined;
  });

  it('moves a follower of a rare topic past the facts of other topics it read over', async () => {
    store = await createTestStore(dialect);
    await store.db.insertInto('workspaces').values({ id: 'ws_1', name: 'Acme', created_at: 0 }).execute();
    const t0 = Date.UTC(2026, 11, 2, 9);
    await appendFacts(store.db, 'ws_1', [{ topic: 'records.upserted', payload: { n: 1 } }, { topic: 'survey.requested', payload: { n: 2 } }], t0);
    await appendFacts(store.db, 'ws_1', Array.from({ length: 5 }, (_, n) => ({ topic: 'records.upserted', payload: { n: 3 + n } })), t0 + 1);
    // Readable once every transaction that took an xid before them has ended (at once, unless another test holds one).
    await awaitLogHorizon(store.db, dialect);
    const all = await store.db.selectFrom('outbox').select(['tx', 'id']).orderBy('tx').orderBy('id').execute();
    const newest = all.at(-1);

    const first = await followFacts(store.db, dialect, 'ws_1', { after: '', topics: ['survey.requested'], limit: 10 });
    expect(first.facts.map((f) => f.payload)).toEqual([{ n: 2 }]);
    // Not the request's id: the newest fact read over, so the five after it are never scanned again.
    expect(first.position).toBe(newest && (newest.tx === 0 ? newest.id : `${newest.tx}:${newest.id}`));
    const again = await followFacts(store.db, dialect, 'ws_1', { after: first.position, topics: ['survey.requested'], limit: 10 });
    expect(again).toEqual({ facts: [], position: first.position });

    // A full page stops at its last fact: what lies beyond it is read next time.
    const page = await followFacts(store.db, dialect, 'ws_1', { after: '', topics: ['records.upserted'], limit: 2 });
    expect(page.facts).toHaveLength(2);
    expect(page.position).toBe(page.facts[1]?.position);
  });
});
