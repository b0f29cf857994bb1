/**
 * Health scores and lifetime value over HTTP: a small hand-made workspace (signals equal the
 * values worked out by hand), the refresh through the job queue's worker, reasons and the
 * change since last week, the one-click follow-up (idempotent, in the follow-up inbox), and a
 * seeded demo (CLV fit, distribution, at-risk accounts, the model's backtest).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/index.js';
import { createMatcher, readIdentitySettings, resolvePending, writeIdentitySettings } from '../../src/modules/customers/index.js';
import { importPastAnswers, ZSurveyDefinition } from '../../src/modules/feedback/index.js';
import { registerRefreshJobs } from '../../src/modules/insight/index.js';
import { trackDerived } from '../../src/modules/ingest/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { appendFacts, awaitLogHorizon, JobQueue, recordFacts, upsertSourceRecords, Worker, type SourceRecordRow } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { addTestMember, createTestApp, errorCode, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

const NPS = {
  id: 'srv_nps',
  name: 'NPS',
  definition: ZSurveyDefinition.parse({ defaultLanguage: 'en', questions: [{ id: 'nps', type: 'nps', text: { en: 'How likely…?' }, required: true }] }),
};

interface Contribution {
  signal: string;
  value: number | null;
  points: number;
  reason: string;
}
interface Health {
  id: string;
  name: string | null;
  health: number;
  band: string;
  active: boolean;
  signals: Record<string, number | null>;
  contributions: Contribution[];
  top: Contribution[];
  change: { change: number; summary: string; top: { signal: string; reason: string; points: number }[]; changes: { signal: string; from: number | null; to: number | null; reason: string; points: number }[] } | null;
  value: { orders: number; frequency: number; pAlive: number | null; clv: number | null } | null;
  followup: { taskId: string } | null;
}

describe.each(testDialects())('health scores and CLV on %s', (dialect) => {
  // Wednesday 4 March 2026, noon UTC (PostgreSQL: two weeks later: ids grow within a process, and its readers settle on them).
  const start = Date.UTC(2026, 2, 4, 12) + (dialect === 'postgres' ? 14 * DAY : 0);
  const clock = new ManualClock(start);
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let agent: Session;
  let queue: JobQueue;
  let worker: Worker;
  let ann: string;
  let bob: string;

  const api = (path: string) => `/api/workspaces/${ws}${path}`;
  const get = async <T>(path: string, who: Session = owner): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url: api(path), headers: who.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };
  const refresh = async () => {
    const res = await t.app.inject({ method: 'POST', url: api('/insight/refresh'), headers: owner.headers });
    expect(res.statusCode, res.body).toBe(202);
    const { runId } = res.json() as { runId: string };
    while ((await worker.runOnce()) > 0);
    return runId;
  };
  const record = (kind: string, externalId: string, occurredAt: number, data: Record<string, unknown>): SourceRecordRow => ({
    workspace_id: ws,
    source: 'billing',
    kind,
    external_id: externalId,
    data: JSON.stringify(data),
    occurred_at: occurredAt,
    imported_at: clock.now(),
    updated_at: clock.now(),
  });
  const write = async (rows: SourceRecordRow[]) => {
    await t.store.db.transaction().execute(async (trx) => {
      await upsertSourceRecords(trx, rows).execute();
      await appendFacts(trx, ws, recordFacts(rows), clock.now());
    });
  };
  const resolveAll = async () => {
    await awaitLogHorizon(t.store.db, dialect);
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, ws);
  };

  beforeAll(async () => {
    t = await createTestApp({ dialect, clock });
    ({ workspaceId: ws } = await seedWorkspace(t, 'Health', 'owner@health.example'));
    owner = await loginAs(t.app, 'owner@health.example');
    await addTestMember(t, ws, 'agent@health.example', 'agent');
    agent = await loginAs(t.app, 'agent@health.example');
    queue = new JobQueue(t.store, { clock });
    worker = new Worker(queue, { pollIntervalMs: 10 });
    registerRefreshJobs(worker, queue, { store: t.store, clock });
    await writeIdentitySettings(t.store.db, ws, { ...(await readIdentitySettings(t.store.db, ws)), userIdSource: 'billing' }, clock.now());

    const now = clock.now();
    await write([
      // Ann: three orders, a ticket answered after 30 hours (the 24-hour target: one breach), an NPS 9.
      record('contact', 'c-ann', now - 120 * DAY, { name: 'Ann <script>window.__pwned = 1</script> Lee', email: 'ann@example.org', createdAt: now - 120 * DAY }),
      record('order', 'o-ann-1', now - 100 * DAY, { customerId: 'c-ann', placedAt: now - 100 * DAY, total: 30, currency: 'EUR', status: 'paid' }),
      record('order', 'o-ann-2', now - 60 * DAY, { customerId: 'c-ann', placedAt: now - 60 * DAY, total: 40, currency: 'EUR', status: 'paid' }),
      record('order', 'o-ann-3', now - 20 * DAY, { customerId: 'c-ann', placedAt: now - 20 * DAY, total: 50, currency: 'EUR', status: 'paid' }),
      record('ticket', 't-ann-1', now - 10 * DAY, { requesterId: 'c-ann', openedAt: now - 10 * DAY, firstResponseAt: now - 10 * DAY + 30 * HOUR, subject: 'Late delivery' }),
      // Bob: one order 200 days ago, a failed payment 30 days ago: no longer a customer.
      record('contact', 'c-bob', now - 200 * DAY, { name: 'Bob Stone', email: 'bob@example.org', createdAt: now - 200 * DAY }),
      record('order', 'o-bob-1', now - 200 * DAY, { customerId: 'c-bob', placedAt: now - 200 * DAY, total: 25, currency: 'EUR', status: 'paid' }),
      record('order', 'o-bob-2', now - 30 * DAY, { customerId: 'c-bob', placedAt: now - 30 * DAY, total: 25, currency: 'EUR', status: 'failed' }),
    ]);
    await importPastAnswers(t.store, ws, NPS, [{ id: 'rsp_ann_1', respondent: { kind: 'email', value: 'Ann@Example.org' }, answers: { nps: 9 }, channel: 'email', answeredAt: now - 40 * DAY }], now);
    // Ann's app usage: 2 events in the last 4 weeks, 1 in the 4 before.
    await trackDerived(t.store, clock, ws, [
      { messageId: 'u1', userId: 'c-ann', event: 'Report Viewed', properties: {}, timestamp: now - 3 * DAY },
      { messageId: 'u2', userId: 'c-ann', event: 'Report Viewed', properties: {}, timestamp: now - 2 * DAY },
      { messageId: 'u3', userId: 'c-ann', event: 'Report Viewed', properties: {}, timestamp: now - 40 * DAY },
    ]);
    await resolveAll();
    const customers = (await get<{ customers: { id: string; name: string | null }[] }>('/customers')).customers;
    ann = customers.find((c) => c.name?.startsWith('Ann'))?.id as string;
    bob = customers.find((c) => c.name === 'Bob Stone')?.id as string;
    expect(ann && bob).toBeTruthy();
  });
  afterAll(async () => {
    await worker.stop();
    await t.close();
  });

  it('says there is nothing yet before the first refresh', async () => {
    const res = await t.app.inject({ method: 'GET', url: api(`/insight/customers/${ann}/health`), headers: owner.headers });
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('HEALTH_NOT_FOUND');
    expect((await get<{ model: unknown }>('/insight/model')).model).toBeNull();
  });

  it('refreshes through the worker, logs the run, and computes the signals from the data', async () => {
    const runId = await refresh();
    const { runs } = await get<{ runs: { id: string; status: string; durationMs: number; counts: Record<string, number>; metrics: { source: string } }[] }>('/insight/runs');
    expect(runs[0]).toMatchObject({ id: runId, status: 'succeeded', counts: { customers: 2, valued: 2, scored: 2 }, metrics: { source: 'default' } });
    expect(runs[0]?.durationMs).toBeGreaterThanOrEqual(0);

    const a = await get<Health>(`/insight/customers/${ann}/health`);
    const s = a.signals;
    const elapsed = (clock.now() - start) / DAY; // the settle window, on PostgreSQL
    expect({ ...s, pAlive: undefined, pOrderNext90d: undefined, tenureDays: undefined, daysSinceLastActivity: undefined }).toEqual({
      npsLast: 9,
      csatLast: null,
      sentimentTrend: null,
      ticketsLast30d: 1,
      slaBreachesLast30d: 1,
      usageTrend: Math.log(3 / 2),
      pAlive: undefined,
      pOrderNext90d: undefined,
      liveSubscription: null,
      paymentFailuresLast90d: 0,
      tenureDays: undefined,
      daysSinceLastActivity: undefined,
    });
    // Both come from the purchase model, when two customers are enough to fit one.
    expect(s.pOrderNext90d === null).toBe(s.pAlive === null);
    expect(s.tenureDays).toBeCloseTo(120 + elapsed, 6);
    // The last activity: the event two days ago (its day counts to its end).
    expect(s.daysSinceLastActivity).toBeGreaterThan(1);
    expect(s.daysSinceLastActivity).toBeLessThan(2);
    expect(a.active).toBe(true);
    expect(a.value).toMatchObject({ orders: 3, frequency: 2 });
    // Points add up to the score.
    const points = a.contributions.reduce((n, c) => n + c.points, 0);
    expect(a.contributions.find((c) => c.signal === 'slaBreachesLast30d')?.reason).toMatch(/1 SLA breach in the last 30 days lowers health by \d+ point/);
    expect(Math.abs(a.health - points)).toBeGreaterThan(0);

    const b = await get<Health>(`/insight/customers/${bob}/health`);
    expect(b.signals).toMatchObject({ npsLast: null, ticketsLast30d: 0, slaBreachesLast30d: 0, paymentFailuresLast90d: 1, usageTrend: null });
    expect(b.signals.tenureDays).toBeCloseTo(200 + elapsed, 6);
    expect(b.signals.daysSinceLastActivity).toBeCloseTo(200 + elapsed, 6);
    expect(b.active).toBe(false);
    expect(b.top.map((c) => c.reason).join(' ')).toMatch(/failed payment/);
  });

  it('explains the change since last week from the stored snapshot', async () => {
    clock.advance(7 * DAY);
    const now = clock.now();
    await importPastAnswers(t.store, ws, NPS, [{ id: 'rsp_ann_2', respondent: { kind: 'email', value: 'ann@example.org' }, answers: { nps: 2 }, channel: 'email', answeredAt: now - DAY }], now);
    await refresh();
    const a = await get<Health>(`/insight/customers/${ann}/health`);
    expect(a.signals.npsLast).toBe(2);
    // Every change is listed, and they add up to the change in health.
    const changes = a.change?.changes ?? [];
    expect(changes.reduce((n, c) => n + c.points, 0)).toBeCloseTo(a.change?.change ?? NaN, 6);
    const nps = changes.find((c) => c.signal === 'npsLast');
    expect(nps).toMatchObject({ from: 9, to: 2 });
    expect(nps?.points).toBeLessThan(-1);
    expect(nps?.reason).toMatch(/^NPS 9 \(promoter\) → NPS 2 \(detractor\): −\d+ points?$/);
    expect(a.change?.summary).toMatch(/^Health (fell|rose) \d+ points? \(\d+ → \d+\): .*NPS 9 \(promoter\) → NPS 2 \(detractor\)/);
  });

  it('lists the at-risk customer with reasons; one click makes one follow-up task in the inbox', async () => {
    const list = await get<{ items: { id: string; name: string; band: string; top: Contribution[]; change: number | null; followup: unknown }[] }>('/insight/at-risk?band=all');
    const item = list.items.find((i) => i.id === ann);
    expect(item?.top.length).toBeGreaterThan(0);
    expect(item?.change).not.toBeNull();
    expect(item?.followup).toBeNull();
    // Bob is no longer a customer: listed only on request.
    expect(list.items.some((i) => i.id === bob)).toBe(false);
    expect((await get<{ items: { id: string }[] }>('/insight/at-risk?band=all&includeInactive=true')).items.some((i) => i.id === bob)).toBe(true);

    const click = () => t.app.inject({ method: 'POST', url: api('/insight/followups'), headers: agent.headers, payload: { kind: 'customer', id: ann } });
    const first = await click();
    expect(first.statusCode, first.body).toBe(201);
    const { task } = first.json() as { task: { taskId: string; title: string } };
    expect(task.title).toMatch(/^At risk: Ann <script>window.__pwned = 1<\/script> Lee \(health \d+\)$/);
    const second = await click();
    expect(second.statusCode).toBe(200);
    expect((second.json() as { task: { taskId: string }; created: boolean })).toMatchObject({ task: { taskId: task.taskId }, created: false });

    const inbox = await get<{ tasks: { id: string; title: string; customerId: string }[] }>('/tasks?view=all');
    expect(inbox.tasks.filter((x) => x.id === task.taskId)).toHaveLength(1);
    const detail = await get<{ history: { type: string; details: { text?: string } }[] }>(`/tasks/${task.taskId}`);
    expect(detail.history.find((h) => h.type === 'note')?.details.text).toMatch(/NPS 2 \(detractor\) lowers health/);
    expect((await get<Health>(`/insight/customers/${ann}/health`)).followup).toMatchObject({ taskId: task.taskId });

    // Resolved, a new click makes a new task.
    const resolved = await t.app.inject({ method: 'POST', url: api(`/tasks/${task.taskId}/resolved`), headers: agent.headers });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const third = await click();
    expect(third.statusCode).toBe(201);
    expect((third.json() as { task: { taskId: string } }).task.taskId).not.toBe(task.taskId);
  });

  it('lets only admins refresh, and viewers read', async () => {
    await addTestMember(t, ws, 'viewer@health.example', 'viewer');
    const viewer = await loginAs(t.app, 'viewer@health.example');
    const denied = await t.app.inject({ method: 'POST', url: api('/insight/refresh'), headers: agent.headers });
    expect(denied.statusCode).toBe(403);
    expect((await get<{ runs: unknown[] }>('/insight/runs', viewer)).runs.length).toBeGreaterThan(0);
    const click = await t.app.inject({ method: 'POST', url: api('/insight/followups'), headers: viewer.headers, payload: { kind: 'customer', id: ann } });
    expect(click.statusCode).toBe(403);
  });
});

describe.each(testDialects())('a seeded demo on %s', (dialect) => {
  // Later than the suite above: ids grow within a process, and PostgreSQL's readers settle on them.
  const clock = new ManualClock(Date.UTC(2026, 3, 1, 12) + (dialect === 'postgres' ? 14 * DAY : 0));
  let t: TestApp;
  let ws: string;
  let owner: Session;

  beforeAll(async () => {
    t = await createTestApp({ dialect, clock });
    ({ workspaceId: ws } = await seedWorkspace(t, 'Demo', 'owner@demo.example'));
    owner = await loginAs(t.app, 'owner@demo.example');
    await seedDemo(t.store, { workspaceId: ws, customers: 400, seed: 7, asOf: clock.now(), clock });
    await awaitLogHorizon(t.store.db, dialect);
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, ws);
    const queue = new JobQueue(t.store, { clock });
    const worker = new Worker(queue);
    registerRefreshJobs(worker, queue, { store: t.store, clock });
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/insight/refresh`, headers: owner.headers });
    expect(res.statusCode).toBe(202);
    while ((await worker.runOnce()) > 0);
  }, 120_000);
  afterAll(() => t.close());

  it('fits CLV and shows its distribution, whose total is the sum of the customers’ values', async () => {
    const clv = (await t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/insight/clv`, headers: owner.headers })).json() as {
      fit: { transactions: { params: Record<string, number>; standardErrors: Record<string, number>; logLikelihood: number } | null };
      distributions: { currency: string; customers: number; total: number; buckets: { customers: number; total: number }[]; quantiles: { p: number; value: number }[] }[];
    };
    expect(clv.fit.transactions?.params.r).toBeGreaterThan(0);
    expect(clv.fit.transactions?.standardErrors.alpha).toBeGreaterThan(0);
    const d = clv.distributions[0];
    expect(d).toBeDefined();
    const rows = await t.store.db.selectFrom('customer_values').select(['clv']).where('workspace_id', '=', ws).where('currency', '=', d?.currency as string).where('clv', 'is not', null).execute();
    const sum = rows.reduce((n, r) => n + Number(r.clv), 0);
    expect(d?.customers).toBe(rows.length);
    expect(d?.total).toBeCloseTo(sum, 6);
    expect(d?.buckets.reduce((n, b) => n + b.customers, 0)).toBe(rows.length);
    const q = d?.quantiles.map((x) => x.value) ?? [];
    expect([...q].sort((x, y) => x - y)).toEqual(q);
  });

  it('scores accounts with reasons and reports the model’s backtest', async () => {
    const list = (await t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/insight/at-risk?kind=account&band=all&limit=5`, headers: owner.headers })).json() as {
      items: { name: string; members: number; top: { reason: string }[]; health: number }[];
      total: number;
    };
    expect(list.total).toBeGreaterThan(0);
    expect(list.items[0]?.members).toBeGreaterThan(0);
    expect(list.items[0]?.top[0]?.reason).toMatch(/health by/);
    const healths = list.items.map((i) => i.health);
    expect([...healths].sort((x, y) => x - y)).toEqual(healths);
    const { model } = (await t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/insight/model`, headers: owner.headers })).json() as {
      model: { source: string; decision: { reasons: string[] }; backtest: { models: Record<string, { auc: number; table: unknown[] }> } | null; snapshots: number };
    };
    expect(model.snapshots).toBeGreaterThan(100);
    expect(model.decision.reasons.length).toBeGreaterThan(0);
    if (model.backtest) expect(model.backtest.models.default?.table.length).toBe(10);
  });

  it('explains customers by their chance of an order in the next 90 days and their subscription', async () => {
    const list = (await t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/insight/at-risk?kind=customer&band=all&limit=200`, headers: owner.headers })).json() as {
      items: { id: string; top: { signal: string; reason: string }[] }[];
    };
    const reasons = list.items.flatMap((i) => i.top.map((c) => c.reason));
    expect(reasons.some((r) => /^\d+% chance of an order in the next 90 days (lowers|raises) health by \d+ points?$/.test(r)), reasons.slice(0, 10).join('; ')).toBe(true);
    expect(reasons.some((r) => /^(A live subscription|Subscription ended|No subscription) (lowers|raises) health by \d+ points?$/.test(r)), reasons.slice(0, 10).join('; ')).toBe(true);
    const one = list.items.find((i) => i.top.some((c) => c.signal === 'pOrderNext90d'));
    const h = (await t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/insight/customers/${one?.id}/health`, headers: owner.headers })).json() as Health;
    expect(h.signals.pOrderNext90d).toBeGreaterThan(0);
    expect(h.signals.pOrderNext90d).toBeLessThan(1);
    expect([0, 1, null]).toContain(h.signals.liveSubscription);
  });
});
