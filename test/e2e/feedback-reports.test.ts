/**
 * The response stream and the reports as a person uses them, in a real Chromium against a real
 * server: answers given through the public survey API (markup in the comments stays text), a
 * filter narrows the stream, the CSV link carries the filters, and the Reports page shows the
 * NPS card with its n. Needs the built dashboard: `npm run build:web`.
 * E2E_SCREENSHOTS=<dir> saves screenshots of the pages.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { awaitLogHorizon } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { launchBrowser, openPage, startServerForBrowser, submitLogin, type TestServer } from './browser.js';

const SCRIPT = '<script>window.__pwned=1</script> The delivery was late.';
const IMG = '<img src=x onerror="window.__pwned=1"> The parcel arrived broken.';

/** Through the HTTP API, as the dashboard and a respondent would: a survey, links and answers. */
async function seed(server: TestServer, workspaceId: string): Promise<string> {
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(server.login) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const api = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const ws = `/api/workspaces/${workspaceId}`;
  const survey = await api('POST', `${ws}/surveys`, {
    name: 'After support',
    definition: { defaultLanguage: 'en', questions: [{ id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us?' }, required: true }] },
  });
  const id = survey.id as string;
  await api('PATCH', `${ws}/surveys/${id}`, { status: 'active' });
  const answers: [{ kind: string; value: string }, number, string][] = [
    [{ kind: 'user_id', value: 'u-1' }, 10, 'Friendly staff, fast refund.'],
    [{ kind: 'user_id', value: 'u-2' }, 2, SCRIPT],
    [{ kind: 'user_id', value: 'u-3' }, 3, IMG],
    [{ kind: 'email', value: 'Ada.Lovelace@Babbage.co.uk' }, 9, 'Quick and kind.'],
  ];
  for (const [respondent, nps, why] of answers) {
    const link = await api('POST', `${ws}/surveys/${id}/links`, { respondent });
    const res = await fetch(`${server.url}/s/api/${id}/answers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link.token, answers: { nps, 'nps:why': why }, finished: true }),
    });
    if (!res.ok) throw new Error(`answer: ${res.status} ${await res.text()}`);
  }
  return id;
}

describe.each(testDialects())('feedback responses and reports in the browser (%s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let workspace: { id: string; name: string };

  beforeAll(async () => {
    server = await startServerForBrowser(dialect);
    const [first] = server.workspaces;
    if (!first) throw new Error('the test app should seed a workspace');
    workspace = first;
    await seed(server, workspace.id);
    // The answers reach the identity graph as silo records; resolve them so responses link to customers.
    await awaitLogHorizon(server.store.db, dialect);
    await resolvePending({ store: server.store, clock: systemClock, matcher: createMatcher() }, workspace.id);
    browser = await launchBrowser();
    ({ context, page, errors } = await openPage(browser, server.url, { width: 1440, height: 900 }));
    await submitLogin(page, server.login.email, server.login.password);
    await page.waitForURL(`**/w/${workspace.id}`);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  async function screenshot(name: string): Promise<void> {
    const dir = process.env.E2E_SCREENSHOTS;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${dialect}-${name}.png`), fullPage: true });
  }

  const stream = () => page.getByRole('list', { name: 'Responses' });
  const cards = () => stream().locator('li[data-response-id]');
  const count = () => page.getByTestId('response-count');

  it('shows hostile comments as text, and narrows the stream with filters', async () => {
    await page.goto(`/w/${workspace.id}/feedback/responses`);
    await page.getByRole('heading', { name: 'Responses', level: 1 }).waitFor();
    await count().filter({ hasText: '4 responses' }).waitFor();
    expect(await cards().count()).toBe(4);

    // Markup in a comment is shown, not run.
    await stream().getByText(SCRIPT).waitFor();
    await stream().getByText(IMG).waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await stream().locator('script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();

    // Scores are coloured by category; the respondent links to the customer.
    const detractor = cards().filter({ hasText: SCRIPT });
    expect(await detractor.getByTestId('score-nps').getAttribute('data-category')).toBe('detractor');
    expect(await detractor.getByTestId('score-nps').innerText()).toBe('NPS 2');
    const ada = cards().filter({ hasText: 'Quick and kind.' });
    expect(await ada.getByTestId('customer-link').getAttribute('href')).toMatch(new RegExp(`^/w/${workspace.id}/customers/prf_`));
    await screenshot('responses');

    // Promoters only, through the filters.
    await page.getByRole('combobox', { name: 'Score' }).click();
    await page.getByRole('option', { name: 'NPS' }).click();
    await page.getByRole('combobox', { name: 'Category' }).click();
    await page.getByRole('option', { name: 'Promoter' }).click();
    await count().filter({ hasText: '2 responses match these filters' }).waitFor();
    expect((await cards().allInnerTexts()).join('\n')).not.toContain('delivery was late');
    expect(new URL(page.url()).searchParams.get('category')).toBe('promoter');

    // A theme tag filters by its theme; the CSV link carries the same filters.
    await page.getByRole('combobox', { name: 'Score' }).click();
    await page.getByRole('option', { name: 'NPS' }).click(); // deselects
    await count().filter({ hasText: '4 responses' }).waitFor();
    await cards().filter({ hasText: SCRIPT }).getByRole('button', { name: 'Filter by theme delivery time' }).click();
    await count().filter({ hasText: /^\d+ responses? match/ }).waitFor();
    const texts = (await cards().allInnerTexts()).join('\n');
    expect(texts).toContain('The delivery was late.');
    expect(texts).not.toContain('Friendly staff');
    const href = (await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')) ?? '';
    expect(href).toContain('/feedback/responses.csv?');
    expect(new URL(href, server.url).searchParams.get('theme')).toBe('delivery time');
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    expect(csv).toContain('window.__pwned=1');
    expect(csv).not.toContain('Friendly staff');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows the NPS card with n, the trend and the themes', async () => {
    await page.getByRole('navigation', { name: 'Feedback sections' }).getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(`**/w/${workspace.id}/feedback/reports`);
    await page.getByRole('heading', { name: 'Feedback reports', level: 1 }).waitFor();
    const nps = page.getByTestId('kpi-nps');
    await nps.getByTestId('kpi-n').filter({ hasText: 'n = 4' }).waitFor();
    // Two promoters (10, 9) and two detractors (2, 3) of four: NPS 0.
    expect(await nps.getByTestId('kpi-value').innerText()).toBe('0');
    expect(await nps.getByTestId('kpi-interval').innerText()).toMatch(/95 % interval: −\d+\.\d to \d+\.\d/);
    expect(await page.getByTestId('kpi-csat').getByTestId('kpi-n').innerText()).toBe('n = 0');

    // The NPS trend as a chart, then as a table.
    const trend = page.getByTestId('trend-nps');
    await trend.getByTestId('trend-chart-nps').waitFor();
    await trend.getByText('Table').click();
    const table = trend.getByRole('table', { name: 'NPS per week table' });
    await table.waitFor();
    expect(await table.innerText()).toMatch(/\t4\t0\t/);

    // Themes with quotes, as text.
    const themes = page.getByTestId('themes');
    await themes.getByTestId('theme-chart').waitFor();
    await themes.getByRole('list', { name: 'Quotes about delivery time' }).getByText(SCRIPT, { exact: false }).waitFor();
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await screenshot('reports');
    expect(errors).toEqual([]);
  }, 60_000);
});
