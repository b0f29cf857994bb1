import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { createTestStore, testDialects, type TestStore } from '../testing.js';
import { claimJobs } from './claim.js';
import { JobQueue } from './queue.js';
import { completeJob } from './settle.js';
import { PermanentJobError, Worker } from './worker.js';

const NO_JITTER = { baseMs: 1000, maxMs: 60_000, jitter: 0 };

describe.each(testDialects())('job worker on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.destroy();
    store = undefined;
  });

  async function setup() {
    store = await createTestStore(dialect);
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 9));
    return { store, clock, queue: new JobQueue(store, { clock }) };
  }

  it('retries a failing job with exponential backoff, then fails it visibly and can retry it', async () => {
    const { clock, queue } = await setup();
    const t0 = clock.now();
    let failing = true;
    let runs = 0;
    const worker = new Worker(queue, { backoff: NO_JITTER }).register('crm.sync', async () => {
      runs++;
      if (failing) throw new Error(`crm unreachable (run ${runs})`);
    });
    const { id } = await queue.enqueue('crm.sync', { account: 'a1' }, { maxAttempts: 3 });

    expect(await worker.runOnce()).toBe(1);
    expect(await queue.get(id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      runAt: t0 + 1000,
      lastError: 'Error: crm unreachable (run 1)',
      lockedBy: null,
    });
    clock.advance(999);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(1);
    expect(await worker.runOnce()).toBe(1);
    expect(await queue.get(id)).toMatchObject({ status: 'queued', attempts: 2, runAt: t0 + 1000 + 2000 });
    clock.advance(1999);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(1);
    expect(await worker.runOnce()).toBe(1);

    const failed = await queue.get(id);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: 'Error: crm unreachable (run 3)',
      finishedAt: clock.now(),
    });
    expect((await queue.list({ status: 'failed' })).map((j) => j.id)).toEqual([id]);
    clock.advance(3_600_000);
    expect(await worker.runOnce()).toBe(0); // failed stays failed
    expect(runs).toBe(3);

    failing = false;
    const retry = await queue.retry(id);
    expect(retry.retried).toBe(true);
    expect(retry.job).toMatchObject({ status: 'queued', attempts: 0, runAt: clock.now() });
    expect(await worker.runOnce()).toBe(1);
    expect(await queue.get(id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect((await queue.retry(id)).retried).toBe(false);
    await expect(queue.retry('job_missing')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('spreads retries with seeded jitter inside the backoff window', async () => {
    const { clock, queue } = await setup();
    const worker = new Worker(queue, { backoff: { baseMs: 10_000, maxMs: 60_000, jitter: 0.5 }, concurrency: 20 });
    worker.register('flaky', async () => {
      throw new Error('nope');
    });
    for (let i = 0; i < 20; i++) await queue.enqueue('flaky', { i });
    expect(await worker.runOnce()).toBe(20);
    const runAts = (await queue.list({ queue: 'flaky' })).map((j) => j.runAt - clock.now());
    for (const delay of runAts) {
      expect(delay).toBeGreaterThanOrEqual(5_000);
      expect(delay).toBeLessThanOrEqual(10_000);
    }
    expect(new Set(runAts).size).toBeGreaterThan(10);
  });

  it('fails a job for good on PermanentJobError or an invalid payload', async () => {
    const { queue } = await setup();
    const worker = new Worker(queue)
      .register('bad', async () => {
        throw new PermanentJobError('customer deleted');
      })
      .register<{ n: number }>('typed', async () => {}, {
        parse: (p) => {
          if (typeof (p as { n?: unknown }).n !== 'number') throw new Error('n must be a number');
          return p as { n: number };
        },
      });
    const bad = await queue.enqueue('bad', {}, { maxAttempts: 5 });
    const typed = await queue.enqueue('typed', { n: 'x' }, { maxAttempts: 5 });
    expect(await worker.runOnce()).toBe(2);
    expect(await queue.get(bad.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'PermanentJobError: customer deleted' });
    expect(await queue.get(typed.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await queue.get(typed.id))?.lastError).toContain('n must be a number');
  });

  it('fails a job of an unknown queue visibly instead of crashing', async () => {
    const { queue } = await setup();
    const worker = new Worker(queue).register('known', async () => {});
    const unknown = await queue.enqueue('renamed.queue', { x: 1 });
    const known = await queue.enqueue('known', {});
    expect(await worker.runOnce()).toBe(2);
    expect(await queue.get(unknown.id)).toMatchObject({
      status: 'failed',
      lastError: 'PermanentJobError: no handler registered for queue "renamed.queue"',
    });
    expect((await queue.get(known.id))?.status).toBe('succeeded');
  });

  it('leaves the queues another worker of the process handles to it, neither claimed nor failed as unknown', async () => {
    const { queue } = await setup();
    const worker = new Worker(queue, { handledElsewhere: ['deliveries'] }).register('known', async () => {});
    const elsewhere = await queue.enqueue('deliveries', { x: 1 });
    const unknown = await queue.enqueue('renamed.queue', { x: 1 });
    expect(await worker.runOnce()).toBe(1);
    expect(await queue.get(elsewhere.id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect((await queue.get(unknown.id))?.status).toBe('failed');
    const other = new Worker(queue, { onlyRegisteredQueues: true }).register('deliveries', async () => {});
    expect(await other.runOnce()).toBe(1);
    expect((await queue.get(elsewhere.id))?.status).toBe('succeeded');
  });

  it('runs again a job whose worker died (lease expired), and ignores the dead worker’s late outcome', async () => {
    const { store, clock, queue } = await setup();
    const { id } = await queue.enqueue('score.refresh', { customer: 'c1' }, { maxAttempts: 3 });
    // A worker claims the job and dies (kill -9): no outcome, no heartbeat.
    const [dead] = await claimJobs(store, { workerId: 'dead-worker', limit: 10, leaseMs: 30_000, now: clock.now() });
    expect(dead).toMatchObject({ id, status: 'running', lockedBy: 'dead-worker', attempts: 1 });

    const runs: string[] = [];
    const worker = new Worker(queue, { id: 'live-worker', leaseMs: 30_000 }).register('score.refresh', async (job) => {
      runs.push(job.id);
    });
    expect(await worker.runOnce()).toBe(0); // the lease still holds
    clock.advance(29_999);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(1);
    expect(await worker.runOnce()).toBe(1);
    expect(runs).toEqual([id]);
    expect(await queue.get(id)).toMatchObject({ status: 'succeeded', attempts: 2, lockedBy: null });

    // The "dead" worker comes back and reports: its claim is fenced out.
    expect(await completeJob(store.db, dead!, clock.now())).toBe(false);
    expect((await queue.get(id))?.status).toBe('succeeded');
  });

  it('fails a job whose worker died on its final attempt', async () => {
    const { store, clock, queue } = await setup();
    const { id } = await queue.enqueue('import.file', {}, { maxAttempts: 1 });
    await claimJobs(store, { workerId: 'dead-worker', limit: 1, leaseMs: 10_000, now: clock.now() });
    const worker = new Worker(queue).register('import.file', async () => {});
    clock.advance(10_000);
    expect(await worker.runOnce()).toBe(0);
    const job = await queue.get(id);
    expect(job).toMatchObject({ status: 'failed', attempts: 1, lockedBy: null });
    expect(job?.lastError).toContain('lease expired');
  });

  it('stop() claims nothing more and waits for the jobs in flight', async () => {
    const { queue } = await setup();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const handlerStarted = new Promise<void>((r) => (started = r));
    let finished = false;
    let ran = '';
    const worker = new Worker(queue, { pollIntervalMs: 5, concurrency: 1 }).register('slow', async (job) => {
      ran = job.id;
      started();
      await released;
      finished = true;
    });
    const a = await queue.enqueue('slow', {});
    const b = await queue.enqueue('slow', {});
    worker.start();
    await handlerStarted;

    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
    expect((await queue.get(ran))?.status).toBe('succeeded');
    expect(worker.active).toBe(0);
    // With concurrency 1 the other job was never claimed: it is still queued for the next worker.
    const other = ran === a.id ? b.id : a.id;
    expect(await queue.get(other)).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
  });
});
