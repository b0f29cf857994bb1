/**
 * The hosted survey page and the widget's endpoints over HTTP: the page escapes whatever a
 * company or a customer typed and forbids scripts without its nonce; bad links get a friendly
 * page with the right status; a score in the link is left to the page's script to record; an
 * anonymous visitor gets a widget link only where the survey allows it; the widget stays small.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { testDialects } from '../../src/store/testing.js';
import { createTestApp, errorCode, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';

const HOSTILE_WORDING = '<script>window.__xss=1</script>Would you <b>recommend</b> "us" & co?';
const HOSTILE_ANSWER = '</textarea></script><script>window.__xss=2</script><img src=x onerror=window.__xss=3>';
const HOSTILE_COMPANY = '<img src=x onerror=alert(1)>"Evil" & Sons';

const definition = {
  defaultLanguage: 'en',
  title: { en: 'Your visit', fr: 'Votre visite' },
  questions: [
    { id: 'nps', type: 'nps', text: { en: HOSTILE_WORDING, fr: 'Recommanderiez-vous <nous> ?' }, required: true, lowLabel: { en: '<i>never</i>', fr: 'jamais' } },
    { id: 'effort', type: 'ces', text: { en: 'It was easy.', fr: 'C’était facile.' } },
    { id: 'more', type: 'text', text: { en: 'Anything else?', fr: 'Autre chose ?' } },
  ],
  branding: { colour: '#ffd400', companyName: HOSTILE_COMPANY },
  widget: { pages: ['/checkout/*'], event: 'Order Completed', delaySeconds: 2, sample: 0.5 },
};

/** The `<script …>` opening tags of a page. */
const scriptTags = (html: string) => html.match(/<script\b[^>]*>/gi) ?? [];

describe.each(testDialects())('the hosted survey page and the widget endpoints on %s', (dialect) => {
  const clock = new ManualClock(Date.UTC(2026, 10, 20) + (dialect === 'postgres' ? 86_400_000 : 0));
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let surveyId: string;

  const api = () => `/api/workspaces/${ws}/surveys`;
  const createSurvey = async (def: object, status: 'active' | 'draft' = 'active') => {
    const created = await t.app.inject({ method: 'POST', url: api(), headers: owner.headers, payload: { name: 'Page test', definition: def } });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    if (status === 'active') expect((await t.app.inject({ method: 'PATCH', url: `${api()}/${id}`, headers: owner.headers, payload: { status: 'active' } })).statusCode).toBe(200);
    return id;
  };
  const link = async (value: string, extra: Record<string, unknown> = {}, id = surveyId) => {
    const res = await t.app.inject({ method: 'POST', url: `${api()}/${id}/links`, headers: owner.headers, payload: { respondent: { kind: 'user_id', value }, ...extra } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { token: string; url: string };
  };
  const page = (id: string, query: string, headers: Record<string, string> = {}) => t.app.inject({ url: `/s/${id}?${query}`, headers });
  const view = async (token: string, id = surveyId) => (await t.app.inject({ url: `/s/api/${id}?t=${encodeURIComponent(token)}` })).json() as { survey: Record<string, unknown>; response: { answers: Record<string, unknown>; revision: number } | null };

  beforeAll(async () => {
    t = await createTestApp({ dialect, clock });
    const a = await seedWorkspace(t, 'Gamma', 'owner@gamma.test');
    ws = a.workspaceId;
    owner = await loginAs(t.app, a.ownerEmail);
    surveyId = await createSurvey(definition);
  });
  afterAll(() => t.close());

  it('renders the survey as accessible HTML under a strict CSP, in the language chosen', async () => {
    const { token } = await link('u-page');
    const res = await page(surveyId, `t=${encodeURIComponent(token)}`, { 'accept-language': 'de, en;q=0.5' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(res.headers['content-security-policy']);
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    // Exactly our data block and our script, the script under this response's nonce.
    expect(scriptTags(res.body)).toEqual(['<script type="application/json" id="ec-data">', `<script nonce="${nonce}">`]);
    // No inline event handler attribute in any tag outside the script itself.
    expect(res.body.replace(/<script[\s\S]*?<\/script>/g, '')).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);

    expect(res.body).toMatch(/^<!doctype html><html lang="en"/);
    expect(res.body.match(/<fieldset/g)).toHaveLength(2);
    expect(res.body.match(/<legend/g)).toHaveLength(2);
    expect(res.body.match(/type="radio" id="ec-nps-\d+" name="nps"/g)).toHaveLength(11);
    expect(res.body.match(/type="radio" id="ec-effort-\d+" name="effort"/g)).toHaveLength(7);
    expect(res.body).toContain('Strongly agree');
    expect(res.body).toContain('<label class="ec-label" for="ec-nps-why">What is the main reason for your score?</label>');
    expect(res.body).toContain('role="alert"');
    // Dark text on a yellow brand colour (black on #ffd400 is 14:1; white would be 1.4:1).
    expect(res.body).toContain('--brand:#ffd400;--on-brand:#000000');

    const fr = await page(surveyId, `t=${encodeURIComponent(token)}&lang=fr`);
    expect(fr.body).toMatch(/^<!doctype html><html lang="fr"/);
    expect(fr.body).toContain('Votre visite');
    expect(fr.body).toContain('Recommanderiez-vous &lt;nous&gt; ?');
    expect(fr.body).toContain('Suivant');
    const browser = await page(surveyId, `t=${encodeURIComponent(token)}`, { 'accept-language': 'fr-FR,fr;q=0.9' });
    expect(browser.body).toMatch(/<html lang="fr"/);
  });

  it('escapes hostile wording, company name and answers, in the markup and in the page data', async () => {
    const { token } = await link('u-hostile');
    const saved = await t.app.inject({ method: 'POST', url: `/s/api/${surveyId}/answers`, payload: { token, answers: { nps: 2, 'nps:why': HOSTILE_ANSWER, more: HOSTILE_ANSWER } } });
    expect(saved.statusCode, saved.body).toBe(200);
    const res = await page(surveyId, `t=${encodeURIComponent(token)}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(scriptTags(html)).toHaveLength(2);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>recommend</b>');
    expect(html).not.toContain('</textarea></script>');
    expect(html).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt;Would you &lt;b&gt;recommend&lt;/b&gt; &quot;us&quot; &amp; co?');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;Evil&quot; &amp; Sons');
    expect(html).toContain('&lt;i&gt;never&lt;/i&gt;');
    // The answers are shown as typed, escaped, in their fields; the earlier score is checked.
    expect(html.split('&lt;/textarea&gt;&lt;/script&gt;&lt;script&gt;window.__xss=2&lt;/script&gt;&lt;img src=x onerror=window.__xss=3&gt;</textarea>')).toHaveLength(3);
    expect(html).toContain('id="ec-nps-2" name="nps" value="2" checked');
    // The data block holds the token and revision, and no way out of its element.
    const data = /<script type="application\/json" id="ec-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(data).not.toMatch(/[<>]/);
    expect(JSON.parse(data)).toMatchObject({ surveyId, token, revision: 1, score: null, language: 'en' });
  });

  it('answers bad links with a friendly page and the right status', async () => {
    const expectProblem = async (res: Awaited<ReturnType<typeof page>>, status: number, words: RegExp) => {
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
      expect(res.body).toMatch(words);
      expect(res.body).not.toMatch(/SURVEY_|Error:|at .*\.ts|stack/);
      expect(scriptTags(res.body)).toHaveLength(0);
    };
    await expectProblem(await page(surveyId, ''), 403, /not valid/);
    await expectProblem(await page(surveyId, 't=v1.garbage.garbage'), 403, /not valid/);
    await expectProblem(await page(surveyId, 't=v1.garbage.garbage', { 'accept-language': 'fr' }), 403, /<html lang="fr".*n’est pas valide/s);

    const { token } = await link('u-bad');
    const [v, payload, mac] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { r: { value: string } };
    claims.r.value = 'someone-else';
    await expectProblem(await page(surveyId, `t=${v}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`), 403, /not valid/);
    const other = await createSurvey({ questions: [{ id: 'nps', type: 'nps', text: { en: 'Other?' } }] });
    await expectProblem(await page(other, `t=${encodeURIComponent(token)}`), 403, /not valid/);

    const short = await link('u-short', { lifetimeDays: 1 });
    clock.advance(2 * 86_400_000);
    await expectProblem(await page(surveyId, `t=${encodeURIComponent(short.token)}`), 410, /expired/);

    const closing = await createSurvey({ questions: [{ id: 'nps', type: 'nps', text: { en: 'Closing?' } }] });
    const closingLink = await link('u-closed', {}, closing);
    await t.app.inject({ method: 'PATCH', url: `${api()}/${closing}`, headers: owner.headers, payload: { status: 'closed' } });
    clock.advance(5_000); // past the answer path's survey cache
    await expectProblem(await page(closing, `t=${encodeURIComponent(closingLink.token)}`), 409, /closed/);
  });

  it('leaves a score from the link to the page script: fetching the URL records nothing', async () => {
    const { token } = await link('u-score');
    const res = await page(surveyId, `t=${encodeURIComponent(token)}&score=9`);
    expect(res.statusCode).toBe(200);
    const data = JSON.parse(/id="ec-data">(.*?)<\/script>/s.exec(res.body)?.[1] ?? 'null') as { score: unknown; revision: number };
    expect(data).toMatchObject({ score: { question: 'nps', value: 9 }, revision: 0 });
    expect(res.body).not.toMatch(/<input[^>]*checked/);
    // A link scanner fetched the page: no answer exists until the script posts it.
    expect((await view(token)).response).toBeNull();
    // A score the scale does not have, or garbage, is ignored; the page still opens.
    for (const bad of ['11', '-1', 'nine', '9.5']) {
      const r = await page(surveyId, `t=${encodeURIComponent(token)}&score=${bad}`);
      expect(r.statusCode, bad).toBe(200);
      expect(r.body).toContain('"score":null');
    }
  });

  it('serves the page gzipped to clients that take it', async () => {
    const { token } = await link('u-gzip');
    const res = await page(surveyId, `t=${encodeURIComponent(token)}`, { 'accept-encoding': 'gzip, br' });
    expect(res.headers['content-encoding']).toBe('gzip');
    const html = gunzipSync(res.rawPayload).toString('utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(res.rawPayload.length).toBeLessThan(12_000);
  });

  it('serves the widget script, under 15 KB gzipped', async () => {
    const res = await t.app.inject({ url: '/widget.js' });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.body).toContain('attachShadow');
    expect(res.body).not.toMatch(/document\.cookie/);
    const gzipped = gzipSync(res.rawPayload, { level: 9 }).length;
    expect(gzipped).toBeLessThan(15 * 1024);
    const compressed = await t.app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'gzip' } });
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(compressed.rawPayload).toString()).toBe(res.body);
  });

  it('gives the widget its rules and words in the public view', async () => {
    const { token } = await link('u-rules');
    const v = await view(token);
    expect(v.survey.widget).toEqual({ pages: ['/checkout/*'], event: 'Order Completed', delaySeconds: 2, sample: 0.5 });
    expect(v.survey.ui).toMatchObject({ next: 'Next', send: 'Send', close: 'Close' });
  });

  describe('anonymous visitors', () => {
    let open: string;
    const visitor = (id: string, anonymousId: unknown, remoteAddress = '127.0.0.1') =>
      t.app.inject({ method: 'POST', url: `/s/api/${id}/visitor`, payload: { anonymousId }, remoteAddress });

    beforeAll(async () => {
      open = await createSurvey({ allowAnonymous: true, questions: [{ id: 'csat', type: 'csat', text: { en: 'Happy?' } }] });
    });

    it('hands a visitor a widget link, recorded as a delivery, where the survey allows it', async () => {
      const res = await visitor(open, 'anon-42');
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      const { token, expiresAt } = res.json() as { token: string; expiresAt: string };
      expect(Date.parse(expiresAt)).toBeGreaterThan(clock.now());
      const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { c: string; r: unknown };
      expect(claims).toMatchObject({ c: 'widget', r: { kind: 'anonymous_id', value: 'anon-42' } });
      const delivery = await t.store.db.selectFrom('survey_deliveries').selectAll().where('workspace_id', '=', ws).where('survey_id', '=', open).executeTakeFirst();
      expect(delivery).toMatchObject({ channel: 'widget', respondent_kind: 'anonymous_id', respondent_value: 'anon-42', status: 'sent' });

      const answered = await t.app.inject({ method: 'POST', url: `/s/api/${open}/answers`, payload: { token, answers: { csat: 5 }, finished: true } });
      expect(answered.statusCode, answered.body).toBe(200);
      expect((await view(token, open)).response).toMatchObject({ answers: { csat: 5 } });
    });

    it('refuses surveys without anonymous answers, closed or unknown ones, and bad ids', async () => {
      const named = await visitor(surveyId, 'anon-1');
      expect(named.statusCode).toBe(403);
      expect(errorCode(named)).toBe('FORBIDDEN');
      const draft = await createSurvey({ allowAnonymous: true, questions: [{ id: 'nps', type: 'nps', text: { en: 'Draft?' } }] }, 'draft');
      expect(errorCode(await visitor(draft, 'anon-1'))).toBe('SURVEY_CLOSED');
      expect(errorCode(await visitor('srv_doesnotexist', 'anon-1'))).toBe('SURVEY_NOT_FOUND');
      expect((await visitor(open, '')).statusCode).toBe(400);
      expect((await visitor(open, 'x'.repeat(301))).statusCode).toBe(400);
      const count = await t.store.db.selectFrom('survey_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ws).where('channel', '=', 'widget').executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1);
    });

    it('limits how many visitors one address may bring a minute', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 62; i++) codes.push((await visitor(open, `anon-flood-${i}`, '10.9.8.7')).statusCode);
      expect(codes.slice(0, 60).every((c) => c === 201)).toBe(true);
      expect(codes.slice(60)).toEqual([429, 429]);
      expect((await visitor(open, 'anon-elsewhere', '10.9.8.8')).statusCode).toBe(201);
    });
  });
});
