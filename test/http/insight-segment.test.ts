/**
 * The home page's satisfaction for a segment of customers, on a real database: answers through
 * the public survey API, traits through the tracking API, identities resolved as the job does.
 * The segment is evaluated once and its answers read by either plan (the range's answers kept
 * when the respondent is in the segment, or each identifier's answers probed): both plans give
 * the same counts, and the home's figures equal the answers of the segment's customers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatcher, resolvePending, segmentMembers } from '../../src/modules/customers/index.js';
import { segmentScoreDays } from '../../src/modules/feedback/index.js';
import { consumeRollups } from '../../src/modules/insight/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { basicAuth, createTestApp, createWriteKey, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 30, 12);

/** Who answered what, how many days before NOW, and on which plan. */
const ANSWERS = [
  { user: 'u-1', plan: 'pro', daysAgo: 3, nps: 10, csat: 5, ces: 7 },
  { user: 'u-2', plan: 'free', daysAgo: 3, nps: 2, csat: 1, ces: 2 },
  { user: 'u-3', plan: 'pro', daysAgo: 12, nps: 6, csat: 4, ces: null },
  { user: 'u-4', plan: 'free', daysAgo: 20, nps: 9, csat: 5, ces: 6 },
  { user: 'u-5', plan: 'pro', daysAgo: 45, nps: 0, csat: 2, ces: 1 },
  { user: 'u-6', plan: 'pro', daysAgo: 200, nps: 9, csat: 3, ces: 5 },
];

describe.each(testDialects())('insight home for a segment on %s', (dialect) => {
  const clock = new ManualClock(NOW - 300 * DAY);
  let t: TestApp;
  let ws: string;
  let owner: Session;

  beforeAll(async () => {
    t = await createTestApp({ dialect, clock });
    ws = (await seedWorkspace(t, 'Segments', 'owner@segments.test')).workspaceId;
    const writeKey = await createWriteKey(t, ws);
    owner = await loginAs(t.app, 'owner@segments.test');
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/workspaces/${ws}/surveys`,
      headers: owner.headers,
      payload: {
        name: 'Relationship',
        definition: {
          defaultLanguage: 'en',
          questions: (['nps', 'csat', 'ces'] as const).map((type) => ({ id: type, type, text: { en: type }, required: type !== 'ces' })),
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const survey = (created.json() as { id: string }).id;
    await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}/surveys/${survey}`, headers: owner.headers, payload: { status: 'active' } });
    for (const a of ANSWERS) {
      clock.set(NOW - a.daysAgo * DAY);
      owner = await loginAs(t.app, 'owner@segments.test');
      const link = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/surveys/${survey}/links`, headers: owner.headers, payload: { respondent: { kind: 'user_id', value: a.user } } });
      expect(link.statusCode, link.body).toBe(201);
      const answers = { nps: a.nps, csat: a.csat, ...(a.ces === null ? {} : { ces: a.ces }) };
      const res = await t.app.inject({ method: 'POST', url: `/s/api/${survey}/answers`, payload: { token: (link.json() as { token: string }).token, answers, finished: true } });
      expect(res.statusCode, res.body).toBe(200);
    }
    clock.set(NOW);
    owner = await loginAs(t.app, 'owner@segments.test');
    for (const a of ANSWERS) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/identify', headers: { authorization: basicAuth(writeKey) }, payload: { userId: a.user, traits: { plan: a.plan } } });
      expect(res.statusCode, res.body).toBe(200);
    }
    await awaitLogHorizon(t.store.db, dialect);
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, ws);
    await consumeRollups({ store: t.store, clock }, ws);
  }, 60_000);

  afterAll(() => t?.close());

  it('reads the same counts by either plan', async () => {
    const members = await segmentMembers(t.store.db, ws, [{ key: 'plan', value: 'pro' }]);
    expect([...(members.byKind.get('user_id') ?? [])].sort()).toEqual(['u-1', 'u-3', 'u-5', 'u-6']);
    const range = { workspaceId: ws, from: NOW - 60 * DAY, to: NOW + DAY };
    const sorted = (rows: Awaited<ReturnType<typeof segmentScoreDays>>) => [...rows].sort((a, b) => a.day - b.day);
    const byRange = sorted(await segmentScoreDays(t.store.db, dialect, { ...range, answersInRange: 0 }, members));
    const byProbe = sorted(await segmentScoreDays(t.store.db, dialect, { ...range, answersInRange: 1e9 }, members));
    const byPlanner = sorted(await segmentScoreDays(t.store.db, dialect, range, members));
    const day = (daysAgo: number) => Math.floor((NOW - daysAgo * DAY) / DAY);
    const expected = [
      { day: day(45), nps: 0, csat: 2, ces: 1, n: 1 },
      { day: day(12), nps: 6, csat: 4, ces: null, n: 1 },
      { day: day(3), nps: 10, csat: 5, ces: 7, n: 1 },
    ];
    expect(byRange).toEqual(expected);
    expect(byProbe).toEqual(expected);
    expect(byPlanner).toEqual(expected);
  });

  it('shows the segment’s own satisfaction on the home page, for every period', async () => {
    const home = async (from: string, to: string, segment?: string) => {
      const res = await t.app.inject({ url: `/api/workspaces/${ws}/insight/home?from=${from}&to=${to}${segment ? `&segment=${encodeURIComponent(segment)}` : ''}`, headers: owner.headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { sources: { satisfaction: string }; satisfaction: Record<'nps' | 'csat' | 'ces', { current: { n: number; value: number | null }; previous: { n: number } }> };
    };
    // The last 30 days (1 to 30 June): u-1 (10) and u-3 (6) of the pro plan; the 30 days before: u-5 (0).
    const pro = await home('2026-06-01', '2026-06-30', 'plan:pro');
    expect(pro.sources.satisfaction).toBe('responses');
    expect(pro.satisfaction.nps.current).toMatchObject({ n: 2, value: 0 });
    expect(pro.satisfaction.csat.current).toMatchObject({ n: 2, value: 100 });
    expect(pro.satisfaction.ces.current).toMatchObject({ n: 1, value: 100 });
    expect(pro.satisfaction.nps.previous.n).toBe(1);
    // The last 12 months add u-6 (9): NPS (2 promoters − 2 detractors) / 4.
    const year = await home('2025-07-01', '2026-06-30', 'plan:pro');
    expect(year.satisfaction.nps.current).toMatchObject({ n: 4, value: 0 });
    expect(year.satisfaction.csat.current).toMatchObject({ n: 4, value: 50 });
    // Without the segment: every answer of the 30 days, from the rollups.
    const all = await home('2026-06-01', '2026-06-30');
    expect(all.sources.satisfaction).toBe('rollup');
    expect(all.satisfaction.nps.current.n).toBe(4);
  });
});
