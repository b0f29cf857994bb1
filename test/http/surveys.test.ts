/**
 * Surveys over HTTP: a manager defines and opens a survey and hands out a signed link; the
 * respondent answers through the public API, edits the answer, and the answer lands on the
 * customer's timeline and in the outbox as `feedback.received`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatcher, customerOfIdentifier, resolvePending } from '../../src/modules/customers/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon, readFacts } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { createTestApp, errorCode, loginNewMember, seedAlpha, type Session, type TestApp } from '../support/app.js';

const definition = {
  defaultLanguage: 'en',
  questions: [
    { id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us?', fr: 'Quelle est la probabilité que vous nous recommandiez ?' }, required: true },
    { id: 'effort', type: 'ces', text: { en: 'We made it easy to get my issue solved.', fr: 'Il a été facile de résoudre mon problème.' } },
  ],
};

describe.each(testDialects())('surveys and answers on %s', (dialect) => {
  const clock = new ManualClock(Date.UTC(2026, 10, 12) + (dialect === 'postgres' ? 86_400_000 : 0));
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let viewer: Session;
  let surveyId: string;

  const api = () => `/api/workspaces/${ws}/surveys`;
  const link = async (respondent: { kind: string; value: string }, extra: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: `${api()}/${surveyId}/links`, headers: owner.headers, payload: { respondent, ...extra } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { token: string; url: string; deliveryId: string };
  };
  const answer = (token: string, answers: Record<string, unknown>, extra: Record<string, unknown> = {}, id = surveyId) =>
    t.app.inject({ method: 'POST', url: `/s/api/${id}/answers`, payload: { token, answers, ...extra } });

  beforeAll(async () => {
    t = await createTestApp({ dialect, clock });
    ({ ws, owner } = await seedAlpha(t));
    viewer = await loginNewMember(t, ws, 'viewer@alpha.test', 'viewer');
  });
  afterAll(() => t.close());

  it('refuses a survey definition with the path of the fault', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: api(),
      headers: owner.headers,
      payload: { name: 'Broken', definition: { questions: [{ id: 'a', type: 'nps', text: { en: 'x' } }, { id: 'b', type: 'nps', text: { en: 'y' } }] } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('at most one NPS question');
    const viewerTry = await t.app.inject({ method: 'POST', url: api(), headers: viewer.headers, payload: { name: 'x', definition } });
    expect(viewerTry.statusCode).toBe(403);
  });

  it('creates a draft, refuses links until it is opened, then hands out a signed link', async () => {
    const created = await t.app.inject({ method: 'POST', url: api(), headers: owner.headers, payload: { name: 'After support', definition } });
    expect(created.statusCode, created.body).toBe(201);
    surveyId = (created.json() as { id: string; status: string }).id;
    expect((created.json() as { status: string }).status).toBe('draft');

    const early = await t.app.inject({ method: 'POST', url: `${api()}/${surveyId}/links`, headers: owner.headers, payload: { respondent: { kind: 'user_id', value: 'u-1' } } });
    expect(errorCode(early)).toBe('SURVEY_CLOSED');

    const opened = await t.app.inject({ method: 'PATCH', url: `${api()}/${surveyId}`, headers: owner.headers, payload: { status: 'active' } });
    expect(opened.statusCode, opened.body).toBe(200);
    const backToDraft = await t.app.inject({ method: 'PATCH', url: `${api()}/${surveyId}`, headers: owner.headers, payload: { status: 'draft' } });
    expect(errorCode(backToDraft)).toBe('SURVEY_INVALID');

    const l = await link({ kind: 'user_id', value: 'u-1' });
    expect(l.url).toMatch(new RegExp(`^/s/${surveyId}\\?t=v1\\.`));
  });

  it('shows the survey in the language asked for, else the browser’s, else the default', async () => {
    const { token } = await link({ kind: 'user_id', value: 'u-lang' });
    const fr = await t.app.inject({ url: `/s/api/${surveyId}?t=${encodeURIComponent(token)}`, headers: { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.8' } });
    expect(fr.statusCode, fr.body).toBe(200);
    const view = fr.json() as { survey: { language: string; questions: { text: string; followUp: string | null }[] }; response: unknown };
    expect(view.survey.language).toBe('fr');
    expect(view.survey.questions[0]?.text).toContain('recommandiez');
    expect(view.survey.questions[0]?.followUp).toContain('raison');
    expect(view.response).toBeNull();
    const de = await t.app.inject({ url: `/s/api/${surveyId}?t=${encodeURIComponent(token)}`, headers: { 'accept-language': 'de' } });
    expect((de.json() as { survey: { language: string } }).survey.language).toBe('en');
  });

  it('keeps a partial answer, edits it on a second submission, and refuses a stale one', async () => {
    const { token } = await link({ kind: 'user_id', value: 'u-2' });
    const first = await answer(token, { nps: 3 });
    expect(first.statusCode, first.body).toBe(200);
    const r1 = first.json() as { responseId: string; revision: number; complete: boolean };
    expect(r1).toMatchObject({ revision: 1, complete: false });

    const second = await answer(token, { 'nps:why': 'The delivery was late and nobody called back.', effort: 2 }, { revision: 1, finished: true });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ responseId: r1.responseId, revision: 2, complete: true });

    // A replay of the first request, made from revision 1, must not overwrite the edit.
    const replay = await answer(token, { nps: 10 }, { revision: 1 });
    expect(replay.statusCode).toBe(409);
    expect(errorCode(replay)).toBe('ANSWER_STALE');

    const view = await t.app.inject({ url: `/s/api/${surveyId}?t=${encodeURIComponent(token)}` });
    expect((view.json() as { response: { answers: Record<string, unknown>; revision: number } }).response).toMatchObject({ answers: { nps: 3, effort: 2 }, revision: 2 });

    const facts = await readFacts(t.store.db, ws, { after: '', topics: ['feedback.received'], limit: 100 });
    const mine = facts.filter((f) => (f.payload as { responseId: string }).responseId === r1.responseId);
    expect(mine.map((f) => f.payload)).toEqual([
      expect.objectContaining({ revision: 1, metric: 'nps', score: 3, category: 'detractor', channel: 'link', complete: false }),
      expect.objectContaining({ revision: 2, score: 3, category: 'detractor', complete: true, sentiment: expect.objectContaining({ label: 'negative' }), themes: expect.arrayContaining(['delivery time']) }),
    ]);
  });

  it('refuses forged, tampered, expired and misdirected tokens, and out-of-range scores', async () => {
    const { token } = await link({ kind: 'user_id', value: 'u-3' });
    const [v, payload, mac] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { r: { value: string } };
    claims.r.value = 'someone-else';
    const tampered = `${v}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`;
    expect(errorCode(await answer(tampered, { nps: 10 }))).toBe('SURVEY_TOKEN_INVALID');
    expect((await answer('v1.garbage.garbage', { nps: 10 })).statusCode).toBe(403);
    expect((await answer(token, { nps: 11 })).statusCode).toBe(400);
    expect(errorCode(await answer(token, { nps: 9.5 }))).toBe('ANSWER_INVALID');
    expect(errorCode(await answer(token, { nope: 1 }))).toBe('ANSWER_INVALID');
    expect(errorCode(await answer(token, { 'nps:why': 5 }))).toBe('ANSWER_INVALID');

    const other = await t.app.inject({ method: 'POST', url: api(), headers: owner.headers, payload: { name: 'Other', definition } });
    expect(errorCode(await answer(token, { nps: 10 }, {}, (other.json() as { id: string }).id))).toBe('SURVEY_TOKEN_INVALID');

    const short = await link({ kind: 'user_id', value: 'u-4' }, { lifetimeDays: 1 });
    clock.advance(2 * 86_400_000);
    const expired = await answer(short.token, { nps: 10 });
    expect(expired.statusCode).toBe(410);
    expect(errorCode(expired)).toBe('SURVEY_TOKEN_EXPIRED');
  });

  it('stores hostile text as it was typed, and a 1 MB paste whole', async () => {
    const { token } = await link({ kind: 'user_id', value: 'u-5' });
    const hostile = '<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) \u202Egnp.exe';
    expect((await answer(token, { nps: 8, 'nps:why': hostile })).statusCode).toBe(200);
    const view = await t.app.inject({ url: `/s/api/${surveyId}?t=${encodeURIComponent(token)}` });
    expect((view.json() as { response: { answers: Record<string, string> } }).response.answers['nps:why']).toBe(hostile);

    const big = await link({ kind: 'user_id', value: 'u-6' });
    const paste = 'The app crashes when I open the basket. '.repeat(26_000).slice(0, 1_000_000);
    const res = await answer(big.token, { nps: 2, 'nps:why': paste });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  });

  it('limits how often one token may submit', async () => {
    const { token } = await link({ kind: 'user_id', value: 'u-7' });
    const codes: number[] = [];
    for (let i = 0; i < 32; i++) codes.push((await answer(token, { nps: i % 11 })).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 200)).toBe(true);
    expect(codes.slice(30)).toEqual([429, 429]);
  });

  it('puts the answer on the customer’s profile and timeline', async () => {
    const { token } = await link({ kind: 'email', value: 'Ada.Lovelace@Babbage.co.uk' });
    expect((await answer(token, { nps: 10, 'nps:why': 'Friendly staff, fast refund.' })).statusCode).toBe(200);
    await awaitLogHorizon(t.store.db, dialect);
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, ws);
    const customer = await customerOfIdentifier(t.store.db, ws, 'email', 'ada.lovelace@babbage.co.uk');
    expect(customer).toBeDefined();
    const page = await t.app.inject({ url: `/api/workspaces/${ws}/customers/${customer?.customerId}`, headers: viewer.headers });
    const timeline = (page.json() as { timeline: { items: { kind: string; title: string }[] } }).timeline.items;
    expect(timeline).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'feedback', title: 'NPS answer: 10' })]));
  });

  it('stops taking answers once the survey is closed', async () => {
    const { token } = await link({ kind: 'user_id', value: 'u-8' });
    await t.app.inject({ method: 'PATCH', url: `${api()}/${surveyId}`, headers: owner.headers, payload: { status: 'closed' } });
    clock.advance(5_000); // past the answer path's survey cache
    const res = await answer(token, { nps: 9 });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('SURVEY_CLOSED');
  });
});
