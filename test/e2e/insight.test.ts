/**
 * The at-risk list in a real Chromium against a real server: a customer with a detractor NPS,
 * slow tickets and failed payments is scored by a refresh (run here, as the job would), the
 * At risk page lists them with their reasons, "Create follow-up" makes the task (shown in the
 * inbox), and the customer page shows their health and lifetime value. Their name carries
 * markup, shown as text: it never runs. Needs the built dashboard: `npm run build:web`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { importPastAnswers, ZSurveyDefinition } from '../../src/modules/feedback/index.js';
import { runRefresh } from '../../src/modules/insight/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { appendFacts, awaitLogHorizon, recordFacts, upsertSourceRecords, type SourceRecordRow } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { launchBrowser, openPage, startServerForBrowser, submitLogin, type TestServer } from './browser.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NAME = 'Zed <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> Quill';

describe.each(testDialects())('at-risk list in the browser (%s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let workspaceId: string;

  beforeAll(async () => {
    server = await startServerForBrowser(dialect);
    workspaceId = (server.workspaces[0] as { id: string }).id;
    const now = Date.now();
    const row = (kind: string, id: string, at: number, data: Record<string, unknown>): SourceRecordRow => ({
      workspace_id: workspaceId,
      source: 'billing',
      kind,
      external_id: id,
      data: JSON.stringify(data),
      occurred_at: at,
      imported_at: now,
      updated_at: now,
    });
    const rows = [
      row('contact', 'c-zed', now - 300 * DAY, { name: NAME, email: 'zed@example.org', createdAt: now - 300 * DAY }),
      ...[250, 150, 40].map((d, i) => row('order', `o-zed-${i}`, now - d * DAY, { customerId: 'c-zed', placedAt: now - d * DAY, total: 40, currency: 'EUR', status: 'paid' })),
      ...[20, 10].map((d, i) => row('order', `f-zed-${i}`, now - d * DAY, { customerId: 'c-zed', placedAt: now - d * DAY, total: 40, currency: 'EUR', status: 'failed' })),
      ...[25, 15, 5].map((d, i) => row('ticket', `t-zed-${i}`, now - d * DAY, { requesterId: 'c-zed', openedAt: now - d * DAY, firstResponseAt: now - d * DAY + 60 * HOUR, subject: 'Where is my order?' })),
      row('contact', 'c-amy', now - 300 * DAY, { name: 'Amy Calm', email: 'amy@example.org', createdAt: now - 300 * DAY }),
      ...[200, 100, 30].map((d, i) => row('order', `o-amy-${i}`, now - d * DAY, { customerId: 'c-amy', placedAt: now - d * DAY, total: 30, currency: 'EUR', status: 'paid' })),
    ];
    await server.store.db.transaction().execute(async (trx) => {
      await upsertSourceRecords(trx, rows).execute();
      await appendFacts(trx, workspaceId, recordFacts(rows), now);
    });
    const nps = { id: 'srv_nps', name: 'NPS', definition: ZSurveyDefinition.parse({ defaultLanguage: 'en', questions: [{ id: 'nps', type: 'nps', text: { en: 'How likely…?' }, required: true }] }) };
    await importPastAnswers(server.store, workspaceId, nps, [{ id: 'rsp_zed', respondent: { kind: 'email', value: 'zed@example.org' }, answers: { nps: 1 }, channel: 'email', answeredAt: now - 3 * DAY }], now);
    await awaitLogHorizon(server.store.db, dialect);
    await resolvePending({ store: server.store, clock: systemClock, matcher: createMatcher() }, workspaceId);
    // The test server runs no background jobs: the refresh job's work, done here.
    await runRefresh({ store: server.store, clock: systemClock }, workspaceId, 'job_e2e_refresh', { trigger: 'manual' });

    browser = await launchBrowser();
    ({ context, page, errors } = await openPage(browser, server.url, { width: 1440, height: 900 }));
    await submitLogin(page, server.login.email, server.login.password);
    await page.waitForURL(`**/w/${workspaceId}`);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const row = () => page.getByTestId('at-risk-row').filter({ hasText: 'Quill' });

  it('lists the customer with reasons; their name is text, not markup', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'At risk' }).click();
    await page.waitForURL(`**/w/${workspaceId}/insight/at-risk`);
    await page.getByRole('heading', { name: 'At risk', level: 1 }).waitFor();
    await row().waitFor();
    expect(await row().getByTestId('at-risk-name').innerText()).toBe(NAME);
    expect(await row().getByTestId('health-band').innerText()).toMatch(/at risk/i);
    const reasons = await row().getByTestId('health-reasons').innerText();
    expect(reasons).toMatch(/NPS 1 \(detractor\) lowers health by \d+ points/);
    expect(reasons).toMatch(/lowers health/);
    // Amy is healthy: not in the at-risk band.
    expect(await page.getByTestId('at-risk-row').filter({ hasText: 'Amy Calm' }).count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);

  it('creates the follow-up task with one click; it is in the inbox', async () => {
    await row().getByRole('button', { name: /Create follow-up/ }).click();
    await row().getByTestId('followup-link').filter({ hasText: 'Follow-up open' }).waitFor();
    // Reloaded, the list still knows the task.
    await page.reload();
    await row().getByTestId('followup-link').waitFor();
    expect(await row().getByRole('button', { name: /Create follow-up/ }).count()).toBe(0);

    await page.getByRole('navigation').getByRole('link', { name: 'Follow-ups' }).click();
    await page.waitForURL(`**/w/${workspaceId}/follow-ups`);
    const task = page.getByRole('table', { name: 'Follow-up tasks' }).getByRole('row').filter({ hasText: 'At risk: Zed' });
    await task.waitFor();
    expect(await task.count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows health, reasons and lifetime value on the customer page', async () => {
    await page.goto(`/w/${workspaceId}/insight/at-risk`);
    await row().getByTestId('at-risk-name').click();
    const panel = page.getByTestId('health-panel');
    await panel.getByRole('table', { name: 'Health contributions' }).waitFor();
    expect(await panel.getByTestId('health-band').innerText()).toMatch(/at risk/i);
    expect(await panel.innerText()).toMatch(/failed payments in the last 90 days lowers health/);
    expect(await panel.getByTestId('p-alive').innerText()).toMatch(/^(\d+%|—)$/);
    expect(errors).toEqual([]);
  }, 60_000);
});
