/**
 * The event store's housekeeping: monthly partitions of `events` on PostgreSQL (migration
 * 0008 and the hourly maintenance), and pruning the dedupe window on every dialect.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { DEDUPE_WINDOW_MS, PARTITION_MONTHS_AHEAD } from '../../src/modules/ingest/index.js';
import { createKey, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { runMaintenance } from '../../src/server/maintenance.js';
import { JobQueue, migrateToLatest, openStore, type Store } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations/index.js';
import { createTestDatabase, pgAdminUrl, testDialects } from '../../src/store/testing.js';
import { basicAuth, createTestApp, loginAs, seedWorkspace, type TestApp } from '../support/app.js';

const DAY = 86_400_000;

/** Where each stored event is, by messageId: the partition's name on PostgreSQL. */
async function partitionOf(store: Store): Promise<Record<string, string>> {
  const { rows } = await sql<{ part: string; message_id: string }>`select tableoid::regclass::text as part, message_id from events`.execute(store.db);
  return Object.fromEntries(rows.map((r) => [r.message_id, r.part]));
}

async function partitions(store: Store): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'events'::regclass order by 1`.execute(store.db);
  return rows.map((r) => r.name);
}

describe.each(testDialects())('event store maintenance on %s', (dialect) => {
  let t: TestApp;
  let clock: ManualClock;
  let ws: string;
  let writeKey: string;

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2031, 4, 10, 12));
    t = await createTestApp({ dialect, clock });
    const seeded = await seedWorkspace(t, 'Alpha', 'owner@alpha.test');
    ws = seeded.workspaceId;
    writeKey = (await createKey({ store: t.store, clock }, { workspaceId: ws, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name: 'web' })).token;
  });
  afterAll(() => t.close());

  const send = (messageId: string, event = 'Viewed') =>
    t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: basicAuth(writeKey), 'content-type': 'application/json' },
      payload: JSON.stringify({ userId: 'u', event, messageId }),
    });
  const maintain = () => runMaintenance(new JobQueue(t.store, { clock }), t.store, clock);
  const storedCopies = async (messageId: string) =>
    (await t.store.db.selectFrom('events').select('id').where('workspace_id', '=', ws).where('message_id', '=', messageId).execute()).length;

  it('forgets messageIds after the dedupe window: a retry within it is a duplicate, one after it is stored again', async () => {
    clock.set(Date.UTC(2031, 4, 10, 12));
    expect((await send('old-1')).json()).toMatchObject({ accepted: 1 });
    clock.advance(DEDUPE_WINDOW_MS - DAY);
    expect((await send('recent-1')).json()).toMatchObject({ accepted: 1 });
    expect((await send('old-1')).json(), 'within the window').toMatchObject({ accepted: 0, duplicates: 1 });

    clock.advance(2 * DAY);
    const report = await maintain();
    expect(report.dedupePruned).toBe(1);
    const claims = await t.store.db.selectFrom('event_dedupe').select('message_id').where('workspace_id', '=', ws).orderBy('message_id').execute();
    expect(claims.map((c) => c.message_id)).toEqual(['recent-1']);
    expect((await send('recent-1')).json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await send('old-1')).json(), 'past the window').toMatchObject({ accepted: 1 });
    expect(await storedCopies('old-1')).toBe(2);
    expect((await maintain()).dedupePruned, 'nothing more to prune').toBe(0);
  });

  it.runIf(dialect === 'postgres')('creates this month’s and the next months’ partitions, once, even with several processes at it', async () => {
    clock.set(Date.UTC(2033, 10, 20));
    const second = openStore(t.store.url);
    try {
      const [one, two] = await Promise.all([
        runMaintenance(new JobQueue(t.store, { clock }), t.store, clock),
        runMaintenance(new JobQueue(second, { clock }), second, clock),
      ]);
      const wanted = ['events_y2033m11', 'events_y2033m12', 'events_y2034m01', 'events_y2034m02'];
      expect(wanted).toHaveLength(PARTITION_MONTHS_AHEAD + 1);
      expect([...one.partitions.created, ...two.partitions.created].sort()).toEqual(wanted);
      expect(await partitions(t.store)).toEqual(expect.arrayContaining([...wanted, 'events_default']));
      expect((await maintain()).partitions.created, 'a second run creates nothing').toEqual([]);
    } finally {
      await second.close();
    }
    expect((await send('nov-1')).statusCode).toBe(200);
    clock.set(Date.UTC(2034, 1, 28, 23, 59, 59, 999));
    expect((await send('feb-1')).statusCode).toBe(200);
    const where = await partitionOf(t.store);
    expect(where['nov-1']).toBe('events_y2033m11');
    expect(where['feb-1']).toBe('events_y2034m02');
  });

  it.runIf(dialect === 'postgres')('puts an event received in a month without a partition in the default one, and moves it when the month is made', async () => {
    clock.set(Date.UTC(1999, 11, 31, 23));
    expect((await send('y2k-1', 'Party')).statusCode).toBe(200);
    clock.set(Date.UTC(2040, 0, 5));
    expect((await send('late-1')).statusCode).toBe(200);
    expect((await send('late-2')).statusCode).toBe(200);
    let where = await partitionOf(t.store);
    expect([where['y2k-1'], where['late-1'], where['late-2']]).toEqual(['events_default', 'events_default', 'events_default']);

    const report = await maintain();
    expect(report.partitions.created).toEqual(['events_y2040m01', 'events_y2040m02', 'events_y2040m03', 'events_y2040m04']);
    expect(report.partitions.moved).toBe(2);
    where = await partitionOf(t.store);
    expect([where['y2k-1'], where['late-1'], where['late-2']]).toEqual(['events_default', 'events_y2040m01', 'events_y2040m01']);
    // Still one copy each, still listed, still deduplicated.
    expect(await storedCopies('late-1')).toBe(1);
    const session = await loginAs(t.app, 'owner@alpha.test');
    const listed = (await t.app.inject({ url: `/api/workspaces/${ws}/events?limit=500`, headers: session.headers })).json().events as { messageId: string }[];
    expect(listed.filter((e) => e.messageId === 'late-1')).toHaveLength(1);
    expect((await send('late-1')).json()).toMatchObject({ duplicates: 1 });
  });
});

describe.skipIf(!pgAdminUrl())('migration 0008 on PostgreSQL', () => {
  it('moves existing events into monthly partitions, keyed by (workspace_id, id, received_at)', async () => {
    const database = await createTestDatabase('postgres');
    const store = openStore(database.url);
    try {
      const upTo0007 = migrations.slice(0, migrations.findIndex((m) => m.name === '0008_event_partitions'));
      await migrateToLatest(store, upTo0007);
      await store.db.insertInto('workspaces').values({ id: 'ws_a', name: 'A', created_at: 0 }).execute();
      const at = [Date.UTC(2025, 0, 31, 23, 59), Date.UTC(2025, 1, 1), Date.UTC(2025, 1, 14), Date.UTC(2025, 5, 1)];
      await store.db
        .insertInto('events')
        .values(
          at.map((ms, i) => ({
            workspace_id: 'ws_a',
            id: `evt_${i}`,
            message_id: `m-${i}`,
            type: 'track',
            name: 'Old',
            source: 'key_x',
            context: '{}',
            integrations: '{}',
            timestamp: ms,
            received_at: ms,
          })),
        )
        .execute();

      expect((await migrateToLatest(store)).applied).toEqual(migrations.slice(upTo0007.length).map((m) => m.name));

      const { rows: kind } = await sql<{ relkind: string }>`select relkind from pg_class where oid = 'events'::regclass`.execute(store.db);
      expect(kind[0]?.relkind).toBe('p');
      const { rows: key } = await sql<{ columns: string }>`
        select string_agg(a.attname, ',' order by k.ord) as columns
        from pg_constraint c cross join unnest(c.conkey) with ordinality as k(attnum, ord)
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
        where c.conrelid = 'events'::regclass and c.contype = 'p'`.execute(store.db);
      expect(key[0]?.columns).toBe('workspace_id,id,received_at');

      const where = await partitionOf(store);
      expect(where).toEqual({ 'm-0': 'events_y2025m01', 'm-1': 'events_y2025m02', 'm-2': 'events_y2025m02', 'm-3': 'events_y2025m06' });
      const now = new Date();
      const thisMonth = `events_y${now.getUTCFullYear()}m${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
      expect(await partitions(store)).toEqual(expect.arrayContaining(['events_default', thisMonth]));
      // The old table is gone, and deleting a workspace still reaches its events.
      const { rows: old } = await sql<{ t: string | null }>`select to_regclass('events_unpartitioned')::text as t`.execute(store.db);
      expect(old[0]?.t).toBeNull();
      await store.db.deleteFrom('workspaces').where('id', '=', 'ws_a').execute();
      expect(await partitionOf(store)).toEqual({});
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
