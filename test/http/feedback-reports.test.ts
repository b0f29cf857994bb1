/**
 * Feedback reports over HTTP: answers given through the public API on different days (a
 * ManualClock), then the response stream with its filters and keyset pages, the CSV export,
 * NPS / CSAT / CES summaries and trends checked against a hand computation, and themes.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatcher, customerOfIdentifier, resolvePending } from '../../src/modules/customers/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { createTestApp, errorCode, loginNewMember, seedAlpha, type Session, type TestApp } from '../support/app.js';
import { answerByLink } from '../support/survey.js';

const DAY = 86_400_000;
const MON_NOV_2 = Date.UTC(2026, 10, 2, 9);
const Z95 = 1.959963984540054;

const afterSupport = {
  defaultLanguage: 'en',
  questions: [
    { id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us?' }, required: true },
    { id: 'sat', type: 'csat', text: { en: 'How satisfied are you?' } },
    { id: 'effort', type: 'ces', text: { en: 'We made it easy.' } },
  ],
};
const onboarding = { defaultLanguage: 'en', questions: [{ id: 'nps', type: 'nps', text: { en: 'Recommend us?' } }] };

const HOSTILE = '<script>window.__pwned=1</script> <img src=x onerror=alert(1)>, "quoted", and a comma';
const FORMULA = '=HYPERLINK("http://evil.example","click")';
const LONG = 'Great coffee every morning. '.repeat(110); // 3 080 characters

interface Item {
  id: string;
  surveyId: string;
  surveyName: string | null;
  respondent: { kind: string; value: string };
  customerId: string | null;
  scores: { nps: number | null; csat: number | null; ces: number | null };
  categories: { nps: string | null };
  comment: string | null;
  commentTruncated: boolean;
  commentLength: number;
  sentiment: { score: number; label: string } | null;
  themes: string[];
  createdAt: string;
}
interface Page {
  responses: Item[];
  nextCursor: string | null;
}
interface Summary {
  n: number;
  value: number | null;
  low: number | null;
  high: number | null;
  mean: number | null;
}

/** NPS and its 95 % interval as PRODUCT.md defines them, from the scores themselves. */
function handNps(scores: number[]): { value: number; low: number; high: number } {
  const n = scores.length;
  const pP = scores.filter((s) => s >= 9).length / n;
  const pD = scores.filter((s) => s <= 6).length / n;
  const value = 100 * (pP - pD);
  const se = 100 * Math.sqrt((pP + pD - (pP - pD) ** 2) / n);
  return { value, low: Math.max(-100, value - Z95 * se), high: Math.min(100, value + Z95 * se) };
}

describe.each(testDialects())('feedback reports on %s', (dialect) => {
  const clock = new ManualClock(MON_NOV_2 - DAY);
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let viewer: Session;
  let surveyA: string;
  let surveyB: string;
  /** Response id by label (r1 … r10, b1). */
  const ids = new Map<string, string>();

  const feedback = () => `/api/workspaces/${ws}/feedback`;
  const get = (path: string, session: Session = viewer) => t.app.inject({ url: `${feedback()}/${path}`, headers: session.headers });
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await get(path);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };

  async function createSurvey(name: string, definition: unknown): Promise<string> {
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/surveys`, headers: owner.headers, payload: { name, definition } });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { id: string }).id;
    const opened = await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}/surveys/${id}`, headers: owner.headers, payload: { status: 'active' } });
    expect(opened.statusCode, opened.body).toBe(200);
    return id;
  }

  async function respond(label: string, surveyId: string, at: number, respondent: { kind: string; value: string }, answers: Record<string, unknown>): Promise<void> {
    clock.set(at);
    ids.set(label, await answerByLink(t.app, ws, owner, surveyId, respondent, answers));
  }

  const user = (value: string) => ({ kind: 'user_id', value });
  const at = (day: number, minute: number) => MON_NOV_2 + day * DAY + minute * 60_000;

  beforeAll(async () => {
    t = await createTestApp({ dialect, clock });
    ({ ws, owner } = await seedAlpha(t));
    viewer = await loginNewMember(t, ws, 'viewer@alpha.test', 'viewer');
    surveyA = await createSurvey('After support', afterSupport);
    surveyB = await createSurvey('Onboarding "Q4" / Café', onboarding);

    // Week of Monday 2 November.
    await respond('r1', surveyA, at(0, 0), user('u-1'), { nps: 10, 'nps:why': 'Friendly staff, fast refund.', sat: 5, effort: 6 });
    await respond('r2', surveyA, at(0, 1), user('u-2'), { nps: 9, sat: 4 });
    await respond('r3', surveyA, at(0, 2), user('u-3'), { nps: 3, 'nps:why': 'The delivery was late and nobody called back.', sat: 2, effort: 2 });
    await respond('r4', surveyA, at(1, 0), user('u-4'), { nps: 7, sat: 3 });
    await respond('r5', surveyA, at(1, 1), user('u-5'), { nps: 0, 'nps:why': FORMULA, sat: 1 });
    await respond('r6', surveyA, at(1, 2), { kind: 'email', value: 'Ada.Lovelace@Babbage.co.uk' }, { nps: 6, 'nps:why': 'Delivery was late again, the parcel arrived damaged.' });
    await respond('b1', surveyB, at(1, 3), user('u-b1'), { nps: 2, 'nps:why': '-1 star: the price is too high' });
    // Week of Monday 9 November.
    await respond('r7', surveyA, at(8, 0), user('u-7'), { nps: 10, 'nps:why': 'Kind staff' });
    await respond('r8', surveyA, at(8, 1), user('u-8'), { nps: 5, 'nps:why': 'late delivery' });
    await respond('r9', surveyA, at(8, 2), user('u-9'), { nps: 8, 'nps:why': HOSTILE });
    await respond('r10', surveyA, at(8, 3), user('u-10'), { nps: 9, 'nps:why': LONG });

    // The identity graph learns who Ada is (from her own answer's silo record).
    await awaitLogHorizon(t.store.db, dialect);
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, ws);
    clock.set(at(12, 0));
  });
  afterAll(() => t.close());

  const labelsOf = (page: Page) => page.responses.map((r) => [...ids].find(([, id]) => id === r.id)?.[0]);

  it('lists every response newest first, with survey, scores, themes, sentiment and the customer', async () => {
    const page = await getJson<Page>('responses?from=2026-11-01');
    expect(labelsOf(page)).toEqual(['r10', 'r9', 'r8', 'r7', 'b1', 'r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
    expect(page.nextCursor).toBeNull();
    const byLabel = (label: string) => page.responses.find((r) => r.id === ids.get(label)) as Item;

    expect(byLabel('r1')).toMatchObject({ surveyName: 'After support', scores: { nps: 10, csat: 5, ces: 6 }, categories: { nps: 'promoter' }, comment: 'Friendly staff, fast refund.', commentTruncated: false });
    expect(byLabel('r1').themes).toEqual(['friendly staff', 'refund']);
    expect(byLabel('r3').sentiment?.label).toBe('negative');
    expect(byLabel('b1')).toMatchObject({ surveyId: surveyB, surveyName: 'Onboarding "Q4" / Café', categories: { nps: 'detractor' } });
    expect(byLabel('r9').comment).toBe(HOSTILE);

    const ada = await customerOfIdentifier(t.store.db, ws, 'email', 'Ada.Lovelace@Babbage.co.uk');
    expect(ada?.customerId).toMatch(/^prf_/);
    expect(byLabel('r6')).toMatchObject({ respondent: { kind: 'email', value: 'Ada.Lovelace@Babbage.co.uk' }, customerId: ada?.customerId });
    // Every answer reaches the identity graph as a silo record: the batched lookup agrees with the customers module's own.
    for (const r of page.responses) expect(r.customerId, r.respondent.value).toBe((await customerOfIdentifier(t.store.db, ws, r.respondent.kind, r.respondent.value))?.customerId ?? null);
    expect(new Set(page.responses.map((r) => r.customerId)).size).toBe(11);

    // A long comment is cut in the list, with a flag and its full length.
    const long = byLabel('r10');
    expect(long.comment).toHaveLength(2000);
    expect(long).toMatchObject({ commentTruncated: true, commentLength: LONG.trim().length });
  });

  it('pages with a cursor without repeating or skipping a response', async () => {
    const all = await getJson<Page>('responses?limit=200');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await getJson<Page>(`responses?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.responses.length).toBeLessThanOrEqual(3);
      seen.push(...page.responses.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual(all.responses.map((r) => r.id));
    expect(new Set(seen).size).toBe(11);
  });

  it('filters by survey, dates, category, score, theme and sentiment', async () => {
    const labels = async (query: string) => labelsOf(await getJson<Page>(`responses?${query}`));
    expect(await labels(`survey=${surveyB}`)).toEqual(['b1']);
    expect(await labels('from=2026-11-03&to=2026-11-03')).toEqual(['b1', 'r6', 'r5', 'r4']);
    expect(await labels('from=2026-11-03T09:01:00Z&to=2026-11-03T09:03:00Z')).toEqual(['r6', 'r5']);
    expect(await labels('category=detractor')).toEqual(['r8', 'b1', 'r6', 'r5', 'r3']);
    expect(await labels(`category=promoter&survey=${surveyA}`)).toEqual(['r10', 'r7', 'r2', 'r1']);
    expect(await labels('metric=csat&category=satisfied')).toEqual(['r2', 'r1']);
    expect(await labels('metric=csat&maxScore=3')).toEqual(['r5', 'r4', 'r3']);
    expect(await labels('metric=ces')).toEqual(['r3', 'r1']);
    expect(await labels('metric=nps&minScore=7&maxScore=8')).toEqual(['r9', 'r4']);
    expect(await labels(`theme=${encodeURIComponent('delivery time')}`)).toEqual(['r8', 'r6', 'r3']);
    expect(await labels(`theme=${encodeURIComponent('delivery time')}&from=2026-11-09`)).toEqual(['r8']);

    const all = await getJson<Page>('responses?limit=200');
    const negative = all.responses.filter((r) => r.sentiment?.label === 'negative').map((r) => r.id);
    expect(negative.length).toBeGreaterThanOrEqual(2);
    expect((await getJson<Page>('responses?sentiment=negative')).responses.map((r) => r.id)).toEqual(negative);
  });

  it('refuses bad queries with a clear message', async () => {
    const cases: [string, string][] = [
      ['responses?minScore=5', 'need a metric'],
      ['responses?from=yesterday', 'ISO date'],
      ['responses?from=2026-11-10&to=2026-11-01', 'from must not be after to'],
      ['responses?limit=1000', 'limit'],
      ['responses?metric=csat&category=promoter', 'NPS category'],
      ['responses?cursor=not-a-cursor', 'cursor'],
      ['responses?colour=red', 'colour'],
      ['trends?metric=nps&period=day&from=2024-01-01&to=2026-01-01', 'at most 400'],
      ['trends?metric=happiness', 'metric'],
      ['themes?to=2026-13-45', 'ISO date'],
    ];
    for (const [path, words] of cases) {
      const res = await get(path);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(400);
      expect(errorCode(res), path).toBe('VALIDATION_FAILED');
      expect(res.body, path).toContain(words);
    }
  });

  it('summarises NPS, CSAT and CES with n, the mean and the interval computed by hand', async () => {
    const s = await getJson<{ responses: number; nps: Summary; csat: Summary; ces: Summary }>(`summary?survey=${surveyA}&from=2026-11-01&to=2026-11-30`);
    expect(s.responses).toBe(10);
    const nps = handNps([10, 9, 3, 7, 0, 6, 10, 5, 8, 9]);
    // Four promoters and four detractors of ten: NPS 0 ± 1.96 · 100 · √(0.8 / 10).
    expect(nps.value).toBeCloseTo(0, 9);
    expect(nps.high).toBeCloseTo(55.44, 2);
    expect(s.nps.n).toBe(10);
    expect(s.nps.value).toBeCloseTo(nps.value, 9);
    expect(s.nps.low).toBeCloseTo(nps.low, 9);
    expect(s.nps.high).toBeCloseTo(nps.high, 9);
    expect(s.nps.mean).toBeCloseTo(6.7, 9);
    // CSAT 5, 4, 2, 3, 1: two of five satisfied; CES 6 and 2: one of two at 5–7.
    expect(s.csat).toMatchObject({ n: 5, value: 40, mean: 3 });
    expect(s.csat.low).toBe(0); // 40 − 1.96 · 21.9 is below the scale: clamped
    expect(s.csat.high).toBeCloseTo(40 + Z95 * 100 * Math.sqrt((0.4 * 0.6) / 5), 9);
    expect(s.ces).toMatchObject({ n: 2, value: 50, mean: 4 });

    const empty = await getJson<{ responses: number; nps: Summary }>('summary?from=2020-01-01&to=2020-01-31');
    expect(empty).toMatchObject({ responses: 0, nps: { n: 0, value: null, low: null, high: null } });
  });

  it('trends NPS per week and per day with its band, and per month from the start of the month', async () => {
    const weeks = await getJson<{ points: ({ start: string } & Summary)[]; overall: Summary }>(`trends?metric=nps&period=week&survey=${surveyA}&from=2026-11-02&to=2026-11-15`);
    expect(weeks.points.map((p) => p.start)).toEqual(['2026-11-02T00:00:00.000Z', '2026-11-09T00:00:00.000Z']);
    const w1 = weeks.points[0] as Summary;
    const w2 = weeks.points[1] as Summary;
    const h1 = handNps([10, 9, 3, 7, 0, 6]);
    const h2 = handNps([10, 5, 8, 9]);
    expect(w1.n).toBe(6);
    expect(w1.value).toBeCloseTo(-16.667, 3);
    expect(w1.low).toBeCloseTo(h1.low, 9);
    expect(w1.high).toBeCloseTo(h1.high, 9);
    expect(w2).toMatchObject({ n: 4, value: 25 });
    expect(w2.low).toBeCloseTo(h2.low, 9);
    expect(weeks.overall.n).toBe(10);

    const days = await getJson<{ points: ({ start: string } & Summary)[] }>('trends?metric=nps&period=day&from=2026-11-02&to=2026-11-10');
    expect(days.points).toHaveLength(9);
    expect(days.points.map((p) => p.n)).toEqual([3, 4, 0, 0, 0, 0, 0, 0, 4]);
    expect(days.points[2]).toMatchObject({ start: '2026-11-04T00:00:00.000Z', value: null, low: null });

    // A range that starts mid-week still shows whole weeks.
    const midWeek = await getJson<{ from: string; points: { start: string }[] }>('trends?metric=nps&period=week&from=2026-11-04&to=2026-11-10');
    expect(midWeek.from).toBe('2026-11-02T00:00:00.000Z');
    expect(midWeek.points.map((p) => p.start)).toEqual(['2026-11-02T00:00:00.000Z', '2026-11-09T00:00:00.000Z']);

    const months = await getJson<{ points: ({ start: string } & Summary)[] }>('trends?metric=csat&period=month&from=2026-10-15&to=2026-11-30');
    expect(months.points.map((p) => [p.start, p.n, p.value])).toEqual([
      ['2026-10-01T00:00:00.000Z', 0, null],
      ['2026-11-01T00:00:00.000Z', 5, 40],
    ]);
  });

  it('counts themes with their share, sentiment, trend and short example quotes', async () => {
    type Themes = {
      commented: number;
      previousCommented: number;
      themes: { theme: string; count: number; share: number; meanSentiment: number | null; previousCount: number; trend: string; examples: { responseId: string; comment: string }[] }[];
    };
    const wide = await getJson<Themes>(`themes?survey=${surveyA}&from=2026-11-02&to=2026-11-15`);
    expect(wide.commented).toBe(8);
    expect(wide.themes.map((x) => [x.theme, x.count, x.trend])).toEqual([
      ['delivery time', 3, 'new'],
      ['friendly staff', 2, 'new'],
      ['quality', 1, 'new'],
      ['refund', 1, 'new'],
    ]);
    const delivery = wide.themes[0];
    expect(delivery?.share).toBeCloseTo(3 / 8, 9);
    expect(delivery?.examples.map((e) => e.responseId)).toEqual([ids.get('r8'), ids.get('r6'), ids.get('r3')]);
    expect(delivery?.examples[0]?.comment).toBe('late delivery');
    const list = await getJson<Page>(`responses?theme=${encodeURIComponent('delivery time')}`);
    const mean = list.responses.reduce((sum, r) => sum + (r.sentiment?.score ?? 0), 0) / list.responses.length;
    expect(delivery?.meanSentiment).toBeCloseTo(mean, 6);

    // The second week against the first: delivery falls from 2 of 4 comments to 1 of 4; staff holds at 1 of 4.
    const week = await getJson<Themes>(`themes?survey=${surveyA}&from=2026-11-09&to=2026-11-15`);
    expect(week).toMatchObject({ commented: 4, previousCommented: 4 });
    expect(week.themes.map((x) => [x.theme, x.count, x.previousCount, x.trend])).toEqual([
      ['delivery time', 1, 2, 'down'],
      ['friendly staff', 1, 1, 'flat'],
    ]);
    // Long comments are never quoted.
    expect(JSON.stringify(week)).not.toContain('Great coffee');
  });

  it('exports the filtered responses as CSV, whole, with formula cells neutralised and a safe file name', async () => {
    const res = await get(`responses.csv?survey=${surveyB}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="responses-onboarding-q4-cafe-2026-11-14.csv"');
    const b = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ survey_name: 'Onboarding "Q4" / Café', nps: '2', comment: "'-1 star: the price is too high", respondent: 'u-b1' });

    const all = await get(`responses.csv?survey=${surveyA}`);
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-disposition']).toBe('attachment; filename="responses-after-support-2026-11-14.csv"');
    const rows = parse(all.body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.response_id)).toEqual(['r10', 'r9', 'r8', 'r7', 'r6', 'r5', 'r4', 'r3', 'r2', 'r1'].map((l) => ids.get(l)));
    const row = (label: string) => rows.find((r) => r.response_id === ids.get(label)) as Record<string, string>;
    expect(row('r5').comment).toBe(`'${FORMULA}`);
    expect(row('r9').comment).toBe(HOSTILE);
    expect(row('r10').comment).toBe(LONG.trim());
    expect(row('r1')).toMatchObject({ nps: '10', csat: '5', ces: '6', themes: 'friendly staff; refund', complete: 'true', survey_name: 'After support' });
    expect(row('r6').customer_id).toMatch(/^prf_/);
    expect(row('r2')).toMatchObject({ comment: '', ces: '', sentiment: '' });
    // No cell a spreadsheet would run.
    for (const r of rows) for (const [column, cell] of Object.entries(r)) if (column !== 'sentiment') expect(cell, column).not.toMatch(/^[=+\-@]/);

    const filtered = parse((await get('responses.csv?category=detractor&from=2026-11-09')).body, { columns: true }) as Record<string, string>[];
    expect(filtered.map((r) => r.response_id)).toEqual([ids.get('r8')]);
    expect((await get('responses.csv?minScore=3')).statusCode).toBe(400);
  });

  it('documents the report routes in the OpenAPI reference', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> };
    for (const path of ['responses', 'responses.csv', 'trends', 'themes', 'summary']) expect(doc.paths).toHaveProperty([`/api/workspaces/{workspaceId}/feedback/${path}`]);
    const params = doc.paths['/api/workspaces/{workspaceId}/feedback/responses']?.get?.parameters?.map((p) => p.name) ?? [];
    expect(params).toEqual(expect.arrayContaining(['survey', 'from', 'to', 'metric', 'category', 'theme', 'sentiment', 'cursor', 'limit']));
  });
});
