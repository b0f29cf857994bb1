/**
 * Followers of the outbox read up to the transaction horizon (store/log-horizon.ts): a fact is
 * readable as soon as it has committed (no settle window on the clock), a follower never moves
 * past a fact whose transaction is still open however long it stays open, and then reads it
 * exactly once, in (tx, id) order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { openStore, type Store } from './database.js';
import { internalTransaction } from './internal-transaction.js';
import { awaitLogHorizon } from './log-horizon.js';
import { appendFacts, followFacts, pruneFacts, readCursor, readFacts, writeCursor } from './outbox.js';
import { createTestStore, testDialects, type TestStore } from './testing.js';

const TOPIC = 'test.happened';

/** A transaction left open until `commit()`: what a slow writer in another process looks like. */
function openTransaction(store: Store, work: (trx: Store['db']) => Promise<void>): { written: Promise<void>; commit(): Promise<void> } {
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  let written: () => void = () => {};
  const wrote = new Promise<void>((r) => (written = r));
  const done = store.db.transaction().execute(async (trx) => {
    await work(trx);
    written();
    await held;
  });
  return {
    written: Promise.race([wrote, done]),
    commit: async () => {
      release();
      await done;
    },
  };
}

describe.each(testDialects())('outbox followers and the transaction horizon on %s', (dialect) => {
  // Ids only grow within a process: each suite's clock starts after the previous one's.
  const clock = new ManualClock(Date.UTC(2026, 11, 5, 9) + (dialect === 'postgres' ? 86_400_000 : 0));
  let store: TestStore;

  beforeAll(async () => {
    store = await createTestStore(dialect);
  });
  afterAll(() => store.destroy());

  const freshWorkspace = async (): Promise<string> => {
    const ws = newId('ws', clock.now());
    await store.db.insertInto('workspaces').values({ id: ws, name: ws, created_at: clock.now() }).execute();
    return ws;
  };
  const append = (db: Store['db'], ws: string, n: string) => appendFacts(db, ws, [{ topic: TOPIC, payload: { n } }], clock.now());
  /** A follower as the consumers run one: cursor, read, cursor moved, in one transaction. */
  const follow = (ws: string, consumer = 'test.follower'): Promise<string[]> =>
    internalTransaction(store, async (trx) => {
      const after = await readCursor(trx, ws, consumer);
      const { facts, position } = await followFacts(trx, dialect, ws, { after, topics: [TOPIC], limit: 100 });
      if (position !== after) await writeCursor(trx, ws, consumer, position, clock.now());
      return facts.map((f) => (f.payload as { n: string }).n);
    });

  const peek = async (ws: string, consumer = 'test.follower'): Promise<string[]> => {
    const after = await readCursor(store.db, ws, consumer);
    const { facts } = await followFacts(store.db, dialect, ws, { after, topics: [TOPIC], limit: 100 });
    return facts.map((f) => (f.payload as { n: string }).n);
  };

  it('reads a committed fact at once: the clock stays where the fact was written', async () => {
    const ws = await freshWorkspace();
    await append(store.db, ws, 'first');
    // Only transactions that took an xid before it (another test's, on a shared server) can hold it back.
    await awaitLogHorizon(store.db, dialect);
    expect(await follow(ws)).toEqual(['first']);
    expect(await follow(ws)).toEqual([]);
  });

  it('never reads past a fact whose transaction is still open, however long it stays open; then reads it once, in order', async () => {
    const ws = await freshWorkspace();
    // SQLite has one writer: a second connection's transaction A blocks every other write, so B can only be written on PostgreSQL.
    const other = dialect === 'sqlite' ? openStore(store.url) : undefined;
    try {
      const a = openTransaction(other ?? store, (trx) => append(trx, ws, 'A'));
      await a.written;
      clock.advance(1000);
      const later = dialect === 'postgres';
      if (later) await append(store.db, ws, 'B'); // took its id after A's, committed before A
      // On SQLite a follower's transaction takes the write lock as it begins, so it would wait
      // for A to commit: what it would read meanwhile is shown by the same read outside one.
      const look = later ? () => follow(ws) : () => peek(ws);
      expect(await look()).toEqual([]);
      // Far longer than the settle window readers used to trust (5 s): still nothing is taken past A.
      clock.advance(60_000);
      expect(await look()).toEqual([]);
      await a.commit();
      await awaitLogHorizon(store.db, dialect);
      expect(await follow(ws)).toEqual(later ? ['A', 'B'] : ['A']);
      expect(await follow(ws)).toEqual([]);
    } finally {
      await other?.close();
    }
  });

  it('goes on from a cursor written before transaction ids existed (a bare id is position (0, id))', async () => {
    const ws = await freshWorkspace();
    for (const n of ['1', '2', '3']) await append(store.db, ws, n);
    // As migration 0017 left them: rows already there have tx 0, and cursors are bare ids.
    await store.db.updateTable('outbox').set({ tx: 0 }).where('workspace_id', '=', ws).execute();
    const [first] = await readFacts(store.db, ws, { after: '', topics: [TOPIC], limit: 1 });
    expect(first?.position).toBe(first?.id);
    await writeCursor(store.db, ws, 'test.follower', first?.id as string, clock.now());
    await append(store.db, ws, '4');
    await awaitLogHorizon(store.db, dialect);
    expect(await follow(ws)).toEqual(['2', '3', '4']);
  });

  it('prunes only the facts every outbox follower of the workspace has read past, by log position', async () => {
    const ws = await freshWorkspace();
    for (const n of ['1', '2', '3', '4']) await append(store.db, ws, n);
    const facts = await readFacts(store.db, ws, { after: '', topics: [TOPIC], limit: 10 });
    await writeCursor(store.db, ws, 'test.slow', facts[1]?.position as string, clock.now());
    await writeCursor(store.db, ws, 'test.fast', facts[3]?.position as string, clock.now());
    // Another log's cursor (an event id) is not an outbox position.
    await writeCursor(store.db, ws, 'test.events', newId('evt', clock.now() - 86_400_000), clock.now());
    await pruneFacts(store.db, clock.now() + 1);
    const left = await readFacts(store.db, ws, { after: '', topics: [TOPIC], limit: 10 });
    expect(left.map((f) => (f.payload as { n: string }).n)).toEqual(['3', '4']);
  });
});
