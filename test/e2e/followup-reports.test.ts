/**
 * The follow-up reports as a manager reads them, in a real Chromium against a real server:
 * tasks made through the tracking API and the rule consumer, two contacted in time through the
 * API, one breached by its deadline job, one still running; the page shows SLA met % = 2 / 3
 * with n = 3. Then the agent marks the running one contacted and, after a reload, the report
 * shows 3 / 4 with n = 4. Needs the built dashboard: `npm run build:web`.
 * E2E_SCREENSHOTS=<dir> saves screenshots of the page.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { consumeFollowups, registerDeadlines } from '../../src/modules/followup/index.js';
import { createKey, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { awaitLogHorizon, JobQueue, Worker } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { launchBrowser, openPage, startServerForBrowser, submitLogin, type TestServer } from './browser.js';

const MINUTE = 60_000;

describe.each(testDialects())('follow-up reports in the browser (%s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let workspaceId: string;
  let api: (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;
  const taskOf = new Map<string, string>();

  /** What the background work does: identity resolution, then the rule consumer. */
  const consume = async () => {
    await awaitLogHorizon(server.store.db, dialect);
    await resolvePending({ store: server.store, clock: systemClock, matcher: createMatcher() }, workspaceId);
    return consumeFollowups({ store: server.store, clock: systemClock, queue: new JobQueue(server.store, { clock: systemClock }) }, workspaceId);
  };

  beforeAll(async () => {
    server = await startServerForBrowser(dialect);
    const [first] = server.workspaces;
    if (!first) throw new Error('the test app should seed a workspace');
    workspaceId = first.id;
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(server.login) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    api = async (method, path, body = {}) => {
      const res = await fetch(`${server.url}/api/workspaces/${workspaceId}${path}`, {
        method,
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const writeKey = (await createKey({ store: server.store, clock: systemClock }, { workspaceId, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name: 'site' })).token;
    const track = async (userId: string, event: string) => {
      const res = await fetch(`${server.url}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` }, body: JSON.stringify({ userId, event }) });
      if (!res.ok) throw new Error(`track: ${res.status} ${await res.text()}`);
    };

    // Leads: first contact within an hour. Escalations: within five minutes.
    await api('POST', '/followups/policies', { name: 'Leads', triggerKind: 'lead', firstContactMinutes: 60 });
    await api('POST', '/followups/policies', { name: 'Escalations', triggerKind: 'escalation', firstContactMinutes: 5 });
    await api('POST', '/followups/rules', { name: 'Leads', definition: { trigger: { kind: 'event', event: 'Lead Created' }, actions: [{ type: 'create_task', title: 'Call the lead', slaKind: 'lead' }] } });
    await api('POST', '/followups/rules', { name: 'Escalations', definition: { trigger: { kind: 'event', event: 'Escalation Raised' }, actions: [{ type: 'create_task', title: 'Call back', slaKind: 'escalation' }] } });
    for (const u of ['lead-1', 'lead-2', 'lead-3']) await track(u, 'Lead Created');
    await track('esc-1', 'Escalation Raised');
    const out = await consume();
    expect(out.tasks).toHaveLength(4);
    const { tasks } = (await api('GET', '/tasks?view=all')) as { tasks: { id: string; respondent: { value: string } }[] };
    for (const x of tasks) taskOf.set(x.respondent.value, x.id);

    // Two leads contacted in time; the escalation's five minutes run out (its deadline job runs ten minutes on).
    await api('POST', `/tasks/${taskOf.get('lead-1')}/contacted`);
    await api('POST', `/tasks/${taskOf.get('lead-2')}/contacted`);
    const later = { now: () => Date.now() + 10 * MINUTE };
    const q = new JobQueue(server.store, { clock: later });
    const w = new Worker(q, { onlyRegisteredQueues: true });
    registerDeadlines(w, q, { store: server.store, clock: later });
    for (let ran = await w.runOnce(); ran > 0; ran = await w.runOnce());
    const esc = (await api('GET', `/tasks/${taskOf.get('esc-1')}`)) as { task: { firstBreachedAt: string | null } };
    expect(esc.task.firstBreachedAt).not.toBeNull();

    browser = await launchBrowser();
    ({ context, page, errors } = await openPage(browser, server.url, { width: 1440, height: 900 }));
    await submitLogin(page, server.login.email, server.login.password);
    await page.waitForURL(`**/w/${workspaceId}`);
  }, 60_000);

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

  const slaCard = () => page.getByTestId('kpi-sla');

  it('shows SLA met % with n, by policy, the speed to lead and the trend', async () => {
    await page.goto(`/w/${workspaceId}/follow-ups/reports`);
    await page.getByRole('heading', { name: 'Follow-up reports', level: 1 }).waitFor();
    // Met: lead-1, lead-2; missed: esc-1 (breached); lead-3 still running and not due: not counted.
    await slaCard().getByTestId('kpi-n').filter({ hasText: 'n = 3' }).waitFor();
    expect(await slaCard().getByTestId('kpi-value').innerText()).toMatch(/^66[.,]7 %$/);
    expect(await slaCard().getByTestId('kpi-n').innerText()).toContain('1 not yet due');
    expect(await page.getByTestId('kpi-p90').getByTestId('kpi-n').innerText()).toContain('2 not yet contacted');

    // By policy, as a table: Leads 2 / 2, Escalations 0 / 1.
    const breakdown = page.getByTestId('sla-breakdown');
    await breakdown.getByTestId('sla-chart').waitFor();
    await breakdown.getByText('Table', { exact: true }).click();
    const table = breakdown.getByRole('table', { name: 'SLA met % by policy' });
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').slice(0, 4).join('|'))).toEqual([expect.stringMatching(/^Leads\|3\|100 %\|2 \/ 2$/), expect.stringMatching(/^Escalations\|1\|0 %\|0 \/ 1$/)]);

    // Speed to lead: two contacted within five minutes, two not yet contacted.
    const speed = page.getByTestId('speed-distribution');
    await speed.getByText('Table', { exact: true }).click();
    const buckets = await speed.getByRole('table', { name: 'Speed to lead' }).locator('tbody tr').allInnerTexts();
    expect(buckets.map((r) => r.split('\t').slice(0, 2).join('|'))).toEqual(['Under 5 min|2', '5–60 min|0', '1–24 h|0', 'Over 24 h|0', 'Not yet contacted|2']);
    await page.getByTestId('sla-trend').getByTestId('trend-chart').waitFor();
    await screenshot('followup-reports');
    expect(errors).toEqual([]);
  }, 60_000);

  it('updates when the agent marks another task contacted', async () => {
    await api('POST', `/tasks/${taskOf.get('lead-3')}/contacted`);
    await page.reload();
    await slaCard().getByTestId('kpi-n').filter({ hasText: 'n = 4' }).waitFor();
    expect(await slaCard().getByTestId('kpi-value').innerText()).toMatch(/^75 %$/);
    expect(await page.getByTestId('kpi-p90').getByTestId('kpi-n').innerText()).toContain('1 not yet contacted');
    expect(errors).toEqual([]);
  }, 60_000);
});
