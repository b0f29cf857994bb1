import { afterEach, describe, expect, it } from 'vitest';
import { createTestStore, sqlitePlan, type TestStore } from '../../../store/testing.js';
import { claimStatement, settleStatement } from './notification.store.js';

/**
 * A delivery batch claims and settles its notifications by primary key. Fenced on (id, attempts)
 * alone, SQLite scanned every notification of the workspace, so each batch cost more as the
 * delivery log grew (at 1 000 webhooks a second, 3 ms a claim after 10 s).
 */
describe('notification claims on sqlite', () => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.destroy();
    store = undefined;
  });

  it('claim and settle seek the primary key', async () => {
    store = await createTestStore('sqlite');
    const claims = [
      { id: 'ntf_a', attempt: 0 },
      { id: 'ntf_b', attempt: 2 },
    ];
    const claim = await sqlitePlan(store.db, claimStatement(store.db, 'ws_1', claims));
    const settle = await sqlitePlan(
      store.db,
      settleStatement(store.db, 'ws_1', claims.map((c) => ({ id: c.id, attempts: c.attempt + 1 })), { status: 'delivered', last_status: 200, last_error: null, next_attempt_at: null, delivered_at: 1 }),
    );
    for (const plan of [claim, settle]) {
      expect(plan).toContain('sqlite_autoindex_notifications_1 (workspace_id=? AND id=?)');
      expect(plan).not.toContain('notifications_status_idx');
    }
  });
});
