import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, systemClock, type Clock } from '../../platform/clock.js';
import { createTestStore, testDialects, type TestStore } from '../testing.js';
import { togetherOrAlone } from './batch.js';
import { registerFollower } from './follower.js';
import { JobQueue } from './queue.js';
import { Worker } from './worker.js';

const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe.each(testDialects())('worker lanes, batches and wake-ups on %s', (dialect) => {
  let store: TestStore | undefined;
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await store?.destroy();
    store = undefined;
  });

  async function setup(clock: Clock = new ManualClock(Date.UTC(2026, 11, 2, 9))) {
    store = await createTestStore(dialect);
    return { store, clock, queue: new JobQueue(store, { clock }) };
  }

  it('runs a batch queue’s due jobs in one handler call, and fails only the jobs the handler says failed', async () => {
    const { queue } = await setup();
    const calls: number[][] = [];
    worker = new Worker(queue, { backoff: { baseMs: 1000, maxMs: 1000, jitter: 0 } }).registerBatch<{ n: number }>(
      'notify',
      async (jobs) => {
        calls.push(jobs.map((j) => j.payload.n));
        return jobs.map((j) => (j.payload.n === 3 ? new Error('target refused 3') : undefined));
      },
      { maxBatch: 4 },
    );
    const ids = [];
    for (let n = 0; n < 6; n++) ids.push((await queue.enqueue('notify', { n })).id);
    expect(await worker.runOnce()).toBe(6);
    // Up to four at a time, each batch one slot: 4 + 2.
    expect(calls.map((c) => c.length).sort()).toEqual([2, 4]);
    const jobs = await Promise.all(ids.map((id) => queue.get(id)));
    expect(jobs.map((j) => j?.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'queued', 'succeeded', 'succeeded']);
    expect(jobs[3]?.lastError).toBe('Error: target refused 3');
    worker = undefined;
  });

  it('togetherOrAlone runs items one by one after the shared attempt fails, keeping the good ones', async () => {
    const done: number[] = [];
    const errors = await togetherOrAlone(
      [1, 2, 3],
      async () => {
        throw new Error('one bad item spoils the transaction');
      },
      async (n) => {
        if (n === 2) throw new Error('bad 2');
        done.push(n);
      },
    );
    expect(done).toEqual([1, 3]);
    expect(errors.map((e) => (e instanceof Error ? e.message : e))).toEqual([undefined, 'bad 2', undefined]);
  });

  it('gives a long-running queue a slot of its own: short jobs run while it runs', async () => {
    const { queue } = await setup(systemClock);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let shortRuns = 0;
    worker = new Worker(queue, { concurrency: 1, pollIntervalMs: 10_000 })
      .register('follow.log', async () => released, { longRunning: true })
      .register('short', async () => void shortRuns++);
    await queue.enqueue('follow.log', {});
    worker.start();
    await until(async () => (await queue.counts('follow.log')).running === 1);
    // Enqueued after start: the in-process wake-up, not the 10 s poll, gets these run.
    for (let i = 0; i < 3; i++) await queue.enqueue('short', { i });
    await until(() => shortRuns === 3, 3000);
    release();
    await until(async () => (await queue.counts('follow.log')).succeeded === 1);
  });

  it('wakes when the next job falls due, not at the next poll', async () => {
    const { queue } = await setup(systemClock);
    let ranAt = 0;
    worker = new Worker(queue, { pollIntervalMs: 30_000 }).register('deadline', async () => void (ranAt = Date.now()));
    worker.start();
    await new Promise((r) => setTimeout(r, 50));
    const due = Date.now() + 300;
    await queue.enqueue('deadline', {}, { runAt: due });
    // Well before the 30 s poll even on a loaded machine.
    await until(() => ranAt > 0, 15_000);
    expect(ranAt).toBeGreaterThanOrEqual(due);
  });

  it('a follower sleeping between passes is woken by a commit notice', async () => {
    const { store: s, queue } = await setup(systemClock);
    await s.db.insertInto('workspaces').values({ id: 'ws_1', name: 'Acme', created_at: 0 }).execute();
    const passes: number[] = [];
    worker = new Worker(queue);
    registerFollower(worker, { store: s, clock: systemClock, queue }, 'follow.events', async () => {
      passes.push(Date.now());
      return { more: false };
    }, { idleMs: 60_000, gatherMs: 0, runMs: 60_000 });
    await queue.enqueue('follow.events', {});
    worker.start();
    await until(() => passes.length >= 1);
    s.changes.notify('events');
    await until(() => passes.length >= 2, 2000);
  });
});
