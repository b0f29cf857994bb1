/**
 * Followers of the event log read up to the transaction horizon (store/log-horizon.ts): an event
 * is readable as soon as it has committed, a follower never moves past an event whose
 * transaction is still open (however long), and then reads it exactly once, in (tx, id) order;
 * with or without the cheap skip of events whose name nobody follows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { awaitLogHorizon, openStore, readCursor, writeCursor, type Store } from '../../store/index.js';
import { createTestStore, testDialects, type TestStore } from '../../store/testing.js';
import { eventsAfter } from './event.log.js';

const ws = 'ws_log';

describe.each(testDialects())('followers of the event log on %s', (dialect) => {
  // Ids only grow within a process: each suite's clock starts after the previous one's.
  const clock = new ManualClock(Date.UTC(2026, 11, 5, 9) + (dialect === 'postgres' ? 86_400_000 : 0));
  let store: TestStore;

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await store.db.insertInto('workspaces').values({ id: ws, name: 'Log', created_at: clock.now() }).execute();
  });
  afterAll(() => store.destroy());

  const insert = async (db: Store['db'], name: string): Promise<void> => {
    // A later millisecond each: ids made at random within one millisecond need not grow (the event writer's do).
    clock.advance(1);
    const id = newId('evt', clock.now());
    await db
      .insertInto('events')
      .values({ workspace_id: ws, id, message_id: id, type: 'track', name, user_id: `u-${name}`, anonymous_id: null, group_id: null, previous_id: null, profile_id: null, source: 'key', properties: '{}', traits: null, context: '{}', integrations: '{}', timestamp: clock.now(), original_timestamp: clock.now(), sent_at: null, received_at: clock.now() })
      .execute();
  };
  /** A follower as the consumers run one (cursor, read, cursor moved, in one transaction); `names` as the rules and triggers ask. */
  const follow = (consumer: string, names?: ReadonlySet<string>): Promise<string[]> =>
    store.db.transaction().execute(async (trx) => {
      const after = await readCursor(trx, ws, consumer);
      const read = await eventsAfter(trx, dialect, ws, after, { limit: 100, ...(names ? { names } : {}) });
      if (read.last !== undefined) await writeCursor(trx, ws, consumer, read.last, clock.now());
      return read.events.map((e) => e.name ?? '');
    });

  const peek = async (consumer: string, names?: ReadonlySet<string>): Promise<string[]> => {
    const read = await eventsAfter(store.db, dialect, ws, await readCursor(store.db, ws, consumer), { limit: 100, ...(names ? { names } : {}) });
    return read.events.map((e) => e.name ?? '');
  };

  it('reads a committed event at once: the clock stays where the event was received', async () => {
    await insert(store.db, 'Signed Up');
    await awaitLogHorizon(store.db, dialect);
    expect(await follow('test.all')).toEqual(['Signed Up']);
    expect(await follow('test.named', new Set(['Signed Up']))).toEqual(['Signed Up']);
    expect(await follow('test.all')).toEqual([]);
  });

  it('never reads past an event whose transaction is still open, however long it stays open; then reads it once, in order', async () => {
    await awaitLogHorizon(store.db, dialect);
    for (const consumer of ['test.all', 'test.named']) await follow(consumer, consumer === 'test.named' ? new Set(['A', 'B']) : undefined);
    // SQLite has one writer: transaction A on a second connection blocks every other write, so B is written on PostgreSQL only.
    const other = dialect === 'sqlite' ? openStore(store.url) : undefined;
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    let wroteA: () => void = () => {};
    const written = new Promise<void>((r) => (wroteA = r));
    const a = (other ?? store).db.transaction().execute(async (trx) => {
      await insert(trx, 'A');
      wroteA();
      await held;
    });
    try {
      await Promise.race([written, a]);
      clock.advance(1000);
      const later = dialect === 'postgres';
      if (later) await insert(store.db, 'B'); // received after A, committed before A
      // On SQLite a follower's transaction takes the write lock as it begins, so it would wait
      // for A to commit: what it would read meanwhile is shown by the same read outside one.
      const look = later ? follow : peek;
      expect(await look('test.all')).toEqual([]);
      expect(await look('test.named', new Set(['A', 'B']))).toEqual([]);
      // Far longer than the settle window readers used to trust (5 s): still nothing is taken past A.
      clock.advance(60_000);
      expect(await look('test.all')).toEqual([]);
      release();
      await a;
      await awaitLogHorizon(store.db, dialect);
      const expected = later ? ['A', 'B'] : ['A'];
      expect(await follow('test.all')).toEqual(expected);
      expect(await follow('test.named', new Set(['A', 'B']))).toEqual(expected);
      expect(await follow('test.all')).toEqual([]);
      expect(await follow('test.named', new Set(['A', 'B']))).toEqual([]);
    } finally {
      release();
      await a.catch(() => undefined);
      await other?.close();
    }
  });
});
