/**
 * Follow-up within the hour, as an agent lives it, in a real Chromium against a real server:
 * the detractor template is enabled, a customer answers an NPS survey with a 2 through the
 * public survey API, the follow-up consumer turns the answer into a task, and then in the
 * browser the task shows in the inbox with a live countdown, the agent opens it (the customer
 * beside it), marks it contacted, and the inbox shows it contacted, counting down to resolution.
 * Needs the built dashboard: `npm run build:web`. E2E_SCREENSHOTS=<dir> saves screenshots.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { consumeFollowups } from '../../src/modules/followup/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { awaitLogHorizon, JobQueue } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { launchBrowser, openPage, startServerForBrowser, submitLogin, type TestServer } from './browser.js';

const TITLE = 'Call Grace Hopper back: NPS 2';

/** Through the HTTP API, as the dashboard, a tracking snippet and a respondent would. */
async function seed(server: TestServer, workspaceId: string, settle: () => Promise<void>): Promise<void> {
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(server.login) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const api = async (method: string, path: string, body: unknown = {}) => {
    const res = await fetch(`${server.url}/api/workspaces/${workspaceId}${path}`, { method, headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };

  // The detractor template: its rule and its one-hour SLA policy.
  const enabled = await api('POST', '/followups/templates/detractor/enable');
  expect(enabled.created).toBe(true);

  // The customer, known from the product with the workspace owner as account owner.
  const key = await api('POST', '/keys', { kind: 'write', name: 'site' });
  const identify = await fetch(`${server.url}/v1/identify`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${key.token as string}:`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'u-grace', traits: { name: 'Grace Hopper', email: 'grace@navy.example', accountOwnerEmail: server.login.email } }),
  });
  expect(identify.status).toBe(200);
  await settle();

  // An NPS survey, answered with a 2.
  const survey = await api('POST', '/surveys', {
    name: 'Relationship NPS',
    definition: { defaultLanguage: 'en', questions: [{ id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us?' }, required: true }] },
  });
  const surveyId = survey.id as string;
  await api('PATCH', `/surveys/${surveyId}`, { status: 'active' });
  const link = await api('POST', `/surveys/${surveyId}/links`, { respondent: { kind: 'user_id', value: 'u-grace' } });
  const answer = await fetch(`${server.url}/s/api/${surveyId}/answers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: link.token, answers: { nps: 2 }, finished: true }),
  });
  if (!answer.ok) throw new Error(`answer: ${answer.status} ${await answer.text()}`);
  await settle();
}

describe.each(testDialects())('follow-up inbox and task page in the browser (%s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let workspaceId: string;

  beforeAll(async () => {
    server = await startServerForBrowser(dialect);
    const [first] = server.workspaces;
    if (!first) throw new Error('the test app should seed a workspace');
    workspaceId = first.id;
    // The test server runs no background jobs: do their work here, as the jobs would.
    const settle = async () => {
      await awaitLogHorizon(server.store.db, dialect);
      await resolvePending({ store: server.store, clock: systemClock, matcher: createMatcher() }, workspaceId);
    };
    await seed(server, workspaceId, settle);
    const out = await consumeFollowups({ store: server.store, clock: systemClock, queue: new JobQueue(server.store, { clock: systemClock }) }, workspaceId);
    expect(out.tasks).toHaveLength(1);

    browser = await launchBrowser();
    ({ context, page, errors } = await openPage(browser, server.url, { width: 1440, height: 900 }));
    await submitLogin(page, server.login.email, server.login.password);
    await page.waitForURL(`**/w/${workspaceId}`);
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
    await page.screenshot({ path: join(dir, `${dialect}-followups-${name}.png`), fullPage: true });
  }

  const inbox = () => page.getByRole('table', { name: 'Follow-up tasks' });
  const row = () => inbox().getByRole('row').filter({ hasText: TITLE });

  it('shows the task in the inbox with a live countdown to first contact', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Follow-ups' }).click();
    await page.waitForURL(`**/w/${workspaceId}/follow-ups`);
    await page.getByRole('heading', { name: 'Follow-ups', level: 1 }).waitFor();
    await row().waitFor();
    expect(await row().getByTestId('task-status').textContent()).toBe('Open');
    expect(await row().getByTestId('task-priority').textContent()).toMatch(/high/i);
    expect(await row().getByTestId('task-owner').innerText()).toMatch(/Owner of Northwind Coffee|owner@example\.com/);
    expect(await row().getByTestId('task-customer').innerText()).toBe('u-grace');

    // A one-hour first-contact clock with more than half left: green, and said in words too.
    const countdown = row().getByTestId('countdown');
    expect(await countdown.getAttribute('data-level')).toBe('ok');
    expect(await countdown.textContent()).toContain('On track');
    expect(await countdown.getAttribute('aria-label')).toMatch(/^SLA: On track, \d+m \d\ds left to first contact$/);
    const text = row().getByTestId('countdown-text');
    const before = await text.innerText();
    expect(before).toMatch(/^\d{1,2}m \d\ds left to first contact$/);
    // It ticks every second without a refetch.
    const fetched: string[] = [];
    const onRequest = (r: { url(): string }) => void (r.url().includes('/tasks') && fetched.push(r.url()));
    page.on('request', onRequest);
    await text.filter({ hasNotText: before }).waitFor({ timeout: 4000 });
    page.off('request', onRequest);
    expect(await text.innerText()).toMatch(/^\d{1,2}m \d\ds left to first contact$/);
    expect(fetched).toEqual([]);

    // The same task under "Mine" (the owner is its account owner) but not under "My team" (no teams).
    await page.getByRole('tab', { name: 'Mine' }).click();
    await row().waitFor();
    await page.getByRole('tab', { name: 'My team' }).click();
    await page.getByText('No tasks for your teams').waitFor();
    await page.getByRole('tab', { name: 'All' }).click();
    await row().waitFor();
    await screenshot('inbox');
    expect(errors).toEqual([]);
  }, 60_000);

  it('opens the task beside its customer and marks it contacted; the inbox shows it contacted', async () => {
    await row().getByRole('link', { name: TITLE }).click();
    await page.waitForURL(new RegExp(`/w/${workspaceId}/follow-ups/tasks/[^/]+$`));
    await page.getByTestId('task-title').filter({ hasText: TITLE }).waitFor();
    expect(await page.getByTestId('task-status').textContent()).toBe('Open');
    await page.getByTestId('task-policy').filter({ hasText: 'Detractors: call within 1 hour' }).waitFor();
    // The customer 360 beside the task.
    const customer = page.getByTestId('customer-360');
    await customer.getByTestId('customer-name').filter({ hasText: 'Grace Hopper' }).waitFor();
    await customer.getByRole('heading', { name: 'Timeline' }).waitFor();
    const history = page.getByRole('table', { name: 'Task history' });
    expect(await history.locator('tr[data-event-type]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-type')))).toEqual(['created', 'assigned']);
    await screenshot('task-open');

    await page.getByRole('button', { name: 'Contacted', exact: true }).click();
    await page.getByTestId('task-status').filter({ hasText: 'Contacted' }).waitFor();
    await history.locator('tr[data-event-type="contacted"]').waitFor();
    // The clock now counts down to resolution (three days), and the Contacted action is gone.
    expect(await page.getByTestId('countdown-text').innerText()).toMatch(/left to resolution$/);
    expect(await page.getByRole('button', { name: 'Contacted', exact: true }).count()).toBe(0);
    expect(await page.getByText(/by (Owner of Northwind Coffee|owner@example\.com) · in time/).count()).toBe(1);
    await screenshot('task-contacted');

    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.waitForURL(`**/w/${workspaceId}/follow-ups`);
    await row().getByTestId('task-status').filter({ hasText: 'Contacted' }).waitFor();
    expect(await row().getByTestId('countdown-text').innerText()).toMatch(/left to resolution$/);

    // The status filter: contacted shows it, open does not.
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Open' }).click();
    await page.getByText('No tasks', { exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('open');
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Contacted' }).click();
    await row().waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
  it('sets up rules: API validation errors at their path, "Test this rule", enable and disable', async () => {
    await page.getByRole('link', { name: 'Rules and set-up' }).click();
    await page.waitForURL(`**/w/${workspaceId}/follow-ups/rules`);
    const rules = page.getByRole('table', { name: 'Rules' });
    const detractor = rules.getByRole('row').filter({ hasText: 'Detractor → call within 1 hour' });
    await detractor.waitFor();
    expect(await detractor.getByRole('switch').isChecked()).toBe(true);

    // A new rule with a condition missing its value: refused, the error shown at its path.
    await page.getByRole('button', { name: 'New rule' }).click();
    const editor = page.getByRole('dialog', { name: 'New rule' });
    await editor.getByRole('textbox', { name: 'Name', exact: true }).fill('Low scores');
    await editor.getByLabel('Condition 1 value').fill('');
    await editor.getByRole('button', { name: 'Create rule' }).click();
    await editor.getByTestId('api-error').locator('[data-issue-path="definition.conditions.0.value"]').waitFor();
    expect(await editor.getByTestId('api-error').innerText()).toContain('"eq" needs a value');
    await editor.getByText('"eq" needs a value').first().waitFor();

    // Fixed, then tested against a sample answer: what would fire, with its title filled in.
    await editor.getByLabel('Condition 1 value').fill('detractor');
    expect(await editor.getByLabel('Definition (JSON)').inputValue()).toContain('"value": "detractor"');
    await editor.getByRole('button', { name: 'Test this rule' }).click();
    const result = editor.getByTestId('rule-test-result');
    await result.waitFor();
    expect(await result.getAttribute('data-matched')).toBe('true');
    expect(await result.innerText()).toContain('Call Ada Lovelace back: NPS 3');
    await screenshot('rule-editor');
    await editor.getByRole('button', { name: 'Create rule' }).click();
    await editor.waitFor({ state: 'detached' });
    await rules.getByRole('row').filter({ hasText: 'Low scores' }).waitFor();

    // Disable the template's rule.
    await detractor.getByRole('switch').click({ force: true });
    await detractor.getByText('Off').waitFor();
    const listed = await page.evaluate(async (ws) => (await (await fetch(`/api/workspaces/${ws}/followups/rules`)).json()) as { rules: { name: string; enabled: boolean }[] }, workspaceId);
    expect(listed.rules.find((r) => r.name.startsWith('Detractor'))?.enabled).toBe(false);

    // The other tabs: the template's policy, and the template shown as disabled.
    await page.getByRole('tab', { name: 'SLA policies' }).click();
    await page.getByRole('table', { name: 'SLA policies' }).getByRole('row').filter({ hasText: 'Detractors: call within 1 hour' }).waitFor();
    await page.getByRole('tab', { name: 'Templates' }).click();
    await page.locator('[data-template="detractor"]').getByText('Disabled', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Notifications' }).click();
    await page.getByRole('table', { name: 'Delivery log' }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
