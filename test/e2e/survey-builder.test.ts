/**
 * The survey builder as a person uses it, in a real Chromium against a real server and database:
 * a manager starts an NPS survey from the template, adds a French translation and watches the
 * live preview switch language, saves, opens the survey and makes a signed link; an emptied
 * question wording comes back from the API as an error at that field; a viewer sees it all
 * read-only. Needs the built dashboard: `npm run build:web`.
 * E2E_SCREENSHOTS=<dir> saves screenshots of the pages along the way.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { testDialects } from '../../src/store/testing.js';
import { addMemberAndLogOut, launchBrowser, openPage, startServerForBrowser, submitLogin, type TestServer } from './browser.js';

const MANAGER = { email: 'mina@example.com', password: 'a long enough password', name: 'Mina', role: 'manager' };
const VIEWER = { email: 'viola@example.com', password: 'a long enough password', name: 'Viola', role: 'viewer' };
const NPS_EN = 'How likely are you to recommend us to a friend or colleague?';
const NPS_FR = 'Quelle est la probabilité que vous nous recommandiez à un ami ou un collègue ?';

describe.each(testDialects())('survey builder in the browser (%s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let workspace: { id: string; name: string };
  let surveyId = '';

  beforeAll(async () => {
    server = await startServerForBrowser(dialect);
    const [first] = server.workspaces;
    if (!first) throw new Error('the test app should seed a workspace');
    workspace = first;
    browser = await launchBrowser();
    ({ context, page, errors } = await openPage(browser, server.url, { width: 1440, height: 1000 }));
    await submitLogin(page, server.login.email, server.login.password);
    await page.waitForURL(`**/w/${workspace.id}`);
    // The owner adds a viewer (kept for the last test) and a manager, then logs out.
    const viewerAdded = await page.evaluate(
      async ({ ws, m }) => {
        const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
        const res = await fetch(`/api/workspaces/${ws}/members`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify(m) });
        return res.status;
      },
      { ws: workspace.id, m: VIEWER },
    );
    expect(viewerAdded).toBe(201);
    expect(await addMemberAndLogOut(page, workspace.id, MANAGER)).toBe(201);
    await submitLogin(page, MANAGER.email, MANAGER.password);
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

  const preview = () => page.getByRole('region', { name: 'Survey preview' });
  const wording = () => page.getByLabel('Question 1 wording');
  /** The text of the error Mantine shows under a field (its aria-describedby "-error" element). */
  async function fieldError(field: ReturnType<Page['getByLabel']>): Promise<string> {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/);
    const id = ids.find((x) => x.endsWith('-error'));
    if (!id) return '';
    return page.locator(`[id="${id}"]`).innerText();
  }

  it('builds an NPS survey from the template, translates it, previews it in French, opens it and makes a link', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Feedback' }).click();
    await page.waitForURL(`**/w/${workspace.id}/feedback`);
    await page.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();
    await page.getByText('No surveys yet').waitFor();
    expect(await page.getByRole('link', { name: 'Responses' }).getAttribute('href')).toBe(`/w/${workspace.id}/feedback/responses`);
    expect(await page.getByRole('link', { name: 'Reports' }).getAttribute('href')).toBe(`/w/${workspace.id}/feedback/reports`);

    await page.getByRole('button', { name: 'New survey' }).click();
    await page.getByRole('menuitem', { name: /NPS with “why\?”/ }).click();
    await page.waitForURL(/\/feedback\/surveys\/srv_[0-9a-z]+$/);
    surveyId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await page.getByRole('heading', { name: 'NPS survey', level: 1 }).waitFor();
    expect(await page.getByTestId('survey-status').textContent()).toBe('Draft');

    // The preview shows the template in English, with its follow-up and the default scale labels.
    await preview().getByText(NPS_EN).waitFor();
    await preview().getByText('What is the main reason for your score?').waitFor();
    await preview().getByText('Not at all likely').waitFor();
    expect(await preview().getByRole('radio').count()).toBe(11);

    // Add French: the builder now edits French, and lists what is missing there.
    await page.getByRole('combobox', { name: 'Add a language' }).click();
    await page.getByRole('option', { name: 'French (fr)' }).click();
    await page.getByRole('button', { name: 'Add language' }).click();
    const missing = page.getByTestId('missing-wordings').locator('[data-language="fr"]');
    await missing.getByText('3 missing').waitFor();
    expect(await missing.innerText()).toContain('Question 1 wording');
    expect(await missing.innerText()).toContain('not offered to respondents');
    expect(await wording().inputValue()).toBe('');
    expect(await wording().getAttribute('placeholder')).toBe(NPS_EN);

    // Until the question is written in French, previewing French shows English (as the hosted page would).
    await page.getByRole('combobox', { name: 'Preview language' }).click();
    await page.getByRole('option', { name: 'French' }).click();
    await page.getByRole('note').filter({ hasText: 'Not every question is written in French yet' }).waitFor();
    expect(await preview().getAttribute('lang')).toBe('en');

    await wording().fill(NPS_FR);
    await page.getByLabel('Title').fill('Votre avis compte');
    await preview().getByText(NPS_FR).waitFor();
    expect(await preview().getAttribute('lang')).toBe('fr');
    await preview().getByRole('heading', { name: 'Votre avis compte' }).waitFor();
    // The follow-up is not translated: French respondents get the French default wording.
    await preview().getByText('Quelle est la raison principale de votre note ?').waitFor();
    await preview().getByText('Pas du tout probable').waitFor();
    expect(await preview().getByText(NPS_EN).count()).toBe(0);
    await missing.getByText('1 missing').waitFor();
    expect(await missing.innerText()).toContain('Question 1 follow-up');

    // Back to English in the preview.
    await page.getByRole('combobox', { name: 'Preview language' }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await preview().getByText(NPS_EN).waitFor();
    expect(await preview().getAttribute('lang')).toBe('en');
    await screenshot('builder-translated');

    // Save; the translation is stored.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    const stored = await page.evaluate(
      async ({ ws, id }) => (await (await fetch(`/api/workspaces/${ws}/surveys/${id}`)).json()) as { definition: { title: Record<string, string>; questions: { text: Record<string, string> }[] } },
      { ws: workspace.id, id: surveyId },
    );
    expect(stored.definition.questions[0]?.text).toEqual({ en: NPS_EN, fr: NPS_FR });
    expect(stored.definition.title).toEqual({ en: 'We would love your feedback', fr: 'Votre avis compte' });

    // Open it.
    await page.getByRole('button', { name: 'Open survey' }).click();
    await page.getByRole('status').filter({ hasText: 'The survey is open' }).waitFor();
    expect(await page.getByTestId('survey-status').textContent()).toBe('Active');
    await page.getByRole('button', { name: 'Close survey' }).waitFor();

    // Distribution: a signed link for one respondent.
    await page.getByRole('tab', { name: 'Distribution' }).click();
    await page.getByTestId('contact-rules').filter({ hasText: 'Nobody is asked more than once in 30 days' }).waitFor();
    const widget = page.getByLabel('Widget snippet', { exact: true });
    expect(await widget.innerText()).toBe(`<script async src="${server.url}/widget.js" data-survey="${surveyId}" data-token="TOKEN_FROM_YOUR_BACKEND"></script>`);
    const linkForm = page.getByRole('form', { name: 'Make a link' });
    await linkForm.getByRole('textbox', { name: 'E-mail' }).fill('ann@example.com');
    await linkForm.getByRole('button', { name: 'Make link' }).click();
    const link = page.getByTestId('survey-link').getByRole('textbox', { name: 'Survey link' });
    await link.waitFor();
    const url = new URL(await link.inputValue());
    expect(url.origin).toBe(server.url);
    expect(`${url.pathname}${url.search}`.startsWith(`/s/${surveyId}?t=`)).toBe(true);
    expect(url.searchParams.get('t')?.length ?? 0).toBeGreaterThan(20);
    expect(await page.getByTestId('survey-link').getByRole('link', { name: 'Open the survey page' }).getAttribute('href')).toBe(url.toString());
    // Send by e-mail: queued, or (the test server has no SMTP) a plain explanation of why not, never a crash.
    const sendForm = page.getByRole('form', { name: 'Send the survey by e-mail' });
    await sendForm.getByRole('textbox', { name: 'E-mail' }).fill('ann@example.com');
    await sendForm.getByRole('button', { name: 'Send e-mail' }).click();
    const outcome = sendForm.getByRole('status').or(sendForm.getByRole('alert'));
    await outcome.first().waitFor();
    expect(await outcome.first().innerText()).toMatch(/on its way to ann@example\.com|E-mail is not set up on this server|Not available yet/);
    await screenshot('distribution');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows the API’s validation error at the field it names', async () => {
    await page.goto(`/w/${workspace.id}/feedback/surveys/${surveyId}`);
    await page.getByRole('heading', { name: 'NPS survey', level: 1 }).waitFor();
    expect(await wording().inputValue()).toBe(NPS_EN);
    await wording().fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'The survey was not saved' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('Question 1 · text · en');
    await expect.poll(() => wording().getAttribute('aria-invalid')).toBe('true');
    expect(await fieldError(wording())).toMatch(/too small|at least|>=1/i);
    // Nothing was stored.
    const stored = await page.evaluate(
      async ({ ws, id }) => (await (await fetch(`/api/workspaces/${ws}/surveys/${id}`)).json()) as { definition: { questions: { text: Record<string, string> }[] } },
      { ws: workspace.id, id: surveyId },
    );
    expect(stored.definition.questions[0]?.text.en).toBe(NPS_EN);

    // Corrected, it saves and the error goes.
    await wording().fill('How likely are you to recommend Northwind to a friend?');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await wording().getAttribute('aria-invalid')).not.toBe('true');
    expect(await page.getByRole('alert').filter({ hasText: 'The survey was not saved' }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 30_000);

  it('edits branding with a contrast warning, widget rules and triggers, saved in the definition', async () => {
    await page.goto(`/w/${workspace.id}/feedback/surveys/${surveyId}`);
    await page.getByRole('heading', { name: 'NPS survey', level: 1 }).waitFor();

    await page.getByRole('tab', { name: 'Branding' }).click();
    await page.getByLabel('Company name').fill('Northwind');
    await page.getByRole('textbox', { name: 'Colour' }).fill('#ffe066');
    await page.getByTestId('contrast-warning').waitFor();
    await preview().getByText('Northwind', { exact: true }).waitFor();
    await page.getByRole('textbox', { name: 'Colour' }).fill('#1c4fb8');
    await page.getByTestId('contrast-warning').waitFor({ state: 'detached' });

    await page.getByRole('tab', { name: 'Distribution' }).click();
    await page.getByLabel('Show after the event').fill('Order Completed');
    await page.getByRole('button', { name: 'Add a trigger' }).click();
    const trigger = page.getByRole('region', { name: 'Trigger 1' });
    await trigger.getByLabel('Trigger 1 event').fill('Ticket Solved');
    await trigger.getByRole('button', { name: 'Add a filter' }).click();
    await trigger.getByLabel('Trigger 1 filter 1 property').fill('properties.priority');
    await trigger.getByRole('combobox', { name: 'Trigger 1 filter 1 comparison' }).click();
    await page.getByRole('option', { name: '≥' }).click();
    await trigger.getByLabel('Trigger 1 filter 1 value').fill('3');
    await trigger.getByLabel('Delay (minutes)').fill('90');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const stored = await page.evaluate(
      async ({ ws, id }) => (await (await fetch(`/api/workspaces/${ws}/surveys/${id}`)).json()) as { definition: { branding: unknown; widget: unknown; triggers: unknown } },
      { ws: workspace.id, id: surveyId },
    );
    expect(stored.definition.branding).toEqual({ colour: '#1c4fb8', companyName: 'Northwind' });
    expect(stored.definition.widget).toEqual({ pages: [], event: 'Order Completed', delaySeconds: 0, sample: 1 });
    expect(stored.definition.triggers).toEqual([
      { id: 'trigger-1', event: 'Ticket Solved', where: [{ property: 'properties.priority', op: 'gte', value: 3 }], delayMinutes: 90, channel: 'email', sample: 1, enabled: true },
    ]);
    expect(errors).toEqual([]);
  }, 30_000);

  it('shows a viewer the survey read-only', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await submitLogin(page, VIEWER.email, VIEWER.password);
    await page.waitForURL(`**/w/${workspace.id}`);

    await page.goto(`/w/${workspace.id}/feedback`);
    const row = page.getByRole('table', { name: 'Surveys' }).locator(`tr[data-survey-id="${surveyId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('survey-status').textContent()).toBe('Active');
    expect(await page.getByRole('button', { name: 'New survey' }).count()).toBe(0);

    await row.getByRole('link', { name: 'NPS survey' }).click();
    await page.getByRole('heading', { name: 'NPS survey', level: 1 }).waitFor();
    await page.getByRole('note').filter({ hasText: 'Read-only' }).waitFor();
    expect(await wording().inputValue()).toBe('How likely are you to recommend Northwind to a friend?');
    expect(await wording().getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('button', { name: /^(Save|Open survey|Close survey|Add a question|Add language)$/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remove question/ }).count()).toBe(0);
    // The preview still works for a viewer.
    await page.getByRole('combobox', { name: 'Preview language' }).click();
    await page.getByRole('option', { name: 'French' }).click();
    await preview().getByText(NPS_FR).waitFor();
    await page.getByRole('tab', { name: 'Distribution' }).click();
    await page.getByText('Only managers, admins and owners can make survey links.').waitFor();
    expect(await page.getByRole('button', { name: 'Make link' }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 30_000);
  it('lets an admin change the contact limit and quiet hours from the distribution tab', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await submitLogin(page, server.login.email, server.login.password);
    await page.waitForURL(`**/w/${workspace.id}`);
    await page.goto(`/w/${workspace.id}/feedback/surveys/${surveyId}`);
    await page.getByRole('tab', { name: 'Distribution' }).click();
    const rules = page.getByRole('region', { name: 'Contact rules' });
    await rules.getByRole('button', { name: 'Change' }).click();
    await rules.getByLabel('Contact limit (days)').fill('14');
    await rules.getByLabel('Quiet from (hour)').fill('22');
    await rules.getByLabel('Default time zone').fill('Europe/Nowhere');
    await rules.getByRole('button', { name: 'Save settings' }).click();
    // The API's own check of the time zone, at the field.
    const tz = rules.getByLabel('Default time zone');
    await expect.poll(() => tz.getAttribute('aria-invalid')).toBe('true');
    expect(await fieldError(tz)).toContain('IANA time zone');
    await tz.fill('Europe/Paris');
    await rules.getByRole('button', { name: 'Save settings' }).click();
    await page.getByTestId('contact-rules').filter({ hasText: 'Nobody is asked more than once in 14 days' }).waitFor();
    expect(await page.getByTestId('contact-rules').innerText()).toContain('between 22:00 and 08:00 of the customer’s local time (Europe/Paris');
    const stored = await page.evaluate(async (ws) => (await (await fetch(`/api/workspaces/${ws}/feedback/settings`)).json()) as unknown, workspace.id);
    expect(stored).toMatchObject({ contactLimitDays: 14, quietHours: { start: 22, end: 8 }, defaultTimeZone: 'Europe/Paris' });
    expect(errors).toEqual([]);
  }, 30_000);
});
