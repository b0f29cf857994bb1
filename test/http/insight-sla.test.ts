/**
 * The SLA rollup behind the home dashboard: at every step of a day of follow-up tasks (made by
 * hand, contacted before and after their deadline, breached by the deadline jobs, paused and
 * resumed, resolved, one without a policy), the home page's `sla` equals follow-up's own
 * `slaReport` and `firstContactSpeed` for the same range: counts exactly, times within the
 * histogram's 1 %. The rollup is kept by the follower from the outbox; replaying the same facts
 * changes nothing; a rebuild from scratch gives the same rows.
 *
 * Leads: first contact within 30 min, the clock paused while waiting. All tasks start at T
 * (Tuesday 09:00 UTC) unless said; P starts the day before (the previous period).
 *
 *   A  contacted +3m                                        met
 *   B  contacted +45m, before the deadline job ran          missed (late contact)
 *   C  breached by the job at +31m, contacted +2h           missed
 *   D  breached by the job at +31m, never contacted         missed
 *   E  waits at +5m and stays paused                        pending
 *   F  waits +5m…+15m (due → +40m), contacted +35m          met
 *   G  no policy (kind note), contacted +90m                no target (counted in the times)
 *   H  starts +20m; due +50m passes before the job runs     missed by the read's now, then by the job
 *   I  resolved at +10m (a contact)                         met
 *   P  the day before, contacted +10m                       met (previous period)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskByHand, firstContactSpeed, registerDeadlines, slaReport, type FollowupDeps } from '../../src/modules/followup/index.js';
import { contactTask, lockTask, resolveTask, resumeTask, waitTask, type TaskContext } from '../../src/modules/followup/tasks/task.service.js';
import { getTask, type TaskRow } from '../../src/modules/followup/tasks/task.store.js';
import { consumeRollups, rebuildRollups } from '../../src/modules/insight/index.js';
import { SLA_CURSOR } from '../../src/modules/insight/metrics/rollup.consumer.js';
import { decode, RELATIVE_ERROR } from '../../src/modules/insight/metrics/sla.histogram.js';
import { ManualClock } from '../../src/platform/clock.js';
import { appendFacts, awaitLogHorizon, JobQueue, Worker, writeCursor, type Fact } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { createTestApp, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Sla {
  tasks: number;
  met: number;
  missed: number;
  n: number;
  pending: number;
  metPct: number | null;
  contacted: number;
  medianFirstContactMs: number | null;
  p90FirstContactMs: number | null;
}
interface Home {
  sla: { current: Sla; previous: Sla; trend: { start: string; tasks: number; n: number; met: number; metPct: number | null; medianFirstContactMs: number | null }[] };
}

describe.each(testDialects())('the SLA rollup on %s', (dialect) => {
  // Ids grow within a process: the PostgreSQL run lives after the SQLite run's clock.
  const T = Date.UTC(2026, 10, 17, 9) + (dialect === 'postgres' ? 28 * DAY : 0);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const clock = new ManualClock(T - DAY);
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let queue: JobQueue;
  const ids = new Map<string, string>();
  const deps = () => ({ store: t.store, clock }) as unknown as FollowupDeps;

  const at = (offset: number) => clock.set(T + offset);
  /** Wait until what was written is below the transaction horizon (PostgreSQL), and run the rollup follower as its job would. */
  const follow = async () => {
    await awaitLogHorizon(t.store.db, dialect);
    await consumeRollups({ store: t.store, clock }, ws);
  };
  const create = async (label: string, kind = 'lead') => {
    const out = await t.store.db.transaction().execute(async (trx) => {
      const made = await createTaskByHand({ db: trx, queue, now: clock.now() }, { workspaceId: ws, origin: 'test', key: label, actor: 'user:test', title: label, note: '', priority: 'normal', slaKind: kind, respondent: { kind: 'user_id', value: label }, customerId: null, traits: {} });
      await appendFacts(trx, ws, made.facts, clock.now());
      return made;
    });
    ids.set(label, out.taskId);
  };
  const change = async (label: string, fn: (ctx: TaskContext, row: TaskRow) => Promise<{ facts: Fact[] }>) => {
    await t.store.db.transaction().execute(async (trx) => {
      const id = ids.get(label) as string;
      await lockTask(trx, dialect, ws, id);
      const out = await fn({ db: trx, queue, now: clock.now() }, await getTask(trx, ws, id));
      await appendFacts(trx, ws, out.facts, clock.now());
    });
  };
  const contact = (label: string) => change(label, (ctx, row) => contactTask(ctx, row, 'user:test', ctx.now));
  const runDue = async () => {
    const w = new Worker(queue, { onlyRegisteredQueues: true, concurrency: 4 });
    registerDeadlines(w, queue, { store: t.store, clock });
    for (let ran = await w.runOnce(); ran > 0; ran = await w.runOnce());
  };
  const home = async (from: number, to: number): Promise<Home> => {
    const res = await t.app.inject({ url: `/api/workspaces/${ws}/insight/home?from=${day(from)}&to=${day(to)}`, headers: owner.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Home;
  };
  /** Follow-up's own figures for the tasks started in [from, to). */
  const reports = async (from: number, to: number) => {
    const [sla, speed] = await Promise.all([slaReport(deps(), ws, { from: new Date(from).toISOString(), to: new Date(to).toISOString() }), firstContactSpeed(deps(), ws, { from, to })]);
    const f = sla.overall.firstContact;
    return { tasks: sla.overall.tasks, met: f.met, missed: f.missed, n: f.n, pending: f.pending, metPct: f.metPct, contacted: speed.n, medianFirstContactMs: speed.medianMs, p90FirstContactMs: speed.p90Ms };
  };
  const close = (got: number | null, want: number | null) => {
    if (want === null || got === null) return expect(got).toBe(want);
    expect(Math.abs(got - want)).toBeLessThanOrEqual(want * RELATIVE_ERROR + 1);
  };
  /** The home page's SLA of today and yesterday equals the reports, with the follower caught up. */
  const agrees = async () => {
    await follow();
    const today = Math.floor(T / DAY) * DAY;
    const h = await home(today, today);
    for (const [got, range] of [
      [h.sla.current, [today, today + DAY]],
      [h.sla.previous, [today - DAY, today]],
    ] as const) {
      const want = await reports(range[0], range[1]);
      const { medianFirstContactMs, p90FirstContactMs, ...counts } = got;
      expect(counts).toEqual({ tasks: want.tasks, met: want.met, missed: want.missed, n: want.n, pending: want.pending, metPct: want.metPct, contacted: want.contacted });
      close(medianFirstContactMs, want.medianFirstContactMs);
      close(p90FirstContactMs, want.p90FirstContactMs);
    }
    return h.sla;
  };
  const rollupRows = async () => {
    const days = await t.store.db.selectFrom('insight_sla_days').selectAll().where('workspace_id', '=', ws).orderBy('day').execute();
    const tasks = await t.store.db.selectFrom('insight_sla_tasks').select(['task_id', 'day', 'policy_id', 'team_id', 'first', 'paused', 'open_due_at', 'contact_ms']).where('workspace_id', '=', ws).orderBy('task_id').execute();
    return {
      days: days.map((d) => ({ ...d, tasks: Number(d.tasks), met: Number(d.met), missed: Number(d.missed), open: Number(d.open), no_target: Number(d.no_target), contacted: Number(d.contacted), day: Number(d.day), contact_hist: [...decode(d.contact_hist)].sort((a, b) => a[0] - b[0]) })),
      tasks: tasks.map((r) => ({ ...r, day: Number(r.day), paused: Number(r.paused), open_due_at: r.open_due_at === null ? null : Number(r.open_due_at), contact_ms: r.contact_ms === null ? null : Number(r.contact_ms) })),
    };
  };

  beforeAll(async () => {
    t = await createTestApp({ dialect, clock });
    queue = new JobQueue(t.store, { clock });
    const a = await seedWorkspace(t, 'Alpha', 'owner@sla.test');
    ws = a.workspaceId;
    owner = await loginAs(t.app, a.ownerEmail);
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/followups/policies`, headers: owner.headers, payload: { name: 'Leads', triggerKind: 'lead', firstContactMinutes: 30, pauseWhenWaiting: true } });
    expect(res.statusCode, res.body).toBeLessThan(300);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('equals follow-up’s reports at every step: created, contacted in time and late, breached, paused, resumed, resolved, no policy', async () => {
    clock.set(T - DAY);
    await create('P');
    clock.set(T - DAY + 10 * MINUTE);
    await contact('P');
    at(0);
    for (const l of ['A', 'B', 'C', 'D', 'E', 'F', 'I']) await create(l);
    await create('G', 'note');
    expect(await agrees()).toMatchObject({ current: { tasks: 8, pending: 7, n: 0, metPct: null }, previous: { tasks: 1, met: 1, n: 1 } });
    at(3 * MINUTE);
    await contact('A');
    at(5 * MINUTE);
    await change('E', (ctx, row) => waitTask(ctx, row, 'user:test'));
    await change('F', (ctx, row) => waitTask(ctx, row, 'user:test'));
    at(10 * MINUTE);
    await change('I', (ctx, row) => resolveTask(ctx, row, 'user:test'));
    at(15 * MINUTE);
    await change('F', (ctx, row) => resumeTask(ctx, row, 'user:test'));
    at(20 * MINUTE);
    await create('H');
    expect(await agrees()).toMatchObject({ current: { tasks: 9, met: 2, missed: 0, pending: 6 } });
    at(31 * MINUTE);
    // Past the deadline of B, C and D, before their deadline jobs ran: missed by the read's now.
    expect(await agrees()).toMatchObject({ current: { met: 2, missed: 3, pending: 3 } });
    await runDue();
    expect(await agrees()).toMatchObject({ current: { met: 2, missed: 3, pending: 3 } });
    at(35 * MINUTE);
    await contact('F');
    at(45 * MINUTE);
    await contact('B');
    at(51 * MINUTE);
    // H's deadline (+50m) has passed; its job has not run.
    expect(await agrees()).toMatchObject({ current: { met: 3, missed: 4, pending: 1 } });
    await runDue();
    at(90 * MINUTE);
    await contact('G');
    at(2 * HOUR);
    await contact('C');
    const sla = await agrees();
    // E stays paused: pending, however late.
    expect(sla.current).toMatchObject({ tasks: 9, met: 3, missed: 4, n: 7, pending: 1, contacted: 6 });
    expect(sla.current.metPct).toBeCloseTo((100 * 3) / 7, 10);
    // The weekly trend: the week from Monday holds both days.
    expect(sla.trend).toHaveLength(1);
    expect(sla.trend[0]).toMatchObject({ start: new Date(Math.floor(T / DAY) * DAY - DAY).toISOString(), tasks: 10, met: 4, n: 8, metPct: 50 });
  });

  it('reading the same facts again changes nothing', async () => {
    const before = await rollupRows();
    expect(before.tasks).toHaveLength(10);
    await t.store.db.transaction().execute((trx) => writeCursor(trx, ws, SLA_CURSOR, '', clock.now()));
    await follow();
    expect(await rollupRows()).toEqual(before);
  });

  it('a rebuild from scratch gives the rows the follower built; a task gone is taken out', async () => {
    const before = await rollupRows();
    await t.store.db.deleteFrom('insight_sla_days').where('workspace_id', '=', ws).execute();
    await t.store.db.deleteFrom('insight_sla_tasks').where('workspace_id', '=', ws).execute();
    const report = await rebuildRollups({ store: t.store, clock }, ws, { only: ['sla'] });
    expect(report).toMatchObject({ tasks: 10, changed: 10, responses: 0, records: 0 });
    expect(await rollupRows()).toEqual(before);
    expect((await rebuildRollups({ store: t.store, clock }, ws, { only: ['sla'] })).changed).toBe(0);
    // Deleted around the product (there is no delete of a task): the walk finds the ledger row without its task.
    await t.store.db.deleteFrom('followup_tasks').where('workspace_id', '=', ws).where('id', '=', ids.get('G') as string).execute();
    expect((await rebuildRollups({ store: t.store, clock }, ws, { only: ['sla'] })).changed).toBe(1);
    expect((await agrees()).current).toMatchObject({ tasks: 8, contacted: 5 });
  });
});
