import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue, Worker } from '../../src/store/jobs/index.js';
import { testDialects } from '../../src/store/testing.js';
import { createTestApp, errorCode, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';

describe.each(testDialects())('failed jobs are visible and retryable over HTTP on %s', (dialect) => {
  let t: TestApp;
  let a: string;
  let b: string;
  let ownerA: Session;
  let ownerB: Session;
  let jobId: string;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    a = (await seedWorkspace(t, 'Alpha', 'a@alpha.test')).workspaceId;
    b = (await seedWorkspace(t, 'Bravo', 'b@bravo.test')).workspaceId;
    ownerA = await loginAs(t.app, 'a@alpha.test');
    ownerB = await loginAs(t.app, 'b@bravo.test');
    const queue = new JobQueue(t.store);
    jobId = (await queue.enqueue('test.always-fails', { n: 1 }, { workspaceId: a, maxAttempts: 1 })).id;
    const worker = new Worker(queue, { pollIntervalMs: 5 });
    worker.register('test.always-fails', async () => {
      throw new Error('the webhook target answered 503');
    });
    worker.start();
    for (let i = 0; i < 400 && (await queue.get(jobId))?.status !== 'failed'; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
  });
  afterAll(() => t.close());

  it('lists the failure with its error, for its own workspace only', async () => {
    const res = await t.app.inject({ url: `/api/workspaces/${a}/jobs?status=failed`, headers: ownerA.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().jobs).toEqual([
      expect.objectContaining({ id: jobId, status: 'failed', attempts: 1, lastError: 'Error: the webhook target answered 503' }),
    ]);
    const other = await t.app.inject({ url: `/api/workspaces/${b}/jobs?status=failed`, headers: ownerB.headers });
    expect(other.json().jobs).toEqual([]);
  });

  it('retries it on request, and refuses another workspace’s job', async () => {
    const foreign = await t.app.inject({ method: 'POST', url: `/api/workspaces/${b}/jobs/${jobId}/retry`, headers: ownerB.headers });
    expect(foreign.statusCode).toBe(404);
    expect(errorCode(foreign)).toBe('JOB_NOT_FOUND');
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${a}/jobs/${jobId}/retry`, headers: ownerA.headers });
    expect(res.json()).toMatchObject({ retried: true, job: { status: 'queued', attempts: 0 } });
  });
});
