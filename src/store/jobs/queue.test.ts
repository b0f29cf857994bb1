import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { openStore, type Store } from '../database.js';
import { migrateToLatest } from '../migrate.js';
import { createTestDatabase, createTestStore, testDialects, type TestDatabase, type TestStore } from '../testing.js';
import { JobQueue } from './queue.js';
import { Worker } from './worker.js';

describe.each(testDialects())('job queue on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.destroy();
    store = undefined;
  });

  it('stores a job with its payload, time and options', async () => {
    store = await createTestStore(dialect);
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 9));
    const queue = new JobQueue(store, { clock });
    const { id, created } = await queue.enqueue(
      'digest.send',
      { userId: 'usr_1', tags: ['a', 'b'], n: 3 },
      { runAt: clock.now() + 60_000, workspaceId: 'ws_1', maxAttempts: 2 },
    );
    expect(created).toBe(true);
    expect(id).toMatch(/^job_/);
    expect(await queue.get(id)).toMatchObject({
      id,
      queue: 'digest.send',
      workspaceId: 'ws_1',
      payload: { userId: 'usr_1', tags: ['a', 'b'], n: 3 },
      status: 'queued',
      runAt: clock.now() + 60_000,
      attempts: 0,
      maxAttempts: 2,
      createdAt: clock.now(),
      lastError: null,
    });
  });

  it('keeps one unfinished job per (queue, uniqueKey), and allows the key again once it finished', async () => {
    store = await createTestStore(dialect);
    const clock = new ManualClock();
    const queue = new JobQueue(store, { clock });
    const first = await queue.enqueue('sla.check', { n: 1 }, { uniqueKey: 'ticket-7' });
    const second = await queue.enqueue('sla.check', { n: 2 }, { uniqueKey: 'ticket-7' });
    expect(second).toEqual({ id: first.id, created: false });
    // Same key on another queue is another job.
    const other = await queue.enqueue('digest.send', {}, { uniqueKey: 'ticket-7' });
    expect(other.created).toBe(true);
    expect(await queue.counts('sla.check')).toMatchObject({ queued: 1 });
    expect((await queue.get(first.id))?.payload).toEqual({ n: 1 });

    const worker = new Worker(queue, { onlyRegisteredQueues: true }).register('sla.check', async () => {});
    expect(await worker.runOnce()).toBe(1);
    const third = await queue.enqueue('sla.check', { n: 3 }, { uniqueKey: 'ticket-7' });
    expect(third.created).toBe(true);
    expect(third.id).not.toBe(first.id);
  });

  it('dedupes concurrent enqueues of one uniqueKey from two connections', async () => {
    store = await createTestStore(dialect);
    const otherStore = openStore(store.url);
    try {
      const a = new JobQueue(store);
      const b = new JobQueue(otherStore);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).enqueue('refresh', { i }, { uniqueKey: 'model-1' })),
      );
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect((await a.list()).length).toBe(1);
    } finally {
      await otherStore.close();
    }
  });

  it('enqueues in the caller’s transaction: a rollback leaves no job, a commit keeps it', async () => {
    store = await createTestStore(dialect);
    const queue = new JobQueue(store);
    const s = store;
    await expect(
      s.db.transaction().execute(async (trx) => {
        await trx.insertInto('workspaces').values({ id: 'ws_x', name: 'X', created_at: 1 }).execute();
        await queue.enqueue('welcome', { ws: 'ws_x' }, { uniqueKey: 'ws_x' }, trx);
        await queue.enqueue('audit', { ws: 'ws_x' }, {}, trx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await queue.list()).toEqual([]);
    expect(await s.db.selectFrom('workspaces').selectAll().execute()).toEqual([]);

    const id = await s.db.transaction().execute(async (trx) => {
      await trx.insertInto('workspaces').values({ id: 'ws_y', name: 'Y', created_at: 1 }).execute();
      return (await queue.enqueue('welcome', { ws: 'ws_y' }, { uniqueKey: 'ws_y' }, trx)).id;
    });
    expect((await queue.list()).map((j) => j.id)).toEqual([id]);
  });

  it('lists jobs by status and queue, newest first, with a cursor', async () => {
    store = await createTestStore(dialect);
    const clock = new ManualClock();
    const queue = new JobQueue(store, { clock });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      ids.push((await queue.enqueue(i % 2 ? 'b' : 'a', { i })).id);
    }
    expect((await queue.list({ queue: 'a' })).map((j) => j.payload)).toEqual([{ i: 4 }, { i: 2 }, { i: 0 }]);
    const page = await queue.list({ limit: 2 });
    expect(page.map((j) => j.id)).toEqual([ids[4], ids[3]]);
    expect((await queue.list({ limit: 2, before: ids[3] })).map((j) => j.id)).toEqual([ids[2], ids[1]]);
    expect(await queue.list({ status: 'failed' })).toEqual([]);
    expect(await queue.counts()).toEqual({ queued: 5, running: 0, succeeded: 0, failed: 0 });
  });
});

describe.each(testDialects())('job queue across a restart on %s', (dialect) => {
  let database: TestDatabase | undefined;
  const open: Store[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    if (database) await database.drop();
    database = undefined;
  });

  it('runs a job scheduled before the store was closed and reopened', async () => {
    database = await createTestDatabase(dialect);
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 9));
    const before = openStore(database.url);
    open.push(before);
    await migrateToLatest(before);
    const { id } = await new JobQueue(before, { clock }).enqueue(
      'survey.send',
      { surveyId: 'srv_1' },
      { runAt: clock.now() + 3_600_000 },
    );
    await before.close();
    open.pop();

    const after = openStore(database.url);
    open.push(after);
    await migrateToLatest(after);
    const queue = new JobQueue(after, { clock });
    const seen: unknown[] = [];
    const worker = new Worker(queue).register('survey.send', async (job) => {
      seen.push(job.payload);
    });
    expect(await worker.runOnce()).toBe(0); // not due yet
    clock.advance(3_600_000);
    expect(await worker.runOnce()).toBe(1);
    expect(seen).toEqual([{ surveyId: 'srv_1' }]);
    expect(await queue.get(id)).toMatchObject({ status: 'succeeded', attempts: 1, finishedAt: clock.now() });
  });
});
