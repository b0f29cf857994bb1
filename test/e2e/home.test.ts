/**
 * The home page as a person reads it, in a real Chromium against a real server: customer
 * satisfaction (NPS, CSAT, CES) is the first section, its cards show the n of the answers
 * given, the period filter changes the cards and the trends, each trend has a table view and a
 * CSV export, and a workspace without answers says where to start. Answers are given through
 * the public survey API on a ManualClock set to past days, so that each period holds a known
 * set of answers; some respondents are identified with a `plan` trait through the tracking API,
 * so that the segment filter has a known share of them. The background work (identity
 * resolution, the rollup follower) is run in-process before the browser opens. Needs the built
 * dashboard: `npm run build:web`.
 * E2E_SCREENSHOTS=<dir> saves screenshots of the page.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { consumeRollups } from '../../src/modules/insight/index.js';
import { createKey, createWorkspace, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon, type DialectName } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { createTestApp, seedWorkspace, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { csvCell, toCsv } from '../../web/src/pages/home/csv.js';
import { launchBrowser, openPage, submitLogin } from './browser.js';

const DAY = 86_400_000;
const EMAIL = 'owner@example.com';

/** Noon (UTC) of the day `daysAgo` days before today: well inside a day of every period. */
const today = Math.floor(Date.now() / DAY) * DAY;
const daysAgo = (k: number) => today - k * DAY + 12 * 3600_000;

const HOSTILE = '<img src=x onerror="window.__pwned=1">Great <b>service</b>';

type Answer = { nps: number; csat: number; ces?: number; why?: string };
/**
 * Who answered when. The periods (UTC days, today included):
 *   last 30 days: 5 days ago (4 answers; one without CES); the 30 days before: 45 days ago (3).
 *   last 90 days: 5 and 45 days ago (7); the 90 days before: none.
 *   last 12 months: 5, 45 and 200 days ago (9); the 12 months before: 400 days ago (2).
 * Respondents are u-1 … u-11 in this order; PRO_RESPONDENTS have the trait plan = pro. Two of
 * the answers 5 days ago have a comment, one of them markup that must stay text.
 */
const GROUPS: { daysAgo: number; answers: Answer[] }[] = [
  { daysAgo: 400, answers: [{ nps: 10, csat: 5, ces: 7 }, { nps: 0, csat: 1, ces: 1 }] },
  { daysAgo: 200, answers: [{ nps: 0, csat: 1, ces: 1 }, { nps: 1, csat: 1, ces: 1 }] },
  { daysAgo: 45, answers: [{ nps: 2, csat: 1, ces: 2 }, { nps: 3, csat: 2, ces: 3 }, { nps: 10, csat: 5, ces: 6 }] },
  {
    daysAgo: 5,
    answers: [
      { nps: 10, csat: 5, ces: 7, why: 'You called me back within ten minutes.' },
      { nps: 9, csat: 5, ces: 6 },
      { nps: 10, csat: 4, ces: 7, why: HOSTILE },
      { nps: 9, csat: 5 },
    ],
  },
];

/** u-5 (45 days ago: NPS 2), u-8 and u-10 (5 days ago: NPS 10 and 10, CSAT 5 and 4). */
const PRO_RESPONDENTS = ['u-5', 'u-8', 'u-10'];

interface Server {
  url: string;
  t: TestApp;
  workspaceId: string;
  emptyWorkspaceId: string;
}

/** The real server on a fresh database, with a clock the test moves; two workspaces, one of which stays without answers. */
async function startServer(dialect: DialectName, clock: ManualClock): Promise<Server> {
  if (!existsSync('dist/web/index.html')) throw new Error('dist/web is missing: run `npm run build:web` before the browser tests');
  const t = await createTestApp({ dialect, clock });
  const first = await seedWorkspace(t, 'Northwind Coffee', EMAIL);
  const empty = await createWorkspace({ store: t.store, clock }, { name: 'Quiet Workspace', ownerId: first.ownerId, actor: SYSTEM_ACTOR });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, t, workspaceId: first.workspaceId, emptyWorkspaceId: empty.id };
}

/** Through the HTTP API, as the dashboard and respondents would, each group of answers on its own day. */
async function seed(server: Server, clock: ManualClock): Promise<void> {
  const ws = `/api/workspaces/${server.workspaceId}`;
  // A session lasts 14 days of the server's clock: log in again on each day the clock is set to.
  const session = async () => {
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: TEST_PASSWORD }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    return async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
  };
  let surveyId: string | undefined;
  let respondent = 0;
  for (const group of GROUPS) {
    clock.set(daysAgo(group.daysAgo));
    const api = await session();
    if (!surveyId) {
      const survey = await api('POST', `${ws}/surveys`, {
        name: 'After support',
        definition: {
          defaultLanguage: 'en',
          questions: [
            { id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us?' }, required: true },
            { id: 'csat', type: 'csat', text: { en: 'How satisfied were you with the support?' }, required: true },
            { id: 'ces', type: 'ces', text: { en: 'The company made it easy to handle my issue.' }, required: false },
            { id: 'why', type: 'text', text: { en: 'What is the main reason for your score?' }, required: false },
          ],
        },
      });
      surveyId = survey.id as string;
      await api('PATCH', `${ws}/surveys/${surveyId}`, { status: 'active' });
    }
    for (const answers of group.answers) {
      respondent += 1;
      const link = await api('POST', `${ws}/surveys/${surveyId}/links`, { respondent: { kind: 'user_id', value: `u-${respondent}` } });
      const res = await fetch(`${server.url}/s/api/${surveyId}/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: link.token, answers, finished: true }),
      });
      if (!res.ok) throw new Error(`answer: ${res.status} ${await res.text()}`);
    }
  }
  clock.set(Date.now());

  // Traits through the tracking API, then what the background work does: resolve identities, roll up.
  const writeKey = (await createKey({ store: server.t.store, clock }, { workspaceId: server.workspaceId, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name: 'site' })).token;
  for (let k = 1; k <= respondent; k++) {
    const userId = `u-${k}`;
    const res = await fetch(`${server.url}/v1/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ userId, traits: { plan: PRO_RESPONDENTS.includes(userId) ? 'pro' : 'free' } }),
    });
    if (!res.ok) throw new Error(`identify: ${res.status} ${await res.text()}`);
  }
  await awaitLogHorizon(server.t.store.db, server.t.store.dialect.name);
  await resolvePending({ store: server.t.store, clock, matcher: createMatcher() }, server.workspaceId);
  await consumeRollups({ store: server.t.store, clock }, server.workspaceId);
}

describe('the CSV of the home page exports', () => {
  it('keeps text cells from running as formulas, and numbers as numbers', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvCell('+1+2')).toBe("'+1+2");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell(-33.33)).toBe('-33.33');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(toCsv(['week_of', 'n'], [['Nov 24, 2025', 4], ['line\nbreak', null]])).toBe('week_of,n\r\n"Nov 24, 2025",4\r\n"line\nbreak",\r\n');
  });
});

describe.each(testDialects())('the home page in the browser (%s)', (dialect) => {
  const clock = new ManualClock(Date.now());
  let server: Server;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startServer(dialect, clock);
    await seed(server, clock);
    browser = await launchBrowser();
    ({ context, page, errors } = await openPage(browser, server.url, { width: 1440, height: 1000 }));
    await submitLogin(page, EMAIL, TEST_PASSWORD);
    await page.waitForURL('**/w/ws_*');
    await page.goto(`/w/${server.workspaceId}`);
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.t.app.close();
    await server?.t.store.destroy();
  });

  async function screenshot(name: string): Promise<void> {
    const dir = process.env.E2E_SCREENSHOTS;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${dialect}-home-${name}.png`), fullPage: true });
  }

  const row = () => page.getByRole('region', { name: 'Customer satisfaction' });
  const filters = () => page.getByRole('search', { name: 'Filters' });
  const card = (metric: 'nps' | 'csat' | 'ces') => row().getByTestId(`home-${metric}`);
  const text = (metric: 'nps' | 'csat' | 'ces', part: string) => card(metric).getByTestId(part).innerText();

  it('puts customer satisfaction first, with the n of the answers of the last 30 days', async () => {
    await page.getByRole('heading', { name: 'Customer satisfaction', level: 2 }).waitFor();
    await card('nps').getByTestId('n').filter({ hasText: 'n = 4' }).waitFor();

    // The first section of the main content, above every other figure and chart on the page:
    // retention and churn, lifetime value, accounts at risk, SLA and the data come after it.
    const main = page.getByRole('main');
    expect(await main.locator('section').first().getAttribute('data-testid')).toBe('satisfaction-row');
    expect(await main.locator('h2').first().innerText()).toBe('Customer satisfaction');
    const headings = await main.locator('section h2').allInnerTexts();
    expect(headings[0]).toBe('Customer satisfaction');
    expect(headings).toEqual(expect.arrayContaining(['Retention and churn', 'SLA performance', 'Data in this workspace']));
    const rowBox = await row().boundingBox();
    const below = async (selector: string) => {
      const boxes = await Promise.all((await main.locator(selector).all()).map((l) => l.boundingBox()));
      expect(boxes.length).toBeGreaterThan(0);
      for (const box of boxes) expect(box && rowBox && box.y >= rowBox.y + rowBox.height).toBe(true);
    };
    await main.getByTestId('echart').waitFor();
    await below('[data-testid="echart"]'); // the records per source
    await below('section[aria-labelledby="home-data-title"] [role="group"]'); // the records, sources, members and keys cards
    for (const title of ['Retention and churn', 'Customer lifetime value', 'Accounts at risk', 'SLA performance']) {
      await below(`h2:text-is("${title}"), h3:text-is("${title}")`);
    }

    // NPS: four promoters of four answers given 5 days ago; the 30 days before had 3 answers.
    expect(await text('nps', 'value')).toBe('+100');
    expect(await text('nps', 'interval')).toMatch(/^95 % interval: 100\.0 to 100\.0$/);
    expect(await text('csat', 'n')).toBe('n = 4');
    expect(await text('csat', 'value')).toBe('100 %');
    expect(await text('csat', 'mean')).toMatch(/^4\.8\s*\/ 5$/);
    // One of the four left CES out.
    expect(await text('ces', 'n')).toBe('n = 3');
    expect(await text('ces', 'mean')).toMatch(/^6\.7\s*\/ 7$/);

    // The change against the 30 days before (NPS −33 on 3 answers): apart, but on few answers.
    const change = card('nps').getByTestId('change');
    expect(await change.getAttribute('data-verdict')).toBe('few');
    expect(await change.innerText()).toMatch(/↑ \+133 points vs the 30 days before \(was −33, n = 3\)/);
    expect(await change.innerText()).toContain('fewer than 30 answers');

    // Each card has its weekly trend chart, labelled for screen readers.
    for (const m of ['nps', 'csat', 'ces'] as const) {
      const chart = card(m).getByTestId(`home-trend-chart-${m}`);
      await chart.waitFor();
      expect(await chart.getAttribute('aria-label')).toMatch(/per week, last 30 days/);
    }
    await screenshot('30-days');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows a trend as a real table and exports its points as CSV', async () => {
    const nps = card('nps');
    await nps.getByText('Table', { exact: true }).click();
    const table = nps.getByRole('table', { name: 'NPS per week, last 30 days' });
    await table.waitFor();
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Week of', 'n', 'NPS', '95 % interval', 'Mean']);
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => /\t4\t\+100\t/.test(r))).toHaveLength(1);
    expect(rows.filter((r) => /\t0\t—\t/.test(r))).toHaveLength(rows.length - 1);

    const [download] = await Promise.all([page.waitForEvent('download'), nps.getByRole('button', { name: 'Download the NPS weekly trend as CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^nps-weekly-last-30-days-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) as string, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('week_start,week_of,n,NPS,low_95,high_95,mean');
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines.filter((l) => /,4,100,100,100,9\.5$/.test(l))).toHaveLength(1);
    // The week labels hold a comma, so they are quoted; no cell starts as a formula.
    for (const line of lines.slice(1)) {
      expect(line).toMatch(/^\d{4}-\d{2}-\d{2},"[A-Z][a-z]+ \d+, \d{4}",\d+,/);
      expect(line.split(',').some((cell) => /^[=+@]/.test(cell))).toBe(false);
    }
    await nps.getByText('Chart', { exact: true }).click();
    await nps.getByTestId('home-trend-chart-nps').waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('changes the cards and the trends with the period', async () => {
    await filters().getByText('Last 90 days', { exact: true }).click();
    await card('nps').getByTestId('n').filter({ hasText: 'n = 7' }).waitFor();
    expect(new URL(page.url()).searchParams.get('period')).toBe('90');
    // 5 promoters and 2 detractors of 7.
    expect(await text('nps', 'value')).toBe('+43');
    expect(await text('csat', 'n')).toBe('n = 7');
    expect(await text('csat', 'value')).toBe('71 %');
    expect(await text('ces', 'n')).toBe('n = 6');
    expect(await text('ces', 'value')).toBe('67 %');
    // Nothing in the 90 days before: nothing to compare with, and no arrow.
    expect(await card('nps').getByTestId('change').getAttribute('data-verdict')).toBe('no-previous');
    expect(await card('nps').getByTestId('change').innerText()).not.toMatch(/[↑↓]/);
    expect(await card('nps').getByTestId('home-trend-chart-nps').getAttribute('aria-label')).toMatch(/last 90 days.*; 7 answers$/);

    await filters().getByText('Last 12 months', { exact: true }).click();
    await card('nps').getByTestId('n').filter({ hasText: 'n = 9' }).waitFor();
    expect(new URL(page.url()).searchParams.get('period')).toBe('365');
    // 5 promoters and 4 detractors of 9; the 12 months before: NPS 0 on 2 answers, whose intervals overlap.
    expect(await text('nps', 'value')).toBe('+11');
    expect(await text('ces', 'n')).toBe('n = 8');
    const change = card('nps').getByTestId('change');
    expect(await change.getAttribute('data-verdict')).toBe('noise');
    expect(await change.innerText()).toMatch(/↑ \+11 points vs the 12 months before \(was 0, n = 2\)/);
    expect(await change.innerText()).toContain('Within noise');
    await card('csat').getByText('Table', { exact: true }).click();
    const table = card('csat').getByRole('table', { name: 'CSAT per week, last 12 months' });
    await table.waitFor();
    expect((await table.locator('tbody tr').count()) >= 52).toBe(true);
    await screenshot('12-months');

    // Back to the default: the cards follow.
    await filters().getByText('Last 30 days', { exact: true }).click();
    await card('nps').getByTestId('n').filter({ hasText: 'n = 4' }).waitFor();
    expect(new URL(page.url()).searchParams.get('period')).toBeNull();
    expect(errors).toEqual([]);
  }, 60_000);

  it('narrows the cards and the trends to a segment of customers, kept in the address', async () => {
    await filters().getByLabel('Segment trait').fill('plan');
    await filters().getByLabel('Segment value').fill('pro');
    await filters().getByRole('button', { name: 'Add' }).click();
    // Of the four answers of the last 30 days, u-8 and u-10 are on the pro plan: NPS 10 and 10, CSAT 5 and 4.
    await card('nps').getByTestId('n').filter({ hasText: 'n = 2' }).waitFor();
    expect(new URL(page.url()).searchParams.getAll('segment')).toEqual(['plan:pro']);
    expect(await text('nps', 'value')).toBe('+100');
    expect(await text('csat', 'n')).toBe('n = 2');
    expect(await text('csat', 'mean')).toMatch(/^4\.5\s*\/ 5$/);
    expect(await text('ces', 'n')).toBe('n = 2');
    expect(await row().innerText()).toContain('customers with plan = pro');
    // No billing records here: for a segment that is said as such, not as "import your orders".
    await page.getByTestId('retention-empty-segment').waitFor();
    expect(await page.getByTestId('retention-empty').count()).toBe(0);
    // The 30 days before: u-5 alone, a detractor.
    expect(await card('nps').getByTestId('change').innerText()).toMatch(/\(was −100, n = 1\)/);
    expect(await card('nps').getByTestId('home-trend-chart-nps').getAttribute('aria-label')).toMatch(/; 2 answers$/);
    await screenshot('segment');

    // The shared address opens the same view; removing the condition brings every customer back.
    await page.reload();
    await card('nps').getByTestId('n').filter({ hasText: 'n = 2' }).waitFor();
    await filters().getByRole('button', { name: 'Remove segment plan:pro' }).click();
    await card('nps').getByTestId('n').filter({ hasText: 'n = 4' }).waitFor();
    expect(new URL(page.url()).searchParams.getAll('segment')).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('cycles the numbers and fresh quotes on the all-hands screen, quotes shown as text', async () => {
    // A context of its own with the page's session, whose clock the test moves (10 s a slide).
    const screen = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, storageState: await context.storageState() });
    screen.setDefaultTimeout(10_000);
    await screen.clock.install();
    const tv = await screen.newPage();
    const tvErrors: string[] = [];
    tv.on('pageerror', (e) => tvErrors.push(e.message));
    try {
      await tv.goto(`/w/${server.workspaceId}`);
      await tv.getByRole('link', { name: 'All-hands mode' }).click();
      await tv.waitForURL(`**/w/${server.workspaceId}/all-hands`);
      const slide = tv.getByTestId('slide');
      // NPS, CSAT, CES, active customers, SLA, then the two comments of the last 30 days.
      await tv.getByTestId('slide-position').filter({ hasText: '1 / 7' }).waitFor();
      expect(await slide.getAttribute('data-slide')).toBe('nps');
      expect(await slide.getByTestId('slide-value').innerText()).toBe('+100');
      expect(await slide.getByTestId('slide-detail').innerText()).toBe('n = 4');

      // It moves on by itself …
      await tv.clock.runFor(10_500);
      await tv.getByTestId('slide-position').filter({ hasText: '2 / 7' }).waitFor();
      expect(await slide.getAttribute('data-slide')).toBe('csat');
      expect(await slide.getByTestId('slide-value').innerText()).toBe('100 %');
      // … not while paused; the arrow keys move by hand.
      await tv.getByTestId('pause').click();
      expect(await tv.getByTestId('pause').getAttribute('aria-pressed')).toBe('true');
      await tv.clock.runFor(30_000);
      expect(await slide.getAttribute('data-slide')).toBe('csat');
      for (let k = 0; k < 4; k++) await tv.keyboard.press('ArrowRight');
      await tv.getByTestId('slide-position').filter({ hasText: '6 / 7' }).waitFor();
      const quotes: string[] = [];
      for (let k = 0; k < 2; k++) {
        expect(await slide.getAttribute('data-slide')).toMatch(/^quote-/);
        quotes.push(await slide.getByTestId('quote-text').innerText());
        // Whatever a customer typed is a text node: no element came of it.
        expect(await slide.getByTestId('quote-text').locator('*').count()).toBe(0);
        await tv.keyboard.press('ArrowRight');
      }
      expect(quotes.sort()).toEqual([`“${HOSTILE}”`, '“You called me back within ten minutes.”'].sort());
      expect(await tv.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      // Round to the first slide; Esc leaves for the home page.
      expect(await slide.getAttribute('data-slide')).toBe('nps');
      await tv.keyboard.press('Escape');
      await tv.waitForURL(`**/w/${server.workspaceId}`);
      await tv.getByRole('heading', { name: 'Customer satisfaction', level: 2 }).waitFor();
      expect(tvErrors).toEqual([]);
    } finally {
      await screen.close();
    }
  }, 60_000);

  it('tells a workspace without answers where to start', async () => {
    await page.goto(`/w/${server.emptyWorkspaceId}`);
    const empty = row().getByTestId('satisfaction-empty');
    await empty.waitFor();
    expect(await empty.innerText()).toContain('No survey answers yet');
    expect(await empty.getByRole('link', { name: 'Feedback → Surveys' }).getAttribute('href')).toBe(`/w/${server.emptyWorkspaceId}/feedback`);
    expect(await page.locator('main section').first().getAttribute('data-testid')).toBe('satisfaction-row');
    await screenshot('empty');
    expect(errors).toEqual([]);
  }, 60_000);
});
