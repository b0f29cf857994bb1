import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../database.js';
import { createTestStore, testDialects, type TestStore } from '../testing.js';
import { JobQueue } from './queue.js';
import { Worker } from './worker.js';

describe.each(testDialects())('two workers on one %s database', (dialect) => {
  let store: TestStore | undefined;
  let second: Store | undefined;
  afterEach(async () => {
    await second?.close();
    await store?.destroy();
    store = second = undefined;
  });

  it('run each of 200 jobs exactly once and never the same job at the same time', async () => {
    store = await createTestStore(dialect);
    // PostgreSQL: two pools, as two server processes would have. SQLite: the product runs one
    // process with one connection, so both workers share it. Two better-sqlite3 connections in
    // one thread can deadlock: one waits out busy_timeout with the thread blocked, while the
    // other's open transaction needs that thread to commit.
    second = dialect === 'postgres' ? openStore(store.url) : undefined;
    const total = 200;
    const producer = new JobQueue(store);
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < total; i++) await producer.enqueue('work', { i }, {}, trx);
    });

    const runs = new Map<number, number>();
    const byWorker = new Map<string, number>();
    const inProgress = new Set<number>();
    let overlaps = 0;
    let done = 0;
    let allDone!: () => void;
    const finished = new Promise<void>((r) => (allDone = r));

    const workers = [store, second ?? store].map((s, n) =>
      new Worker(new JobQueue(s), { id: `w${n}`, concurrency: 4, pollIntervalMs: 5 }).register<{ i: number }>(
        'work',
        async (job, { workerId }) => {
          const i = job.payload.i;
          if (inProgress.has(i)) overlaps++;
          inProgress.add(i);
          runs.set(i, (runs.get(i) ?? 0) + 1);
          byWorker.set(workerId, (byWorker.get(workerId) ?? 0) + 1);
          // Yield so that the other worker's claims interleave with this run.
          await new Promise((r) => setTimeout(r, i % 3));
          inProgress.delete(i);
          if (++done === total) allDone();
        },
      ),
    );
    for (const w of workers) w.start();
    await finished;
    await Promise.all(workers.map((w) => w.stop()));

    expect(overlaps).toBe(0);
    expect(runs.size).toBe(total);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(byWorker.get('w0')).toBeGreaterThan(0);
    expect(byWorker.get('w1')).toBeGreaterThan(0);
    expect(await producer.counts()).toEqual({ queued: 0, running: 0, succeeded: total, failed: 0 });
  });
});
