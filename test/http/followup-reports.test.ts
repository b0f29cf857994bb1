/**
 * Follow-up reports over HTTP, on tasks made through the real flow: events through the tracking
 * API, the rule consumer, agents' actions under a ManualClock, and breaches by the deadline
 * jobs. Every figure below is worked out by hand from the timeline in the comments.
 *
 * Policies: Leads (first contact 30 min, team Sales), Complaints (first contact 60 min,
 * resolution 4 h, team Support). Notes have no policy. All tasks start at T (09:00 UTC) except L6.
 *
 *   L1 lead  north agent1  contacted +3m                                   met     wall 3m   working 3m
 *   L2 lead  south agent2  waits +5m…+15m (due → +40m), contacted +35m     met     wall 35m  working 25m
 *   L3 lead  north agent1  breached (job at +31m), contacted +2h           missed  wall 2h   working 2h
 *   L4 lead  south agent2  contacted +25m                                  met     wall 25m  working 25m
 *   L5 lead  north agent1  breached (job at +31m), never contacted         missed
 *   C1 complaint  agent2   contacted +10m, resolved +100m                  met / resolution met
 *   C2 complaint  agent2   contacted +45m, resolution breached at +4h1m    met / resolution missed
 *   N1 note  unassigned    contacted +90m                                  no target  wall 90m
 *   L6 lead  north agent1  starts +4h2m, not yet due                       pending
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { consumeFollowups, registerDeadlines } from '../../src/modules/followup/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon, JobQueue, Worker } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { addTestMember, basicAuth, errorCode, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';
import { createFollowupFixture } from '../support/followup.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Figures {
  met: number;
  missed: number;
  n: number;
  metPct: number | null;
  pending: number;
  noTarget: number;
}
interface SlaGroup {
  key: string | null;
  label: string;
  tasks: number;
  firstContact: Figures;
  resolution: Figures;
}
interface SlaReport {
  from: string;
  to: string;
  asOf: string;
  overall: SlaGroup;
  byPolicy: SlaGroup[];
  byTeam: SlaGroup[];
  byAgent: SlaGroup[];
}
interface Stats {
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
}
interface SpeedGroup {
  key: string | null;
  label: string;
  tasks: number;
  contacted: number;
  notContacted: number;
  wall: Stats;
  working: Stats;
}
interface SpeedReport {
  overall: SpeedGroup;
  byKind: SpeedGroup[];
  byTeam: SpeedGroup[];
  byAgent: SpeedGroup[];
  distribution: { bucket: string; label: string; count: number; share: number | null }[];
}
interface TrendReport {
  from: string;
  to: string;
  period: string;
  points: { start: string; tasks: number; met: number; n: number; metPct: number | null; contacted: number; medianFirstContactMs: number | null }[];
}
interface Task {
  id: string;
  status: string;
  ownerUserId: string | null;
  startedAt: string;
  firstContactDueAt: string | null;
  respondent: { value: string };
}

const figures = (met: number, missed: number, pending: number, noTarget: number): Figures => ({ met, missed, n: met + missed, metPct: met + missed === 0 ? null : (100 * met) / (met + missed), pending, noTarget });

describe.each(testDialects())('follow-up reports on %s', (dialect) => {
  // Ids grow monotonically per process: the PostgreSQL run starts after the SQLite run's clock ended.
  const T = Date.UTC(2026, 10, 16, 9) + (dialect === 'postgres' ? 60 * DAY : 0);
  const day = new Date(T).toISOString().slice(0, 10);
  const clock = new ManualClock(T);
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let agent1: Session;
  let agent2: Session;
  let viewer: Session;
  let agent1Id: string;
  let agent2Id: string;
  let writeKey: string;
  let queue: JobQueue;
  let leadsPolicy: string;
  let complaintsPolicy: string;
  let salesTeam: string;
  let supportTeam: string;
  const task = new Map<string, Task>();

  const api = (path: string) => `/api/workspaces/${ws}${path}`;
  const post = async (session: Session, path: string, payload: unknown = {}) => {
    const res = await t.app.inject({ method: 'POST', url: api(path), headers: session.headers, payload: payload as Record<string, unknown> });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as Record<string, unknown> & { id: string };
  };
  const get = async <T>(session: Session, path: string): Promise<T> => {
    const res = await t.app.inject({ url: api(path), headers: session.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };
  const track = async (userId: string, event: string, properties: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/track', headers: { authorization: basicAuth(writeKey) }, payload: { userId, event, properties, timestamp: new Date(clock.now()).toISOString() } });
    expect(res.statusCode, res.body).toBe(200);
  };
  const consume = async () => {
    await awaitLogHorizon(t.store.db, dialect);
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, ws);
    return consumeFollowups({ store: t.store, clock, queue }, ws);
  };
  const runDue = async () => {
    const q = new JobQueue(t.store, { clock });
    const w = new Worker(q, { onlyRegisteredQueues: true, concurrency: 8 });
    registerDeadlines(w, q, { store: t.store, clock });
    for (let ran = await w.runOnce(); ran > 0; ran = await w.runOnce());
  };
  const loadTasks = async () => {
    const { tasks } = await get<{ tasks: Task[] }>(owner, '/tasks?view=all&limit=200');
    for (const x of tasks) task.set(x.respondent.value, x);
  };
  const id = (label: string) => (task.get(label) as Task).id;
  const at = (offset: number) => clock.set(T + offset);
  const sla = (qs = '') => get<SlaReport>(viewer, `/followups/reports/sla${qs}`);
  const speed = (qs = '') => get<SpeedReport>(viewer, `/followups/reports/speed${qs}`);
  const group = <G extends { key: string | null }>(list: G[], key: string | null): G => {
    const g = list.find((x) => x.key === key);
    if (!g) throw new Error(`no group ${key}`);
    return g;
  };

  beforeAll(async () => {
    ({ t, queue, ws, owner, writeKey } = await createFollowupFixture(dialect, clock));
    agent1Id = await addTestMember(t, ws, 'agent1@alpha.test', 'agent');
    agent2Id = await addTestMember(t, ws, 'agent2@alpha.test', 'agent');
    await addTestMember(t, ws, 'viewer@alpha.test', 'viewer');
    agent1 = await loginAs(t.app, 'agent1@alpha.test');
    agent2 = await loginAs(t.app, 'agent2@alpha.test');
    viewer = await loginAs(t.app, 'viewer@alpha.test');

    salesTeam = (await post(owner, '/followups/teams', { name: 'Sales', members: [agent1Id, agent2Id] })).id;
    supportTeam = (await post(owner, '/followups/teams', { name: 'Support', members: [agent2Id] })).id;
    leadsPolicy = (await post(owner, '/followups/policies', { name: 'Leads', triggerKind: 'lead', firstContactMinutes: 30, teamId: salesTeam })).id;
    complaintsPolicy = (await post(owner, '/followups/policies', { name: 'Complaints', triggerKind: 'complaint', firstContactMinutes: 60, resolutionMinutes: 240, teamId: supportTeam })).id;
    const leadRule = (region: string, userId: string) => ({
      name: `${region} leads`,
      definition: {
        trigger: { kind: 'event', event: 'Lead Created' },
        conditions: [{ field: 'event.properties.region', op: 'eq', value: region }],
        actions: [{ type: 'create_task', title: 'Call the lead', slaKind: 'lead', assign: { strategy: 'user', userId } }],
      },
    });
    await post(owner, '/followups/rules', leadRule('north', agent1Id));
    await post(owner, '/followups/rules', leadRule('south', agent2Id));
    await post(owner, '/followups/rules', {
      name: 'Complaints',
      definition: { trigger: { kind: 'event', event: 'Complaint Filed' }, actions: [{ type: 'create_task', title: 'Answer the complaint', slaKind: 'complaint', assign: { strategy: 'user', userId: agent2Id } }] },
    });
    await post(owner, '/followups/rules', { name: 'Notes', definition: { trigger: { kind: 'event', event: 'Note Left' }, actions: [{ type: 'create_task', title: 'Read the note', slaKind: 'note' }] } });

    // T: the triggers.
    for (const [u, region] of [['L1', 'north'], ['L2', 'south'], ['L3', 'north'], ['L4', 'south'], ['L5', 'north']] as const) await track(u, 'Lead Created', { region });
    await track('C1', 'Complaint Filed');
    await track('C2', 'Complaint Filed');
    await track('N1', 'Note Left');
    expect((await consume()).tasks).toHaveLength(8);
    await loadTasks();
    for (const l of ['L1', 'L2', 'L3', 'L4', 'L5', 'C1', 'C2', 'N1']) expect(Date.parse((task.get(l) as Task).startedAt), l).toBe(T);

    at(3 * MINUTE);
    await post(agent1, `/tasks/${id('L1')}/contacted`);
    at(5 * MINUTE);
    await post(agent2, `/tasks/${id('L2')}/waiting`);
    at(10 * MINUTE);
    await post(agent2, `/tasks/${id('C1')}/contacted`);
    at(15 * MINUTE);
    expect(await post(agent2, `/tasks/${id('L2')}/resume`)).toMatchObject({ firstContactDueAt: new Date(T + 40 * MINUTE).toISOString() });
    at(25 * MINUTE);
    await post(agent2, `/tasks/${id('L4')}/contacted`);
    at(31 * MINUTE);
    await runDue();
    at(35 * MINUTE);
    expect(await post(agent2, `/tasks/${id('L2')}/contacted`)).toMatchObject({ slaMet: true });
    at(45 * MINUTE);
    await post(agent2, `/tasks/${id('C2')}/contacted`);
    at(90 * MINUTE);
    await post(owner, `/tasks/${id('N1')}/contacted`);
    at(100 * MINUTE);
    await post(agent2, `/tasks/${id('C1')}/resolved`);
    at(2 * HOUR);
    expect(await post(agent1, `/tasks/${id('L3')}/contacted`)).toMatchObject({ slaMet: false });
    at(4 * HOUR + MINUTE);
    await runDue();
    at(4 * HOUR + 2 * MINUTE);
    await track('L6', 'Lead Created', { region: 'north' });
    expect((await consume()).tasks).toHaveLength(1);
    await loadTasks();
    at(4 * HOUR + 10 * MINUTE);
    const breached = (await get<{ tasks: (Task & { firstBreachedAt: string | null; resolutionBreachedAt: string | null })[] }>(owner, '/tasks?view=all&limit=200')).tasks;
    expect(breached.filter((x) => x.firstBreachedAt !== null).map((x) => x.respondent.value).sort()).toEqual(['L3', 'L5']);
    expect(breached.filter((x) => x.resolutionBreachedAt !== null).map((x) => x.respondent.value)).toEqual(['C2']);
  });
  afterAll(() => t.close());

  it('reports SLA met % with n overall and by policy, team and agent, open clocks not yet due excluded', async () => {
    const r = await sla();
    expect(r.asOf).toBe(new Date(T + 4 * HOUR + 10 * MINUTE).toISOString());
    // Default range: the 30 days up to the end of today (UTC).
    expect(r.to).toBe(`${new Date(T + DAY).toISOString().slice(0, 10)}T00:00:00.000Z`);
    expect(Date.parse(r.to) - Date.parse(r.from)).toBe(30 * DAY);
    // Met: L1 L2 L4 C1 C2; missed: L3 L5; pending: L6; no target: N1.
    expect(r.overall).toEqual({ key: null, label: 'All tasks', tasks: 9, firstContact: figures(5, 2, 1, 1), resolution: figures(1, 1, 0, 7) });
    expect(r.overall.firstContact.metPct).toBeCloseTo(71.4286, 3);

    expect(r.byPolicy.map((g) => g.label)).toEqual(['Leads', 'Complaints', 'No SLA policy']);
    expect(group(r.byPolicy, leadsPolicy)).toEqual({ key: leadsPolicy, label: 'Leads', tasks: 6, firstContact: figures(3, 2, 1, 0), resolution: figures(0, 0, 0, 6) });
    expect(group(r.byPolicy, leadsPolicy).firstContact.metPct).toBe(60);
    expect(group(r.byPolicy, complaintsPolicy)).toEqual({ key: complaintsPolicy, label: 'Complaints', tasks: 2, firstContact: figures(2, 0, 0, 0), resolution: figures(1, 1, 0, 0) });
    expect(group(r.byPolicy, null)).toEqual({ key: null, label: 'No SLA policy', tasks: 1, firstContact: figures(0, 0, 0, 1), resolution: figures(0, 0, 0, 1) });
    expect(group(r.byPolicy, null).firstContact.metPct).toBeNull();

    expect(r.byTeam.map((g) => [g.label, g.tasks, g.firstContact.metPct])).toEqual([
      ['Sales', 6, 60],
      ['Support', 2, 100],
      ['No team', 1, null],
    ]);
    expect(group(r.byTeam, salesTeam).firstContact).toEqual(figures(3, 2, 1, 0));
    expect(group(r.byTeam, supportTeam).resolution).toEqual(figures(1, 1, 0, 0));

    // agent1: L1 met, L3 L5 missed, L6 pending; agent2: L2 L4 C1 C2 met.
    expect(r.byAgent.map((g) => [g.key, g.label, g.tasks])).toEqual([
      [agent1Id, 'agent1', 4],
      [agent2Id, 'agent2', 4],
      [null, 'Unassigned', 1],
    ]);
    expect(group(r.byAgent, agent1Id).firstContact).toEqual(figures(1, 2, 1, 0));
    expect(group(r.byAgent, agent1Id).firstContact.metPct).toBeCloseTo(33.3333, 3);
    expect(group(r.byAgent, agent2Id).firstContact).toEqual(figures(4, 0, 0, 0));
  });

  it('reports median and p90 time to first contact, wall and working time, and the speed-to-lead buckets', async () => {
    const r = await speed();
    // Contacted (minutes): 3 10 25 35 45 90 120. Median: the 4th, 35. p90 at h = 6·0.9 = 5.4: 90 + 0.4·30 = 102.
    expect(r.overall).toMatchObject({ tasks: 9, contacted: 7, notContacted: 2, wall: { n: 7, medianMs: 35 * MINUTE, p90Ms: 102 * MINUTE } });
    // Working time (tasks with a clock; L2 less its 10 paused minutes): 3 10 25 25 45 120. Median 25; p90 at h = 4.5: 45 + 0.5·75 = 82.5.
    expect(r.overall.working).toEqual({ n: 6, medianMs: 25 * MINUTE, p90Ms: 82.5 * MINUTE });

    expect(r.byKind.map((g) => g.key)).toEqual(['lead', 'complaint', 'note']);
    // Leads 3 25 35 120: median 30, p90 at h = 2.7: 35 + 0.7·85 = 94.5. Complaints 10 45: 27.5 and 10 + 0.9·35 = 41.5.
    expect(group(r.byKind, 'lead')).toMatchObject({ tasks: 6, contacted: 4, notContacted: 2, wall: { n: 4, medianMs: 30 * MINUTE, p90Ms: 94.5 * MINUTE }, working: { n: 4, medianMs: 25 * MINUTE } });
    expect(group(r.byKind, 'complaint')).toMatchObject({ tasks: 2, wall: { n: 2, medianMs: 27.5 * MINUTE, p90Ms: 41.5 * MINUTE } });
    expect(group(r.byKind, 'note')).toMatchObject({ tasks: 1, wall: { n: 1, medianMs: 90 * MINUTE, p90Ms: 90 * MINUTE }, working: { n: 0, medianMs: null, p90Ms: null } });
    expect(group(r.byTeam, salesTeam).wall).toEqual(group(r.byKind, 'lead').wall);
    // agent1: 3 and 120 (median 61.5); agent2: 10 25 35 45 (median 30, p90 at h = 2.7: 35 + 0.7·10 = 42).
    expect(group(r.byAgent, agent1Id)).toMatchObject({ tasks: 4, contacted: 2, wall: { medianMs: 61.5 * MINUTE } });
    expect(group(r.byAgent, agent2Id)).toMatchObject({ tasks: 4, contacted: 4, wall: { medianMs: 30 * MINUTE, p90Ms: 42 * MINUTE } });

    expect(r.distribution.map((b) => [b.bucket, b.count])).toEqual([
      ['under_5m', 1],
      ['5m_to_1h', 4],
      ['1h_to_24h', 2],
      ['over_24h', 0],
      ['not_contacted', 2],
    ]);
    expect(r.distribution[1]?.share).toBeCloseTo(4 / 9, 10);
  });

  it('narrows every report by kind, policy, team and owner', async () => {
    expect((await sla('?kind=complaint')).overall).toMatchObject({ tasks: 2, firstContact: figures(2, 0, 0, 0) });
    expect((await sla(`?policy=${leadsPolicy}`)).overall).toMatchObject({ tasks: 6, firstContact: figures(3, 2, 1, 0) });
    expect((await sla(`?team=${supportTeam}`)).byAgent.map((g) => g.key)).toEqual([agent2Id]);
    const mine = await speed(`?owner=${agent1Id}`);
    expect(mine.overall).toMatchObject({ tasks: 4, contacted: 2 });
    expect(mine.distribution.find((b) => b.bucket === 'not_contacted')?.count).toBe(2);
    expect((await sla('?kind=nothing_here')).overall).toMatchObject({ tasks: 0, firstContact: figures(0, 0, 0, 0) });
    // A range that ends before T holds nothing.
    const before = new Date(T - DAY).toISOString().slice(0, 10);
    expect((await sla(`?from=${before}&to=${before}`)).overall.tasks).toBe(0);
  });

  it('trends SLA met %, n and the median first contact per day, week or month, empty periods included', async () => {
    const previous = new Date(T - DAY).toISOString().slice(0, 10);
    const r = await get<TrendReport>(viewer, `/followups/reports/trend?period=day&from=${previous}&to=${day}`);
    expect(r.points).toEqual([
      { start: `${previous}T00:00:00.000Z`, tasks: 0, met: 0, n: 0, metPct: null, contacted: 0, medianFirstContactMs: null },
      { start: `${day}T00:00:00.000Z`, tasks: 9, met: 5, n: 7, metPct: (100 * 5) / 7, contacted: 7, medianFirstContactMs: 35 * MINUTE },
    ]);
    const week = await get<TrendReport>(viewer, `/followups/reports/trend?period=week&from=${day}&to=${day}`);
    // The week starts on the Monday at or before T (UTC).
    const monday = T - (((new Date(T).getUTCDay() + 6) % 7) * DAY + 9 * HOUR);
    expect(week.points).toEqual([expect.objectContaining({ start: new Date(monday).toISOString(), tasks: 9, n: 7 })]);
    const month = await get<TrendReport>(viewer, `/followups/reports/trend?period=month&from=${day}&to=${day}`);
    expect(month.points).toHaveLength(1);
    expect(month.points[0]?.start).toBe(`${day.slice(0, 7)}-01T00:00:00.000Z`);
  });

  it('moves with the work: a contact in time counts as met, a deadline passed without its job as missed', async () => {
    await loadTasks();
    at(4 * HOUR + 20 * MINUTE);
    await post(agent1, `/tasks/${id('L6')}/contacted`);
    expect((await sla()).overall.firstContact).toEqual(figures(6, 2, 0, 1));
    // L7 starts, and its deadline passes with no deadline job run: judged at asOf, it is missed, not pending.
    await track('L7', 'Lead Created', { region: 'south' });
    await consume();
    at(5 * HOUR + 30 * MINUTE);
    const r = await sla();
    expect(r.overall.firstContact).toEqual(figures(6, 3, 0, 1));
    expect(group(r.byAgent, agent2Id).firstContact).toEqual(figures(4, 1, 0, 0));
  });

  it('refuses bad filters with a clear message', async () => {
    const bad = async (path: string) => {
      const res = await t.app.inject({ url: api(path), headers: viewer.headers });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
      return (res.json() as { error: { message: string } }).error.message;
    };
    expect(await bad('/followups/reports/sla?from=2026-11-20&to=2026-11-10')).toContain('from must not be after to');
    expect(await bad('/followups/reports/sla?from=2024-01-01&to=2026-01-01')).toContain('at most 400 days');
    await bad('/followups/reports/sla?from=yesterday');
    await bad('/followups/reports/speed?kind=Lead%20Created');
    await bad('/followups/reports/speed?colour=blue');
    await bad('/followups/reports/trend?period=year');
    // Another workspace's reports are not there at all.
    const b = await seedWorkspace(t, 'Bravo', 'owner@bravo.test');
    const other = await t.app.inject({ url: `/api/workspaces/${b.workspaceId}/followups/reports/sla`, headers: viewer.headers });
    expect(other.statusCode).toBe(404);
  });
});
