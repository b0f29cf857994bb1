/**
 * "Usage down by half week on week": the weekly job, run through the job queue with a manual
 * clock, compares each customer's events of the week that ended with the week before and
 * tracks `Usage Dropped` for those down by half or more (from at least 10 events); the
 * `usage-drop` template then opens one check-in task, however often the week is run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { consumeFollowups, registerFollowupJobs } from '../../src/modules/followup/index.js';
import { runUsageDrops, startUsageJobs, USAGE_QUEUE, USAGE_WEEK_QUEUE } from '../../src/modules/followup/usage/usage.job.js';
import { usageDrop, weekStartOf } from '../../src/modules/followup/usage/usage.drop.js';
import { activityByIdentifier } from '../../src/modules/ingest/index.js';
import { createKey, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon, JobQueue, Worker } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { createTestApp, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface Task {
  id: string;
  title: string;
  respondent: { kind: string; value: string };
}

describe('usage drop arithmetic', () => {
  it('names weeks by their Monday and wants half or more from an active week', () => {
    expect(new Date(weekStartOf(Date.UTC(2026, 5, 7, 23))).toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(new Date(weekStartOf(Date.UTC(2026, 5, 8))).toISOString()).toBe('2026-06-08T00:00:00.000Z');
    expect(usageDrop(20, 5)).toBe(75);
    expect(usageDrop(20, 10)).toBe(50);
    expect(usageDrop(20, 11)).toBeUndefined();
    expect(usageDrop(9, 0)).toBeUndefined();
  });
});

describe.each(testDialects())('usage down by half week on week on %s', (dialect) => {
  // Monday 8 June 2026 is the end of the week compared (PostgreSQL: a week later, ids grow per process).
  const weekEnd = Date.UTC(2026, 5, 8) + (dialect === 'postgres' ? 7 * DAY : 0);
  const clock = new ManualClock(weekEnd - 14 * DAY);
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let writeKey: string;
  let queue: JobQueue;
  let worker: Worker;

  const api = (path: string) => `/api/workspaces/${ws}${path}`;
  const batch = async (userId: string, n: number, from: number, to: number) => {
    const batch = Array.from({ length: n }, (_, i) => ({ type: 'track', userId, event: 'Report Viewed', messageId: `${userId}-${from}-${i}`, timestamp: new Date(from + Math.floor(((to - from) * i) / n)).toISOString() }));
    const res = await t.app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` }, payload: { batch } });
    expect(res.statusCode, res.body).toBe(200);
  };
  const runDue = async () => {
    let n = 0;
    for (let ran = await worker.runOnce(); ran > 0; ran = await worker.runOnce()) n += ran;
    return n;
  };
  const rules = async () => {
    await awaitLogHorizon(t.store.db, dialect);
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, ws);
    return consumeFollowups({ store: t.store, clock, queue }, ws);
  };
  const tasks = async () => {
    // The clock moved by weeks: a fresh session.
    owner = await loginAs(t.app, 'owner@alpha.test');
    const res = await t.app.inject({ url: api('/tasks?view=all'), headers: owner.headers });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { tasks: Task[] }).tasks;
  };

  beforeAll(async () => {
    t = await createTestApp({ dialect, clock });
    const a = await seedWorkspace(t, 'Alpha', 'owner@alpha.test');
    ws = a.workspaceId;
    owner = await loginAs(t.app, a.ownerEmail);
    writeKey = (await createKey({ store: t.store, clock }, { workspaceId: ws, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name: 'app' })).token;
    queue = new JobQueue(t.store, { clock });
    worker = new Worker(queue, { onlyRegisteredQueues: true });
    registerFollowupJobs(worker, queue, { store: t.store, clock });
    const enabled = await t.app.inject({ method: 'POST', url: api('/followups/templates/usage-drop/enable'), headers: owner.headers, payload: {} });
    expect(enabled.statusCode, enabled.body).toBe(201);
  });
  afterAll(() => t.close());

  it('opens a check-in task for a customer down from 20 events to 5, not for one at 15', async () => {
    const prior = weekEnd - 14 * DAY;
    const current = weekEnd - 7 * DAY;
    // The events arrive as they happen, a week at a time.
    clock.set(current - HOUR);
    await batch('u-drop', 20, prior, current - HOUR);
    await batch('u-steady', 20, prior, current - HOUR);
    await batch('u-quiet', 8, prior, current - HOUR);
    clock.set(weekEnd - HOUR);
    await batch('u-drop', 5, current, weekEnd - HOUR);
    await batch('u-steady', 15, current, weekEnd - HOUR);
    await batch('u-new', 30, current, weekEnd - HOUR);

    // The read the job uses: active users of the earlier week, then those users' current week.
    expect(await activityByIdentifier(t.store.db, ws, prior, current, { minCount: 10 })).toEqual([
      { userId: 'u-drop', count: 20 },
      { userId: 'u-steady', count: 20 },
    ]);
    expect(await activityByIdentifier(t.store.db, ws, current, weekEnd, { userIds: ['u-drop', 'u-steady', 'u-none'] })).toEqual([
      { userId: 'u-drop', count: 5 },
      { userId: 'u-steady', count: 15 },
    ]);

    // Nothing before the week is over; the weekly job runs an hour after Monday 00:00 UTC.
    // (The rule consumer's own job is not started: the test runs it step by step.)
    await startUsageJobs(queue, clock);
    await runDue();
    expect((await rules()).tasks).toEqual([]);
    clock.set(weekEnd + HOUR + 1);
    expect(await runDue()).toBeGreaterThanOrEqual(2);
    // One run per workspace and week: the week before (at start-up, nothing to compare) and this one.
    const runs = await queue.list({ queue: USAGE_QUEUE, status: 'succeeded' });
    expect(runs.map((j) => (j.payload as { weekEnd: string }).weekEnd).sort()).toEqual([new Date(weekEnd - 7 * DAY).toISOString().slice(0, 10), new Date(weekEnd).toISOString().slice(0, 10)]);
    const out = await rules();
    expect(out.tasks).toHaveLength(1);
    const list = await tasks();
    expect(list).toEqual([expect.objectContaining({ title: 'Check in with : usage down 75%', respondent: { kind: 'user_id', value: 'u-drop' } })]);
    // The next week's run is in the queue already.
    const next = await queue.list({ queue: USAGE_WEEK_QUEUE, status: 'queued' });
    expect(next.map((j) => j.runAt)).toEqual([weekEnd + 7 * DAY + HOUR]);
  });

  it('creates one task however often the week is run', async () => {
    const week = new Date(weekEnd).toISOString().slice(0, 10);
    await queue.enqueue(USAGE_QUEUE, { workspaceId: ws, weekEnd: week }, { workspaceId: ws });
    await runDue();
    // Even with the ledger gone, the event is not appended twice (ingest deduplicates its messageId).
    await t.store.db.deleteFrom('consumer_cursors').where('workspace_id', '=', ws).where('consumer', '=', 'followup.usage').execute();
    expect(await runUsageDrops({ store: t.store, clock }, ws, week)).toEqual({ ran: true, compared: 2, dropped: 0 });
    expect((await rules()).tasks).toEqual([]);
    expect(await tasks()).toHaveLength(1);
  });
});
