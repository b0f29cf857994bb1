/**
 * Insight metrics over HTTP on a real database: answers through the public survey API, billing
 * records through file imports, the rollup follower run as the job runs it, then every figure of
 * the API compared with a direct computation from the raw rows (the responses table, the
 * imported records), including after an edited answer, an import that cancels a subscription,
 * a re-sent import, and a batch interrupted between the rollup change and its cursor.
 *
 * Billing (source `stripe`, months of 2026):
 *   c-a  subscription from 10 Jan at 100 USD
 *   c-b  subscription from 5 Jan at 50 USD (later re-imported: cancelled 20 Apr)
 *   c-e  subscription from 14 Feb at 40 EUR
 *   c-c  orders 3 and 20 Feb
 *   c-d  order 15 Jan; a refunded order 2 Mar (no purchase)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { BACKFILL_SETTING, consumeRollups, rebuildRollups, recordAttributions, registerBackfill, startBackfill } from '../../src/modules/insight/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon, fromJson, JobQueue, readCursor, Worker, writeCursor } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { basicAuth, createTestApp, createWriteKey, errorCode, loginNewMember, seedAlpha, type Session, type TestApp } from '../support/app.js';

const DAY = 86_400_000;
const MON_JUNE_1 = Date.UTC(2026, 5, 1, 9);
const NOW = Date.UTC(2026, 5, 10, 12);
const Z = 1.959963984540054;

function multipart(fields: Record<string, string>, file: { name: string; content: string }) {
  const boundary = `----ec${Math.random().toString(16).slice(2)}`;
  const parts: string[] = Object.entries(fields).map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: text/csv\r\n\r\n${file.content}\r\n--${boundary}--\r\n`);
  return { payload: Buffer.from(parts.join('')), contentType: `multipart/form-data; boundary=${boundary}` };
}

interface Summary {
  metric: string;
  n: number;
  value: number | null;
  low: number | null;
  high: number | null;
  mean: number | null;
  meanLow: number | null;
  meanHigh: number | null;
  top: number;
  middle: number;
  bottom: number;
}
interface Group extends Summary {
  key: string;
  label: string;
  teamId?: string;
}
interface Report {
  source: string;
  overall: Summary;
  groups: Group[];
}
interface Revenue {
  currency: string;
  mrrStart: number;
  mrrEnd: number;
  grrPct: number | null;
  nrrPct: number | null;
}
interface Customers {
  months: { first: string; last: string; count: number };
  source: string;
  figures: { activeStart: number; activeEnd: number; newCustomers: number; lost: number; logoChurnPct: number | null };
  revenue: Revenue[];
  trend: { month: string; active: number; newCustomers: number; lost: number; logoChurnPct: number | null; revenue: { currency: string; mrrEnd: number; grrPct: number | null; nrrPct: number | null }[] }[];
}
interface Cohorts {
  upTo: string;
  rows: { cohort: string; size: number; cells: { age: number; active: number; sharePct: number | null }[] }[];
}

// ---------------------------------------------------------------- direct computations from raw rows

/** NPS, CSAT % or CES % and their intervals, straight from the definitions. */
function direct(metric: 'nps' | 'csat' | 'ces', scores: number[]) {
  const n = scores.length;
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / (n - 1));
  if (metric === 'nps') {
    const pP = scores.filter((s) => s >= 9).length / n;
    const pD = scores.filter((s) => s <= 6).length / n;
    const se = 100 * Math.sqrt((pP + pD - (pP - pD) ** 2) / n);
    const value = 100 * (pP - pD);
    return { n, value, low: Math.max(-100, value - Z * se), high: Math.min(100, value + Z * se), mean, sd };
  }
  const p = scores.filter((s) => s >= (metric === 'csat' ? 4 : 5)).length / n;
  const d = 1 + (Z * Z) / n;
  const c = p + (Z * Z) / (2 * n);
  const w = Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n));
  return { n, value: 100 * p, low: (100 * (c - w)) / d, high: (100 * (c + w)) / d, mean, sd };
}

interface RawSub {
  customerId: string;
  mrr: number;
  currency: string;
  startedAt: number;
  canceledAt: number | null;
}
interface RawOrder {
  customerId: string;
  placedAt: number;
  status: string | null;
}
const monthEnd = (y: number, m: number) => Date.UTC(y, m, 1); // m: 1-based month → the first instant of the next

/**
 * Is the customer active at the end of month (y, m)? Straight from the definition, on raw
 * records: subscribed then, or an order in the `window` months up to then (12 for churn; 1, the
 * month itself, for cohorts).
 */
function activeAt(customer: string, subs: RawSub[], orders: RawOrder[], y: number, m: number, window = 12): boolean {
  const end = monthEnd(y, m);
  const windowStart = Date.UTC(y, m - window, 1);
  return (
    subs.some((s) => s.customerId === customer && s.startedAt < end && (s.canceledAt === null || s.canceledAt >= end)) ||
    orders.some((o) => o.customerId === customer && o.status !== 'refunded' && o.placedAt >= windowStart && o.placedAt < end)
  );
}
const mrrAt = (customer: string, currency: string, subs: RawSub[], y: number, m: number) =>
  subs.filter((s) => s.customerId === customer && s.currency === currency && s.startedAt < monthEnd(y, m) && (s.canceledAt === null || s.canceledAt >= monthEnd(y, m))).reduce((a, s) => a + s.mrr, 0);

describe.each(testDialects())('insight metrics over HTTP on %s', (dialect) => {
  const clock = new ManualClock(MON_JUNE_1 - DAY);
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let viewer: Session;
  let writeKey: string;
  let surveyA: string;
  let surveyB: string;
  const tokens = new Map<string, { survey: string; token: string; deliveryId: string }>();
  const ids = new Map<string, string>();

  const api = (path: string, session: Session = viewer) => t.app.inject({ url: `/api/workspaces/${ws}/insight/${path}`, headers: session.headers });
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await api(path);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };
  /** Wait until what was written is below the transaction horizon (PostgreSQL), and run the follower as its job would. */
  const settled = () => awaitLogHorizon(t.store.db, dialect);
  const follow = async () => {
    await settled();
    await consumeRollups({ store: t.store, clock }, ws);
    clock.set(NOW);
  };

  async function createSurvey(name: string, questions: unknown[]): Promise<string> {
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/surveys`, headers: owner.headers, payload: { name, definition: { defaultLanguage: 'en', questions } } });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { id: string }).id;
    await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}/surveys/${id}`, headers: owner.headers, payload: { status: 'active' } });
    return id;
  }

  async function link(label: string, survey: string, user: string, channel: 'link' | 'api' = 'link') {
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/surveys/${survey}/links`, headers: owner.headers, payload: { respondent: { kind: 'user_id', value: user }, channel } });
    expect(res.statusCode, res.body).toBe(201);
    const { token, deliveryId } = res.json() as { token: string; deliveryId: string };
    tokens.set(label, { survey, token, deliveryId });
  }

  async function answer(label: string, at: number, answers: Record<string, unknown>) {
    clock.set(at);
    const l = tokens.get(label) as { survey: string; token: string };
    const res = await t.app.inject({ method: 'POST', url: `/s/api/${l.survey}/answers`, payload: { token: l.token, answers, finished: true } });
    expect(res.statusCode, res.body).toBe(200);
    ids.set(label, (res.json() as { responseId: string }).responseId);
  }

  const upload = async (kind: string, content: string) => {
    const body = multipart({ kind, source: 'stripe' }, { name: `${kind}.csv`, content });
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/imports`, headers: { ...owner.headers, 'content-type': body.contentType }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().import.rowsFailed).toBe(0);
  };

  const rawResponses = async () => t.store.db.selectFrom('survey_responses').select(['id', 'survey_id', 'channel', 'nps', 'csat', 'ces', 'created_at']).where('workspace_id', '=', ws).execute();
  const rawBilling = async () => {
    const rows = await t.store.db.selectFrom('source_records').select(['kind', 'data']).where('workspace_id', '=', ws).where('source', '=', 'stripe').execute();
    const subs: RawSub[] = [];
    const orders: RawOrder[] = [];
    for (const r of rows) {
      if (r.kind === 'subscription') {
        const d = fromJson<RawSub>(r.data);
        subs.push({ customerId: d.customerId, mrr: d.mrr, currency: d.currency, startedAt: d.startedAt, canceledAt: d.canceledAt ?? null });
      }
      if (r.kind === 'order') {
        const d = fromJson<RawOrder>(r.data);
        orders.push({ customerId: d.customerId, placedAt: d.placedAt, status: d.status ?? null });
      }
    }
    const customers = [...new Set([...subs.map((s) => s.customerId), ...orders.filter((o) => o.status !== 'refunded').map((o) => o.customerId)])];
    return { subs, orders, customers };
  };

  const SUBS = 'externalId,customerId,plan,mrr,currency,status,startedAt,canceledAt\ns-a,c-a,pro,100,USD,active,2026-01-10,\ns-b,c-b,basic,50,USD,active,2026-01-05,\ns-e,c-e,basic,40,EUR,active,2026-02-14,\n';
  const ORDERS = 'externalId,customerId,placedAt,total,currency,status\no-1,c-c,2026-02-03,20,USD,paid\no-2,c-c,2026-02-20,25,USD,paid\no-3,c-d,2026-01-15,30,USD,paid\no-4,c-d,2026-03-02,30,USD,refunded\n';

  beforeAll(async () => {
    t = await createTestApp({ dialect, clock });
    ({ ws, owner } = await seedAlpha(t));
    viewer = await loginNewMember(t, ws, 'viewer@alpha.test', 'viewer');
    writeKey = await createWriteKey(t, ws);
    surveyA = await createSurvey('After support', [
      { id: 'nps', type: 'nps', text: { en: 'Recommend us?' }, required: true },
      { id: 'sat', type: 'csat', text: { en: 'Satisfied?' } },
      { id: 'effort', type: 'ces', text: { en: 'Easy?' } },
    ]);
    surveyB = await createSurvey('Onboarding', [{ id: 'nps', type: 'nps', text: { en: 'Recommend us?' } }]);

    for (const [label, survey, user, channel] of [
      ['r1', surveyA, 'u-1', 'link'],
      ['r2', surveyA, 'u-2', 'link'],
      ['r3', surveyA, 'u-3', 'api'],
      ['r4', surveyA, 'u-4', 'link'],
      ['r5', surveyB, 'u-5', 'link'],
      ['r6', surveyB, 'u-6', 'api'],
      ['r7', surveyA, 'u-7', 'link'],
      ['r8', surveyA, 'u-8', 'link'],
    ] as const) await link(label, survey, user, channel);

    // r8's delivery was caused by a tracked event naming the agent and team (as a trigger would make it).
    const track = await t.app.inject({ method: 'POST', url: '/v1/track', headers: { authorization: basicAuth(writeKey) }, payload: { userId: 'u-8', event: 'Ticket Solved', properties: { teamId: 'team-north', agentId: 'agent-3' } } });
    expect(track.statusCode, track.body).toBe(200);
    const event = await t.store.db.selectFrom('events').select('id').where('workspace_id', '=', ws).where('name', '=', 'Ticket Solved').executeTakeFirstOrThrow();
    await t.store.db.updateTable('survey_deliveries').set({ trigger_id: 'ticket-solved', event_id: event.id }).where('workspace_id', '=', ws).where('id', '=', tokens.get('r8')?.deliveryId as string).execute();

    // Week of Monday 1 June, then of 8 June.
    await answer('r1', MON_JUNE_1, { nps: 10, sat: 5, effort: 6 });
    await answer('r2', MON_JUNE_1 + 60_000, { nps: 9, sat: 4 });
    await answer('r3', MON_JUNE_1 + 120_000, { nps: 3, sat: 2, effort: 2 });
    await answer('r4', MON_JUNE_1 + DAY, { nps: 7, sat: 3 });
    await answer('r5', MON_JUNE_1 + DAY + 60_000, { nps: 0 });
    await answer('r6', MON_JUNE_1 + 7 * DAY, { nps: 6 });
    await answer('r7', MON_JUNE_1 + 7 * DAY + 60_000, { nps: 10, effort: 7 });
    await answer('r8', MON_JUNE_1 + 7 * DAY + 120_000, { nps: 9, sat: 5 });

    await upload('subscriptions', SUBS);
    await upload('orders', ORDERS);
    await follow();
  });
  afterAll(() => t.close());

  /** Compare a summary with the direct computation on the given scores. */
  function expectSummary(s: Summary, metric: 'nps' | 'csat' | 'ces', scores: number[]) {
    const d = direct(metric, scores);
    expect(s.n).toBe(d.n);
    expect(s.value).toBeCloseTo(d.value, 9);
    expect(s.low).toBeCloseTo(d.low, 9);
    expect(s.high).toBeCloseTo(d.high, 9);
    expect(s.mean).toBeCloseTo(d.mean, 9);
    if (d.n >= 2) expect(s.meanHigh).toBeCloseTo(Math.min(metric === 'nps' ? 10 : metric === 'csat' ? 5 : 7, d.mean + (Z * d.sd) / Math.sqrt(d.n)), 9);
  }

  const scoresOf = async (metric: 'nps' | 'csat' | 'ces', where: (r: Awaited<ReturnType<typeof rawResponses>>[number]) => boolean = () => true) =>
    (await rawResponses()).filter(where).flatMap((r) => (r[metric] === null ? [] : [r[metric] as number]));

  it('NPS, CSAT and CES over the range equal the definitions applied to the raw responses', async () => {
    for (const metric of ['nps', 'csat', 'ces'] as const) {
      const report = await getJson<Report>(`satisfaction?metric=${metric}&by=week&from=2026-06-01&to=2026-06-09`);
      expect(report.source).toBe('rollup');
      expectSummary(report.overall, metric, await scoresOf(metric));
    }
  });

  it('by week, survey and channel: each group equals its raw responses', async () => {
    const weeks = await getJson<Report>('satisfaction?metric=nps&by=week&from=2026-06-01&to=2026-06-14');
    expect(weeks.groups.map((g) => g.key)).toEqual(['2026-06-01T00:00:00.000Z', '2026-06-08T00:00:00.000Z']);
    const week2 = Date.UTC(2026, 5, 8);
    expectSummary(weeks.groups[0] as Group, 'nps', await scoresOf('nps', (r) => Number(r.created_at) < week2));
    expectSummary(weeks.groups[1] as Group, 'nps', await scoresOf('nps', (r) => Number(r.created_at) >= week2));

    const surveys = await getJson<Report>('satisfaction?metric=nps&by=survey&from=2026-06-01&to=2026-06-14');
    expect(surveys.groups.map((g) => [g.label, g.n])).toEqual([
      ['After support', 6],
      ['Onboarding', 2],
    ]);
    expectSummary(surveys.groups[1] as Group, 'nps', await scoresOf('nps', (r) => r.survey_id === surveyB));

    const channels = await getJson<Report>('satisfaction?metric=nps&by=channel&from=2026-06-01&to=2026-06-14');
    expect(Object.fromEntries(channels.groups.map((g) => [g.key, g.n]))).toEqual({ link: 6, api: 2 });
    const apiOnly = await getJson<Report>(`satisfaction?metric=nps&by=day&channel=api&survey=${surveyA}&from=2026-06-01&to=2026-06-02`);
    expect(apiOnly.overall.n).toBe(1);
    expect(apiOnly.groups.map((g) => g.n)).toEqual([1, 0]);
  });

  it('attributes answers: an importer names who served them; an event-triggered survey takes the event’s team and agent', async () => {
    await recordAttributions({ store: t.store, clock }, ws, [
      { responseId: ids.get('r1') as string, teamId: 'team-south', agentId: 'agent-1' },
      { responseId: ids.get('r2') as string, teamId: 'team-south', agentId: 'agent-2' },
    ]);
    const agents = await getJson<Report>('satisfaction?metric=nps&by=agent&from=2026-06-01&to=2026-06-14');
    const byAgent = Object.fromEntries(agents.groups.map((g) => [g.key, [g.n, g.teamId, g.value]]));
    expect(byAgent).toEqual({ '': [5, '', expect.any(Number)], 'agent-1': [1, 'team-south', 100], 'agent-2': [1, 'team-south', 100], 'agent-3': [1, 'team-north', 100] });
    expect(agents.groups.find((g) => g.key === '')?.label).toBe('Unattributed');
    const teams = await getJson<Report>('satisfaction?metric=csat&by=team&from=2026-06-01&to=2026-06-14');
    expect(Object.fromEntries(teams.groups.map((g) => [g.key, g.n]))).toEqual({ '': 2, 'team-south': 2, 'team-north': 1 });
    expect(agents.overall.n).toBe(8);
  });

  it('an edited answer moves its count from the old score to the new one', async () => {
    const before = await getJson<Report>('satisfaction?metric=nps&by=month&from=2026-06-01&to=2026-06-14');
    await answer('r3', NOW - DAY, { nps: 8 });
    await follow();
    const after = await getJson<Report>('satisfaction?metric=nps&by=month&from=2026-06-01&to=2026-06-14');
    expect(after.overall.n).toBe(before.overall.n);
    expect(after.overall.bottom).toBe(before.overall.bottom - 1);
    expect(after.overall.middle).toBe(before.overall.middle + 1);
    expectSummary(after.overall, 'nps', await scoresOf('nps'));
    // Still counted on its first day: an edit does not move an answer in time.
    const days = await getJson<Report>('satisfaction?metric=nps&by=day&from=2026-06-01&to=2026-06-01');
    expect(days.groups[0]?.n).toBe(3);
  });

  it('a batch interrupted between its rollup change and its cursor counts nothing; re-reading facts counts nothing twice', async () => {
    await answer('r5', NOW - DAY, { nps: 10 });
    await settled();
    await expect(
      consumeRollups(
        { store: t.store, clock },
        ws,
        {
          beforeCursor: () => {
            throw new Error('crash before the cursor moved');
          },
        },
      ),
    ).rejects.toThrow('crash');
    clock.set(NOW);
    const onboarding = () => getJson<Report>(`satisfaction?metric=nps&by=survey&survey=${surveyB}&from=2026-06-01&to=2026-06-14`);
    // r5 still counts as its old 0: the rollup change rolled back with the cursor.
    expect((await onboarding()).groups[0]).toMatchObject({ n: 2, top: 0, bottom: 2 });
    await follow();
    expect((await onboarding()).groups[0]).toMatchObject({ n: 2, top: 1, bottom: 1 });
    const done = await getJson<Report>('satisfaction?metric=nps&by=month&from=2026-06-01&to=2026-06-14');
    expectSummary(done.overall, 'nps', await scoresOf('nps'));

    // Every fact read again from the start (a cursor that never moved): nothing changes.
    await t.store.db.transaction().execute((trx) => writeCursor(trx, ws, 'insight.satisfaction', '', NOW));
    await follow();
    expect(await readCursor(t.store.db, ws, 'insight.satisfaction')).not.toBe('');
    expect(await getJson<Report>('satisfaction?metric=nps&by=month&from=2026-06-01&to=2026-06-14')).toEqual(done);
    // And a full reconciliation finds nothing to change.
    const report = await rebuildRollups({ store: t.store, clock }, ws);
    expect(report).toMatchObject({ responses: 8, changed: 0 });
  });

  it('a segment (customer traits) reads the responses themselves', async () => {
    for (const [user, plan] of [
      ['u-1', 'pro'],
      ['u-2', 'pro'],
      ['u-3', 'free'],
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/identify', headers: { authorization: basicAuth(writeKey) }, payload: { userId: user, traits: { plan } } });
      expect(res.statusCode).toBe(200);
    }
    await settled();
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, ws);
    clock.set(NOW);
    const pro = await getJson<Report>('satisfaction?metric=nps&by=week&segment=plan%3Apro&from=2026-06-01&to=2026-06-14');
    expect(pro.source).toBe('responses');
    expectSummary(pro.overall, 'nps', [10, 9]);
    const refused = await api('satisfaction?metric=nps&by=agent&segment=plan%3Apro');
    expect(refused.statusCode).toBe(400);
    expect(errorCode(refused)).toBe('VALIDATION_FAILED');
  });

  it('active customers, logo churn, GRR and NRR per month equal the definitions applied to the imported records', async () => {
    const check = async () => {
      const { subs, orders, customers } = await rawBilling();
      const report = await getJson<Customers>('customers?from=2026-01-01&to=2026-05-31');
      expect(report.months).toEqual({ first: '2026-01', last: '2026-05', count: 5 });
      expect(report.source).toBe('rollup');
      for (const point of report.trend.filter((p) => p.month >= '2026-01')) {
        const m = Number(point.month.slice(5));
        const active = customers.filter((c) => activeAt(c, subs, orders, 2026, m));
        const before = customers.filter((c) => activeAt(c, subs, orders, 2026, m - 1));
        const lost = before.filter((c) => !active.includes(c));
        expect([point.month, point.active, point.lost]).toEqual([point.month, active.length, lost.length]);
        expect(point.logoChurnPct).toBe(before.length ? (100 * lost.length) / before.length : null);
        const usd = point.revenue.find((r) => r.currency === 'USD');
        const start = customers.map((c) => mrrAt(c, 'USD', subs, 2026, m - 1));
        const end = customers.map((c) => mrrAt(c, 'USD', subs, 2026, m));
        const startSum = start.reduce((a, b) => a + b, 0);
        if (startSum > 0) {
          expect(usd?.grrPct).toBeCloseTo((100 * start.reduce((a, s, i) => a + (s > 0 ? Math.min(s, end[i] as number) : 0), 0)) / startSum, 9);
          expect(usd?.nrrPct).toBeCloseTo((100 * start.reduce((a, s, i) => a + (s > 0 ? (end[i] as number) : 0), 0)) / startSum, 9);
        }
        expect(usd?.mrrEnd ?? 0).toBe(end.reduce((a, b) => a + b, 0));
      }
      return report;
    };
    const first = await check();
    // Jan: a, b, d; from Feb: a, b, c, d, e (an order keeps a customer for twelve months).
    expect(first.trend.filter((p) => p.month >= '2026-01').map((p) => p.active)).toEqual([3, 5, 5, 5, 5]);
    expect(first.figures).toMatchObject({ activeStart: 0, activeEnd: 5, newCustomers: 5 });

    // The billing system re-sends c-b's subscription, cancelled on 20 April.
    await upload('subscriptions', 'externalId,customerId,plan,mrr,currency,status,startedAt,canceledAt\ns-b,c-b,basic,50,USD,canceled,2026-01-05,2026-04-20\n');
    await follow();
    const cancelled = await check();
    const april = cancelled.trend.find((p) => p.month === '2026-04');
    expect(april).toMatchObject({ active: 4, lost: 1 });
    expect(april?.revenue.find((r) => r.currency === 'USD')).toMatchObject({ mrrEnd: 100, grrPct: (100 * 100) / 150, nrrPct: (100 * 100) / 150 });

    // The same file again: idempotent on record ids, nothing moves.
    await upload('subscriptions', 'externalId,customerId,plan,mrr,currency,status,startedAt,canceledAt\ns-b,c-b,basic,50,USD,canceled,2026-01-05,2026-04-20\n');
    await follow();
    expect(await getJson<Customers>('customers?from=2026-01-01&to=2026-05-31')).toEqual(cancelled);
    expect((await rebuildRollups({ store: t.store, clock }, ws)).changed).toBe(0);

    // Over the quarter Feb–Apr: a, b, d active at the end of January, b gone by the end of April.
    const quarter = await getJson<Customers>('customers?from=2026-02-01&to=2026-04-30');
    expect(quarter.figures).toEqual({ activeStart: 3, activeEnd: 4, newCustomers: 2, lost: 1, logoChurnPct: 100 / 3 });
    expect(quarter.revenue.find((r) => r.currency === 'USD')).toEqual({ currency: 'USD', mrrStart: 150, mrrEnd: 100, grrPct: (100 * 100) / 150, nrrPct: (100 * 100) / 150 });
    expect(quarter.revenue.find((r) => r.currency === 'EUR')).toMatchObject({ mrrStart: 0, mrrEnd: 40, grrPct: null });
  });

  it('retention cohorts: the share of each first-purchase month that bought (or was subscribed) k months later', async () => {
    const { subs, orders, customers } = await rawBilling();
    const firstMonth = (c: string) =>
      Math.min(...subs.filter((s) => s.customerId === c).map((s) => s.startedAt), ...orders.filter((o) => o.customerId === c && o.status !== 'refunded').map((o) => o.placedAt));
    const cohorts = await getJson<Cohorts>('cohorts?from=2026-01&to=2026-02');
    expect(cohorts.upTo).toBe('2026-05');
    for (const row of cohorts.rows) {
      const m = Number(row.cohort.slice(5));
      const members = customers.filter((c) => new Date(firstMonth(c)).getUTCMonth() + 1 === m);
      expect(row.size).toBe(members.length);
      expect(row.cells.map((c) => c.active)).toEqual(Array.from({ length: 6 - m }, (_, k) => members.filter((c) => activeAt(c, subs, orders, 2026, m + k, 1)).length));
    }
    // January (a, b, d): d bought only in January, b left in April. February (c, e): c bought only in February.
    expect(cohorts.rows.map((r) => [r.cohort, r.size, r.cells.map((c) => c.sharePct)])).toEqual([
      ['2026-01', 3, [100, 200 / 3, 200 / 3, 100 / 3, 100 / 3]],
      ['2026-02', 2, [100, 50, 50, 50]],
    ]);
  });

  it('a billing segment is computed from the segment’s own records', async () => {
    await upload('contacts', 'externalId,email,country\nc-a,a@example.com,FR\nc-b,b@example.com,US\n');
    await settled();
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, ws);
    clock.set(NOW);
    const fr = await getJson<Customers>('customers?from=2026-03-01&to=2026-03-31&segment=country%3AFR');
    expect(fr.source).toBe('records');
    expect(fr.figures).toMatchObject({ activeStart: 1, activeEnd: 1, lost: 0 });
    expect(fr.revenue).toEqual([{ currency: 'USD', mrrStart: 100, mrrEnd: 100, grrPct: 100, nrrPct: 100 }]);
  });

  it('the home dashboard: the same figures as the reports, the period before, cohorts, SLA and room for CLV and at-risk', async () => {
    const home = await getJson<{
      from: string;
      to: string;
      previousFrom: string;
      sources: { satisfaction: string; customers: string };
      satisfaction: Record<'nps' | 'csat' | 'ces', { current: Summary; previous: Summary; trend: { start: string; n: number }[] }>;
      customers: { months: { first: string; last: string }; previousMonths: { first: string }; current: Customers['figures']; trend: Customers['trend'] };
      revenue: { currency: string | null; current: Revenue | null; byCurrency: { currency: string }[] };
      cohorts: Cohorts;
      sla: { current: { tasks: number; metPct: number | null; medianFirstContactMs: number | null } };
      clv: null;
      atRisk: null;
    }>('home?from=2026-06-01&to=2026-06-10');
    expect(home).toMatchObject({ from: '2026-06-01T00:00:00.000Z', to: '2026-06-11T00:00:00.000Z', previousFrom: '2026-05-22T00:00:00.000Z', sources: { satisfaction: 'rollup', customers: 'rollup' }, clv: null, atRisk: null });
    for (const metric of ['nps', 'csat', 'ces'] as const) {
      expectSummary(home.satisfaction[metric].current, metric, await scoresOf(metric));
      expect(home.satisfaction[metric].previous.n).toBe(0);
      expect(home.satisfaction[metric].trend.reduce((a, p) => a + p.n, 0)).toBe(home.satisfaction[metric].current.n);
    }
    // 1–10 June: its complete month is May.
    const may = await getJson<Customers>('customers?from=2026-05-01&to=2026-05-31');
    expect(home.customers.months).toEqual({ first: '2026-05', last: '2026-05', count: 1 });
    expect(home.customers.previousMonths.first).toBe('2026-04');
    expect(home.customers.current).toEqual(may.figures);
    expect(home.customers.trend).toEqual(may.trend);
    expect(home.revenue.currency).toBe('USD');
    expect(home.revenue.current).toEqual(may.revenue.find((r) => r.currency === 'USD'));
    expect(home.revenue.byCurrency.map((r) => r.currency)).toEqual(['USD', 'EUR']);
    expect(home.cohorts.rows.length).toBe(12);
    expect(home.cohorts.rows.find((r) => r.cohort === '2026-01')?.size).toBe(3);
    expect(home.sla.current).toMatchObject({ tasks: 0, metPct: null, medianFirstContactMs: null });
  });

  it('SLA on the home page: the follow-up reports’ own figures for the tasks started in the period', async () => {
    const HOUR = 3_600_000;
    const task = (i: number, started: number, contactedAfter: number | null) => ({
      workspace_id: ws, id: `tsk_insight_${i}`, rule_id: 'rul_x', policy_id: null, trigger_kind: 'new_lead', title: 'Call', priority: 'normal', status: contactedAfter === null ? 'open' : 'contacted',
      respondent_kind: 'user_id', respondent_value: `u-${i}`, customer_id: null, owner_user_id: null, team_id: null, source_type: 'event', source_id: `evt_x_${i}`, sla_plan: null,
      started_at: started, first_contact_due_at: started + HOUR, resolution_due_at: null, contacted_at: contactedAfter === null ? null : started + contactedAfter, contacted_by: null, resolved_at: null,
      paused_at: null, paused_ms: 0, first_breached_at: contactedAfter === null || contactedAfter > HOUR ? started + HOUR : null, resolution_breached_at: null, escalation_level: 0, clock_generation: 0, created_at: started, updated_at: started,
    });
    await t.store.db.insertInto('followup_tasks').values([task(1, MON_JUNE_1 + DAY, 20 * 60_000), task(2, MON_JUNE_1 + 2 * DAY, 2 * HOUR), task(3, MON_JUNE_1 + 3 * DAY, null), task(4, MON_JUNE_1 + 4 * DAY, 40 * 60_000)]).execute();
    // Written around the outbox: the SLA rollup is built by the backfill's walk.
    await rebuildRollups({ store: t.store, clock }, ws, { only: ['sla'] });
    const home = await getJson<{ sla: { current: Record<string, number | null> } }>('home?from=2026-06-01&to=2026-06-10');
    const range = 'from=2026-06-01T00:00:00.000Z&to=2026-06-11T00:00:00.000Z';
    const sla = (await t.app.inject({ url: `/api/workspaces/${ws}/followups/reports/sla?${range}`, headers: viewer.headers })).json() as { overall: { tasks: number; firstContact: Record<string, number | null> } };
    const speed = (await t.app.inject({ url: `/api/workspaces/${ws}/followups/reports/speed?${range}`, headers: viewer.headers })).json() as { overall: { contacted: number; wall: { medianMs: number; p90Ms: number } } };
    expect(home.sla.current).toEqual({
      tasks: 4,
      met: 2,
      missed: 2,
      n: 4,
      pending: 0,
      metPct: 50,
      contacted: 3,
      medianFirstContactMs: expect.closeTo(40 * 60_000, -4.5),
      p90FirstContactMs: expect.closeTo(speed.overall.wall.p90Ms, -4.5),
    });
    expect(Math.abs((home.sla.current.medianFirstContactMs as number) / (40 * 60_000) - 1)).toBeLessThanOrEqual(0.01);
    expect(Math.abs((home.sla.current.p90FirstContactMs as number) / speed.overall.wall.p90Ms - 1)).toBeLessThanOrEqual(0.01);
    expect([sla.overall.tasks, sla.overall.firstContact.metPct, speed.overall.contacted, speed.overall.wall.medianMs]).toEqual([4, 50, 3, 40 * 60_000]);
    await t.store.db.deleteFrom('followup_tasks').where('workspace_id', '=', ws).execute();
    await rebuildRollups({ store: t.store, clock }, ws, { only: ['sla'] });
  });

  it('an install upgrading: the first run’s backfill job builds from the data what the follower built as it arrived', async () => {
    const paths = ['home?from=2026-06-01&to=2026-06-10', 'satisfaction?metric=csat&by=agent&from=2026-06-01&to=2026-06-14', 'customers?from=2026-01-01&to=2026-05-31', 'cohorts?from=2026-01&to=2026-05'];
    const before = await Promise.all(paths.map((p) => getJson<unknown>(p)));
    // As before migration 0013: tables empty, never walked.
    for (const table of ['insight_answers', 'insight_satisfaction_days', 'insight_satisfaction_people_days', 'insight_billing_items', 'insight_customers', 'insight_customer_months', 'insight_retention', 'insight_cohorts', 'insight_sla_tasks', 'insight_sla_days'] as const) {
      await t.store.db.deleteFrom(table).where('workspace_id', '=', ws).execute();
    }
    await t.store.db.deleteFrom('workspace_settings').where('workspace_id', '=', ws).where('key', '=', BACKFILL_SETTING).execute();
    expect((await getJson<Customers>('customers?from=2026-01-01&to=2026-05-31')).figures.activeEnd).toBe(0);
    const queue = new JobQueue(t.store, { clock });
    const worker = new Worker(queue, { onlyRegisteredQueues: true });
    registerBackfill(worker, { store: t.store, clock });
    await startBackfill(queue, t.store);
    expect(await worker.runOnce()).toBe(1);
    expect(await Promise.all(paths.map((p) => getJson<unknown>(p)))).toEqual(before.map((b) => ({ ...(b as object), ...('asOf' in (b as object) ? { asOf: expect.any(String) } : {}) })));
    // Walked once: the next start queues nothing.
    await startBackfill(queue, t.store);
    expect(await worker.runOnce()).toBe(0);
  });

  it('refuses bad input with typed errors, and needs a member of the workspace', async () => {
    const backwards = await api('home?from=2026-06-10&to=2026-06-01');
    expect([backwards.statusCode, errorCode(backwards)]).toEqual([400, 'VALIDATION_FAILED']);
    const unknown = await api('satisfaction?metric=nps&survey=srv_nope');
    expect([unknown.statusCode, errorCode(unknown)]).toEqual([404, 'SURVEY_NOT_FOUND']);
    const tooLong = await api('customers?from=2023-01-01&to=2026-05-31');
    expect([tooLong.statusCode, errorCode(tooLong)]).toEqual([400, 'VALIDATION_FAILED']);
    const badMonth = await api('cohorts?from=2026-13');
    expect(badMonth.statusCode).toBe(400);
    const channelByTeam = await api('satisfaction?metric=csat&by=team&channel=link');
    expect(channelByTeam.statusCode).toBe(400);
    const anonymous = await t.app.inject({ url: `/api/workspaces/${ws}/insight/home` });
    expect(anonymous.statusCode).toBe(401);
    const spec = await t.app.inject({ url: '/api/openapi.json' });
    expect(Object.keys((spec.json() as { paths: Record<string, unknown> }).paths)).toEqual(expect.arrayContaining(['/api/workspaces/{workspaceId}/insight/home', '/api/workspaces/{workspaceId}/insight/satisfaction']));
  });
});
