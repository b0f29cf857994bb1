/**
 * Segment filters on the feedback reports: customers get traits through the tracking API
 * (`/v1/identify`), answer through the public survey API, and `segment=plan:pro` narrows the
 * response stream, its pages and CSV, trends, themes and the summary exactly as counted by
 * hand. Per trait the customer's newest value counts, across every profile of its tree; an
 * e-mail respondent is found by the graph's normalised address; a respondent whose customer is
 * merged later counts from then on.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatcher, customerOfIdentifier, resolvePending } from '../../src/modules/customers/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { basicAuth, createTestApp, createWriteKey, errorCode, loginAs, loginNewMember, seedWorkspace, type Session, type TestApp } from '../support/app.js';
import { answerByLink } from '../support/survey.js';

const DAY = 86_400_000;
const MON_NOV_2 = Date.UTC(2026, 10, 2, 9);

const survey = {
  defaultLanguage: 'en',
  questions: [
    { id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us?' }, required: true },
    { id: 'sat', type: 'csat', text: { en: 'How satisfied are you?' } },
  ],
};

interface Item {
  id: string;
  customerId: string | null;
  themes: string[];
  comment: string | null;
}
interface Page {
  responses: Item[];
  nextCursor: string | null;
}
interface Summary {
  n: number;
  value: number | null;
  mean: number | null;
}

describe.each(testDialects())('feedback segments on %s', (dialect) => {
  const clock = new ManualClock(MON_NOV_2 - 20 * DAY);
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let viewer: Session;
  let writeKey: string;
  let surveyId: string;
  /** Response id by label. */
  const ids = new Map<string, string>();

  const get = (path: string) => t.app.inject({ url: `/api/workspaces/${ws}/feedback/${path}`, headers: viewer.headers });
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await get(path);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };
  const seg = (...conditions: string[]) => conditions.map((c) => `segment=${encodeURIComponent(c)}`).join('&');
  const labelsOf = (items: { id: string }[]) => items.map((r) => [...ids].find(([, id]) => id === r.id)?.[0] ?? r.id);
  const labels = async (query: string) => labelsOf((await getJson<Page>(`responses?limit=200&${query}`)).responses);

  const settle = async () => {
    await awaitLogHorizon(t.store.db, dialect);
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, ws);
  };
  const identify = async (at: number, body: Record<string, unknown>) => {
    clock.set(at);
    const res = await t.app.inject({ method: 'POST', url: '/v1/identify', headers: { authorization: basicAuth(writeKey) }, payload: body });
    expect(res.statusCode, res.body).toBe(200);
  };
  async function respond(label: string, at: number, respondent: { kind: string; value: string }, answers: Record<string, unknown>): Promise<void> {
    clock.set(at);
    ids.set(label, await answerByLink(t.app, ws, owner, surveyId, respondent, answers));
  }
  const user = (value: string) => ({ kind: 'user_id', value });
  const at = (day: number, minute: number) => MON_NOV_2 + day * DAY + minute * 60_000;

  beforeAll(async () => {
    t = await createTestApp({ dialect, clock });
    const a = await seedWorkspace(t, 'Alpha', 'owner@alpha.test');
    ws = a.workspaceId;
    writeKey = await createWriteKey(t, ws);
    // Traits, through the tracking API.
    const early = MON_NOV_2 - 15 * DAY;
    await identify(early, { userId: 'u-1', traits: { plan: 'pro', country: 'FR' } });
    await identify(early + 1000, { userId: 'u-2', traits: { plan: 'pro', country: 'DE', seats: 12 } });
    await identify(early + 2000, { userId: 'u-3', traits: { plan: 'free', country: 'FR' } });
    await identify(early + 3000, { userId: 'u-4', traits: { plan: 'pro' } });
    await identify(early + 4000, { userId: 'u-4', traits: { plan: 'free' } }); // downgraded: the newest value counts
    await identify(early + 5000, { userId: 'u-ann', traits: { email: 'Ann.Lee@gmail.com', plan: 'pro', country: 'FR' } });
    await identify(early - 5 * DAY, { anonymousId: 'anon-6', traits: { plan: 'trial' } }); // older than u-6's plan
    await identify(early + 6000, { userId: 'u-6', traits: { plan: 'pro' } });
    await settle();

    // Sessions start later (they expire).
    clock.set(MON_NOV_2 - DAY);
    owner = await loginAs(t.app, a.ownerEmail);
    viewer = await loginNewMember(t, ws, 'viewer@alpha.test', 'viewer');
    const created = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/surveys`, headers: owner.headers, payload: { name: 'After support', definition: survey } });
    expect(created.statusCode, created.body).toBe(201);
    surveyId = (created.json() as { id: string }).id;
    const opened = await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}/surveys/${surveyId}`, headers: owner.headers, payload: { status: 'active' } });
    expect(opened.statusCode, opened.body).toBe(200);

    // Week of Monday 2 November.
    await respond('p1', at(0, 0), user('u-1'), { nps: 10, 'nps:why': 'Friendly staff, fast refund.', sat: 5 });
    await respond('p2', at(0, 1), user('u-2'), { nps: 9, sat: 4 });
    await respond('p3', at(1, 0), user('u-3'), { nps: 3, 'nps:why': 'The delivery was late and nobody called back.', sat: 2 });
    await respond('p4', at(1, 1), user('u-4'), { nps: 6, 'nps:why': 'late delivery' });
    // Week of Monday 9 November.
    await respond('p5', at(8, 0), { kind: 'email', value: 'ANN.LEE+survey@GMail.com' }, { nps: 8, 'nps:why': 'Kind staff', sat: 3 });
    await respond('p6', at(8, 1), { kind: 'anonymous_id', value: 'anon-6' }, { nps: 2, 'nps:why': 'Delivery was late again, the parcel arrived damaged.' });
    await respond('p7', at(8, 2), user('u-7'), { nps: 10 });
    await respond('p8', at(9, 0), user('u-1'), { nps: 7 });
    await settle();
    clock.set(at(12, 0));
  });
  afterAll(() => t.close());

  it('filters the response stream by one trait, several ANDed, numbers and the newest value', async () => {
    expect(await labels('from=2026-11-01')).toEqual(['p8', 'p7', 'p6', 'p5', 'p4', 'p3', 'p2', 'p1']);
    // anon-6 is not u-6 yet: its own (older) trait says trial.
    expect(await labels(seg('plan:pro'))).toEqual(['p8', 'p5', 'p2', 'p1']);
    expect(await labels(seg('plan:trial'))).toEqual(['p6']);
    expect(await labels(seg('plan:free'))).toEqual(['p4', 'p3']);
    expect(await labels(seg('country:FR'))).toEqual(['p8', 'p5', 'p3', 'p1']);
    expect(await labels(seg('plan:pro', 'country:FR'))).toEqual(['p8', 'p5', 'p1']);
    expect(await labels(seg('plan:pro', 'country:FR', 'seats:12'))).toEqual([]);
    expect(await labels(seg('seats:12'))).toEqual(['p2']);
    expect(await labels(seg('plan:Pro'))).toEqual([]); // values match exactly
    expect(await labels(seg('plan:enterprise'))).toEqual([]);
    // With the other filters.
    expect(await labels(`${seg('plan:pro')}&category=promoter`)).toEqual(['p2', 'p1']);
    expect(await labels(`${seg('country:FR')}&from=2026-11-09`)).toEqual(['p8', 'p5']);
    expect(await labels(`${seg('country:FR')}&theme=${encodeURIComponent('delivery time')}`)).toEqual(['p3']);
  });

  it('finds an e-mail respondent by the normalised address the identity graph keys', async () => {
    const page = await getJson<Page>(`responses?${seg('plan:pro')}`);
    const ann = await customerOfIdentifier(t.store.db, ws, 'user_id', 'u-ann');
    expect(ann?.traits).toMatchObject({ plan: 'pro' });
    expect(page.responses.find((r) => r.id === ids.get('p5'))?.customerId).toBe(ann?.customerId);
  });

  it('pages a segment with a cursor, in SQL: full pages, nothing repeated or skipped', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await getJson<Page>(`responses?limit=2&${seg('plan:pro')}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      sizes.push(page.responses.length);
      seen.push(...labelsOf(page.responses).map(String));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([2, 2]);
    expect(seen).toEqual(['p8', 'p5', 'p2', 'p1']);
  });

  it('exports the segment as CSV', async () => {
    const res = await get(`responses.csv?${seg('plan:pro', 'country:FR')}`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.response_id)).toEqual(['p8', 'p5', 'p1'].map((l) => ids.get(l)));
    expect(rows.map((r) => r.nps)).toEqual(['7', '8', '10']);
  });

  it('summarises and trends the segment as counted by hand', async () => {
    const s = await getJson<{ responses: number; nps: Summary; csat: Summary }>(`summary?from=2026-11-01&to=2026-11-30&${seg('plan:pro')}`);
    // NPS 7, 8, 9, 10: two promoters, no detractor of four → 50; CSAT 5, 4, 3: two of three satisfied.
    expect(s.responses).toBe(4);
    expect(s.nps).toMatchObject({ n: 4, value: 50, mean: 8.5 });
    expect(s.csat.n).toBe(3);
    expect(s.csat.value).toBeCloseTo(200 / 3, 9);
    expect(s.csat.mean).toBe(4);
    const free = await getJson<{ responses: number; nps: Summary }>(`summary?from=2026-11-01&to=2026-11-30&${seg('plan:free')}`);
    // 3 and 6: two detractors.
    expect(free).toMatchObject({ responses: 2, nps: { n: 2, value: -100, mean: 4.5 } });

    const weeks = await getJson<{ points: ({ start: string } & Summary)[]; overall: Summary }>(`trends?metric=nps&period=week&from=2026-11-02&to=2026-11-15&${seg('plan:pro')}`);
    // Week 1: 10, 9 → 100; week 2: 8, 7 → 0.
    expect(weeks.points.map((p) => [p.start.slice(0, 10), p.n, p.value])).toEqual([
      ['2026-11-02', 2, 100],
      ['2026-11-09', 2, 0],
    ]);
    expect(weeks.overall).toMatchObject({ n: 4, value: 50 });
  });

  it('counts themes and example quotes of the segment only', async () => {
    type Themes = { commented: number; previousCommented: number; themes: { theme: string; count: number; examples: { responseId: string }[] }[] };
    const all = await getJson<Page>('responses?limit=200');
    const expected = (members: string[]) => {
      const counts = new Map<string, number>();
      for (const r of all.responses) if (members.includes(labelsOf([r])[0] as string)) for (const th of r.themes) counts.set(th, (counts.get(th) ?? 0) + 1);
      return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    };
    const fr = await getJson<Themes>(`themes?from=2026-11-02&to=2026-11-15&${seg('country:FR')}`);
    // p1, p3 and p5 have a comment (p8 has none).
    expect(fr.commented).toBe(3);
    expect(fr.themes.map((x) => [x.theme, x.count])).toEqual(expected(['p1', 'p3', 'p5', 'p8']));
    expect(fr.themes.find((x) => x.theme === 'delivery time')).toMatchObject({ count: 1, examples: [{ responseId: ids.get('p3') }] });
    const examples = fr.themes.flatMap((x) => x.examples.map((e) => e.responseId));
    expect(examples.every((id) => ['p1', 'p3', 'p5'].map((l) => ids.get(l)).includes(id))).toBe(true);

    const free = await getJson<Themes>(`themes?from=2026-11-02&to=2026-11-15&${seg('plan:free')}`);
    expect(free.commented).toBe(2);
    expect(free.themes.find((x) => x.theme === 'delivery time')?.count).toBe(2);
  });

  it('counts a respondent whose customer is merged later, with the newest trait of the merged tree', async () => {
    expect(await labels(seg('plan:trial'))).toEqual(['p6']);
    // The tracking API learns that anon-6 is u-6: the two profiles merge.
    await identify(at(12, 5), { anonymousId: 'anon-6', userId: 'u-6' });
    await settle();
    const anon = await customerOfIdentifier(t.store.db, ws, 'anonymous_id', 'anon-6');
    const u6 = await customerOfIdentifier(t.store.db, ws, 'user_id', 'u-6');
    expect(anon?.customerId).toBe(u6?.customerId);

    expect(await labels(seg('plan:pro'))).toEqual(['p8', 'p6', 'p5', 'p2', 'p1']);
    expect(await labels(seg('plan:trial'))).toEqual([]); // u-6's plan is newer than anon-6's
    const s = await getJson<{ responses: number; nps: Summary }>(`summary?from=2026-11-01&to=2026-11-30&${seg('plan:pro')}`);
    expect(s.nps).toMatchObject({ n: 5, value: 20 }); // 7, 2, 8, 9, 10: two promoters, one detractor
    const csv = parse((await get(`responses.csv?${seg('plan:pro')}`)).body, { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(5);
    expect(csv[1]?.customer_id).toBe(u6?.customerId);
  });

  it('refuses malformed segments with a clear message', async () => {
    const cases: [string, string][] = [
      [`responses?${seg('plan')}`, 'trait:value'],
      [`responses?${seg('pl an:pro')}`, 'trait:value'],
      [`responses?${seg(`plan:${'x'.repeat(201)}`)}`, 'trait:value'],
      [`summary?${seg('a:1', 'b:2', 'c:3', 'd:4', 'e:5', 'f:6')}`, 'at most 5'],
      [`trends?metric=nps&${seg(':pro')}`, 'trait:value'],
    ];
    for (const [path, words] of cases) {
      const res = await get(path);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(400);
      expect(errorCode(res), path).toBe('VALIDATION_FAILED');
      expect(res.body, path).toContain(words);
    }
    // A value may hold colons: everything after the first one.
    expect((await get(`responses?${seg('url:https://example.com')}`)).statusCode).toBe(200);
  });

  it('documents segment on every report route', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> };
    for (const path of ['responses', 'responses.csv', 'trends', 'themes', 'summary']) {
      expect(doc.paths[`/api/workspaces/{workspaceId}/feedback/${path}`]?.get?.parameters?.map((p) => p.name), path).toContain('segment');
    }
  });
});
