import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { createTestStore, sqlitePlan, testDialects, type TestStore } from '../testing.js';
import { claimCandidates, claimJobs } from './claim.js';
import { JobQueue } from './queue.js';
import { completeStatement } from './settle.js';

describe.each(testDialects())('claims on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.destroy();
    store = undefined;
  });

  it('takes the oldest due jobs of the named queues, across queues, and none of the others', async () => {
    store = await createTestStore(dialect);
    const clock = new ManualClock(Date.UTC(2026, 11, 2, 9));
    const queue = new JobQueue(store, { clock });
    const t = clock.now();
    const a2 = await queue.enqueue('a', {}, { runAt: t - 2000 });
    const b3 = await queue.enqueue('b', {}, { runAt: t - 3000 });
    await queue.enqueue('a', {}, { runAt: t + 60_000 }); // not due
    await queue.enqueue('other', {}, { runAt: t - 9000 }); // not named
    const b1 = await queue.enqueue('b', {}, { runAt: t - 1000 });
    const claimed = await claimJobs(store, { workerId: 'w', limit: 2, leaseMs: 1000, now: t, queues: ['a', 'b'] });
    expect(claimed.map((j) => j.id)).toEqual([b3.id, a2.id]);
    const rest = await claimJobs(store, { workerId: 'w', limit: 5, leaseMs: 1000, now: t, queues: ['a', 'b'] });
    expect(rest.map((j) => j.id)).toEqual([b1.id]);
  });

  it.runIf(dialect === 'sqlite')('reads its own queues’ range of the index, not every due job of the table', async () => {
    store = await createTestStore(dialect);
    const plan = (queues: string[]) => sqlitePlan(store!.db, claimCandidates(store!.db, { limit: 10, now: 1, queues }));
    expect(await plan(['followup.deadline'])).toContain('jobs_queue_due_idx (queue=? AND status=? AND run_at<?)');
    expect(await plan(['customers.train-model', 'insight.refresh', 'platform.maintenance'])).toContain('jobs_queue_due_idx (queue=? AND status=? AND run_at<?)');
  });

  it.runIf(dialect === 'sqlite')('settles a batch by primary key, not by walking every running job', async () => {
    store = await createTestStore(dialect);
    const claims = [
      { id: 'job_a', lockedBy: 'w', attempts: 1 },
      { id: 'job_b', lockedBy: 'w', attempts: 2 },
    ];
    const plan = await sqlitePlan(store.db, completeStatement(store.db, claims, 1));
    expect(plan).toMatch(/SEARCH jobs USING (COVERING )?INDEX sqlite_autoindex_jobs_1 \(id=\?\)/);
    expect(plan).not.toContain('jobs_due_idx');
  });
});
