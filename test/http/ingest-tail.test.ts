/**
 * The live tail with several server processes on one database: each process makes event ids
 * from its own clock when its commit starts, so an event with a smaller id can commit after a
 * larger one was read. A client that follows GET /events/tail (passing back the cursor, and
 * dropping ids it has) must still see every event. Two apps on one database stand for two
 * processes.
 */
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, type Clock } from '../../src/platform/clock.js';
import { TAIL_SETTLE_MS } from '../../src/modules/ingest/index.js';
import { createKey, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { buildApp } from '../../src/server/app.js';
import { openStore, type DialectName, type Store } from '../../src/store/index.js';
import { pgAdminUrl, testDialects } from '../../src/store/testing.js';
import { basicAuth, createTestApp, loginAs, seedWorkspace, type Session } from '../support/app.js';


interface TailEvent {
  id: string;
  name: string | null;
  messageId: string;
}

/** Two apps ("processes") on one database, one workspace, a write key for each app's sender. */
async function twoProcesses(dialect: DialectName, clockA: Clock, clockB: Clock) {
  const a = await createTestApp({ dialect, clock: clockA });
  const storeB: Store = openStore(a.store.url);
  const b = await buildApp({ store: storeB, clock: clockB, config: { bodyLimitBytes: 1_048_576, publicUrl: undefined } });
  await b.ready();
  const { workspaceId, ownerEmail } = await seedWorkspace(a, 'Tail', 'owner@tail.test');
  const ctx = { workspaceId, callerRole: 'owner' as const, actor: SYSTEM_ACTOR };
  const keyA = await createKey({ store: a.store, clock: clockA }, ctx, { kind: 'write', name: 'sender A' });
  const keyB = await createKey({ store: a.store, clock: clockA }, ctx, { kind: 'write', name: 'sender B' });
  const owner = await loginAs(a.app, ownerEmail);
  return {
    a: a.app,
    b,
    store: a.store,
    ownerEmail,
    workspaceId,
    keyA,
    keyB,
    owner,
    close: async () => {
      await b.close();
      await storeB.close();
      await a.close();
    },
  };
}

const send = (app: FastifyInstance, key: string, events: { name: string; messageId: string }[]) =>
  app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { authorization: basicAuth(key), 'content-type': 'application/json' },
    payload: JSON.stringify({ batch: events.map((e) => ({ type: 'track', userId: 'u', event: e.name, messageId: e.messageId })) }),
  });

/** What the dashboard does: follow the cursor, keep each id once. */
class Follower {
  cursor: string | undefined;
  readonly seen = new Map<string, TailEvent>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly workspaceId: string,
    private readonly session: Session,
    private readonly limit = 100,
  ) {}

  async poll(): Promise<TailEvent[]> {
    const after = this.cursor ? `&after=${this.cursor}` : '';
    const res = await this.app.inject({ url: `/api/workspaces/${this.workspaceId}/events/tail?limit=${this.limit}${after}`, headers: this.session.headers });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { events: TailEvent[]; cursor: string };
    const ids = body.events.map((e) => e.id);
    expect([...ids].sort(), 'oldest first').toEqual(ids);
    if (this.cursor !== undefined) expect(body.cursor >= this.cursor, 'the cursor never moves back').toBe(true);
    this.cursor = body.cursor;
    for (const e of body.events) this.seen.set(e.id, e);
    return body.events;
  }

  names(): (string | null)[] {
    return [...this.seen.values()].sort((x, y) => (x.id < y.id ? -1 : 1)).map((e) => e.name);
  }
}

describe.each(testDialects())('live tail across processes on %s', (dialect) => {
  it('sees an event that commits after a newer one from another process was read', async () => {
    // Process B's clock runs a second ahead of A's: its ids sort after A's, whatever the commit order.
    const clockA = new ManualClock(Date.UTC(2026, 5, 1, 12));
    const clockB = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 1));
    const p = await twoProcesses(dialect, clockA, clockB);
    try {
      const follower = new Follower(p.b, p.workspaceId, p.owner);
      expect(await follower.poll()).toEqual([]);
      expect((await send(p.b, p.keyB.token, [{ name: 'from B', messageId: 'b-1' }])).statusCode).toBe(200);
      expect((await follower.poll()).map((e) => e.name)).toEqual(['from B']);
      // A commits now, with an id before B's.
      expect((await send(p.a, p.keyA.token, [{ name: 'from A', messageId: 'a-1' }])).statusCode).toBe(200);
      await follower.poll();
      expect(follower.names()).toEqual(['from A', 'from B']);
      // Once both are older than the settle window, the cursor passes them and they stop coming.
      clockB.advance(TAIL_SETTLE_MS + 1000);
      await follower.poll();
      expect(await follower.poll()).toEqual([]);
      expect(follower.seen.size).toBe(2);
    } finally {
      await p.close();
    }
  });

  it('pages through a burst larger than a page, without skipping or looping, as the window settles', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 2, 8));
    const p = await twoProcesses(dialect, clock, clock);
    try {
      const follower = new Follower(p.b, p.workspaceId, p.owner, 10);
      await follower.poll();
      const sent: string[] = [];
      for (let r = 0; r < 6; r++) {
        const events = Array.from({ length: 5 }, (_, i) => ({ name: `burst ${r}-${i}`, messageId: `burst-${r}-${i}` }));
        const app = r % 2 ? p.a : p.b;
        const key = r % 2 ? p.keyA.token : p.keyB.token;
        expect((await send(app, key, events)).statusCode).toBe(200);
        sent.push(...events.map((e) => e.name));
        clock.advance(100);
      }
      // 30 events inside the settle window, 10 per page: the same first page until time moves on.
      const first = await follower.poll();
      expect(first).toHaveLength(10);
      expect((await follower.poll()).map((e) => e.id)).toEqual(first.map((e) => e.id));
      for (let i = 0; i < 10 && follower.seen.size < sent.length; i++) {
        clock.advance(TAIL_SETTLE_MS);
        await follower.poll();
      }
      expect(follower.names()).toEqual(sent);
      clock.advance(TAIL_SETTLE_MS);
      for (let i = 0; i < 5; i++) await follower.poll();
      expect(await follower.poll()).toEqual([]);
      expect(follower.seen.size).toBe(sent.length);
    } finally {
      await p.close();
    }
  });
});

describe.skipIf(!pgAdminUrl())('live tail with commits interleaved on PostgreSQL', () => {
  let p: Awaited<ReturnType<typeof twoProcesses>>;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 5, 3, 9));
    p = await twoProcesses('postgres', clock, clock);
  });
  afterAll(() => p.close());

  it('does not skip an event whose commit was held up while a newer one committed and was read', async () => {
    const follower = new Follower(p.b, p.workspaceId, p.owner);
    expect((await send(p.a, p.keyA.token, [{ name: 'warm-up', messageId: 'w-1' }])).statusCode).toBe(200);
    await follower.poll();
    expect(follower.names()).toEqual(['warm-up']);

    // Hold process A's next commit open: its transaction will wait for sender A's row of
    // event_sources, which this connection locks (after A has made its event's id).
    const blocker = new pg.Client({ connectionString: p.store.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select 1 from event_sources where workspace_id = $1 and source = $2 for update', [p.workspaceId, p.keyA.key.id]);
      clock.advance(1000);
      const slow = send(p.a, p.keyA.token, [{ name: 'slow', messageId: 's-1' }]);
      await waitFor(async () => {
        const { rows } = await blocker.query<{ n: number }>(
          `select count(*)::int as n from pg_locks l join pg_stat_activity s on s.pid = l.pid
           where not l.granted and s.datname = current_database()`,
        );
        return (rows[0]?.n ?? 0) > 0;
      });
      clock.advance(10);
      expect((await send(p.b, p.keyB.token, [{ name: 'fast', messageId: 'f-1' }])).statusCode).toBe(200);
      await follower.poll();
      expect(follower.names()).toEqual(['warm-up', 'fast']);

      await blocker.query('commit');
      expect((await slow).statusCode).toBe(200);
      const ids = await p.store.db.selectFrom('events').select(['id', 'name']).orderBy('id').execute();
      expect(ids.map((r) => r.name), '"slow" has the smaller id but committed last').toEqual(['warm-up', 'slow', 'fast']);

      await follower.poll();
      expect(follower.names()).toEqual(['warm-up', 'slow', 'fast']);
    } finally {
      await blocker.end();
    }
  });

  it('a follower polling while two processes write concurrently ends up with every event exactly once', async () => {
    // Commits race for real. Each process makes its ids from a random start within a
    // millisecond, so ids of the two processes interleave in every order.
    const follower = new Follower(p.b, p.workspaceId, p.owner, 50);
    await follower.poll();
    const before = follower.seen.size;
    let writing = true;
    const writer = async (app: FastifyInstance, key: string, tag: string) => {
      for (let r = 0; r < 25; r++) {
        const events = Array.from({ length: 20 }, (_, i) => ({ name: `${tag} ${r}-${i}`, messageId: `${tag}-${r}-${i}` }));
        expect((await send(app, key, events)).statusCode).toBe(200);
        clock.advance(1);
      }
    };
    const polling = (async () => {
      while (writing) await follower.poll();
    })();
    await Promise.all([writer(p.a, p.keyA.token, 'A1'), writer(p.a, p.keyA.token, 'A2'), writer(p.b, p.keyB.token, 'B1'), writer(p.b, p.keyB.token, 'B2')]);
    writing = false;
    await polling;
    // Everything is committed; once it is older than the settle window, the cursor pages through it.
    clock.advance(TAIL_SETTLE_MS + 1000);
    const stored = (await p.store.db.selectFrom('events').select('id').where('workspace_id', '=', p.workspaceId).execute()).map((r) => r.id);
    for (let i = 0; i < 100 && follower.seen.size < stored.length; i++) await follower.poll();
    expect(follower.seen.size - before).toBe(4 * 25 * 20);
    expect([...follower.seen.keys()].sort()).toEqual([...stored].sort());
    expect(await follower.poll()).toEqual([]);
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 10));
}
