/**
 * The Sources page as a person uses it, in a real Chromium against a real server and
 * database: a write key made on the page, events sent with it showing up in the live
 * tail, a rejected message in the validation errors, and a CSV import with a bad row.
 * Needs the built dashboard: `npm run build:web` (npm test builds first).
 * E2E_SCREENSHOTS=<dir> saves screenshots of the page along the way.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { testDialects } from '../../src/store/testing.js';
import { addMemberAndLogOut, launchBrowser, openPage, startServerForBrowser, submitLogin, type TestServer } from './browser.js';


const XSS = '<img src=x onerror=window.__xss=1>';
const VIEWER_EMAIL = 'viola@example.com';
const VIEWER_PASSWORD = 'a long enough password';

const CONTACTS_CSV = [
  'Contact ID,E-mail Address,Full Name,Created',
  'c-1,ann@example.com,Ann Archer,2025-01-05',
  'c-2,not-an-email,Bob Baker,2025-02-11',
  'c-3,cy@example.com,Cy Carter,2025-03-17',
  '',
].join('\n');

describe.each(testDialects())('sources page in the browser (%s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let workspace: { id: string; name: string };

  beforeAll(async () => {
    server = await startServerForBrowser(dialect);
    const [first] = server.workspaces;
    if (!first) throw new Error('the test app should seed a workspace');
    workspace = first;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const newPage = () => openPage(browser, server.url, { width: 1440, height: 900 });

  async function screenshot(page: Page, name: string): Promise<void> {
    const dir = process.env.E2E_SCREENSHOTS;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    // A viewport as tall as the page: full-page captures smear the fixed header and navbar.
    const size = page.viewportSize() ?? { width: 1440, height: 900 };
    const height = await page.evaluate(
      () => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight,
    );
    await page.setViewportSize({ width: size.width, height: Math.min(height, 6000) });
    await page.waitForTimeout(300); // let the chart resize
    await page.screenshot({ path: join(dir, `${dialect}-${name}.png`) });
    await page.setViewportSize(size);
  }

  async function logIn(page: Page, email = server.login.email, password = server.login.password): Promise<void> {
    await submitLogin(page, email, password);
    await page.waitForURL(`**/w/${workspace.id}`);
    await page.getByRole('heading', { name: 'Home' }).waitFor();
  }

  /** Send tracking messages from the test (as a server-side library would), with the write key. */
  async function sendBatch(writeKey: string, batch: Record<string, unknown>[]) {
    const res = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ batch }),
    });
    const body = (await res.json()) as { accepted?: number; rejected?: unknown[] };
    return { status: res.status, body };
  }

  /** GET a same-origin path with the page's session cookie. */
  async function pageGet(page: Page, path: string): Promise<{ status: number; type: string | null; text: string }> {
    return page.evaluate(async (p) => {
      const res = await fetch(p, { credentials: 'same-origin' });
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    }, path);
  }

  it('creates a write key, tails events as they arrive, shows rejected messages and imports a CSV', async () => {
    const { context, page, errors } = await newPage();
    try {
      await logIn(page);

      // The navbar has Sources between Home and Customers.
      const nav = page.getByRole('navigation');
      const labels = (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
      expect(labels.slice(0, 3)).toEqual(['Home', 'Sources', 'Customers']);
      await nav.getByRole('link', { name: 'Sources' }).click();
      await page.waitForURL(`**/w/${workspace.id}/sources`);
      await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
      await page.getByText('No write keys yet').waitFor();
      await page.getByText('No events yet').waitFor();
      await screenshot(page, 'sources-empty');

      // The snippet shows how to send events to this very server.
      const curl = page.getByLabel('Send an event with curl');
      expect(await curl.innerText()).toContain(`curl -u <writeKey>: -H 'content-type: application/json'`);
      expect(await curl.innerText()).toContain(`${server.url}/v1/track`);

      // Create a write key: shared create / show-once flow with Settings → API keys.
      await page.getByRole('button', { name: 'Create write key' }).click();
      const createDialog = page.getByRole('dialog', { name: 'Create a write key' });
      expect(await createDialog.getByText('Secret key').count()).toBe(0); // no kind switch here
      await createDialog.getByLabel('Key name').fill('Website tracking');
      await createDialog.getByRole('button', { name: 'Create key' }).click();
      const tokenDialog = page.getByRole('dialog', { name: 'Your new API key' });
      await tokenDialog.waitFor();
      const token = (await tokenDialog.getByTestId('new-key-token').innerText()).trim();
      expect(token).toMatch(/^ec_wk_\S{16,}$/);
      expect(await tokenDialog.getByLabel('Send an event with curl').innerText()).toContain(`curl -u '${token}:'`);
      await tokenDialog.getByRole('button', { name: 'Done' }).click();
      await tokenDialog.waitFor({ state: 'detached' });
      const keyRow = page.getByRole('table', { name: 'Write keys' }).getByRole('row').filter({ hasText: 'Website tracking' });
      await keyRow.getByText('Active').waitFor();
      expect(await page.content()).not.toContain(token);

      // Events sent now appear in the live tail without a reload, newest on top.
      const first = await sendBatch(token, [
        { type: 'identify', userId: 'u1', messageId: 'm-identify-1', traits: { email: 'ann@example.com', name: XSS } },
        { type: 'track', userId: 'u1', messageId: 'm-track-1', event: 'Signed Up', properties: { plan: 'pro', note: XSS } },
        { type: 'page', anonymousId: 'anon-42', messageId: 'm-page-1', name: 'Pricing' },
      ]);
      expect(first.status).toBe(200);
      expect(first.body.accepted).toBe(3);
      const live = page.getByRole('table', { name: 'Live events' });
      const signedUp = live.getByRole('row').filter({ hasText: 'Signed Up' });
      await signedUp.waitFor();
      await live.getByRole('row').filter({ hasText: 'Pricing' }).waitFor();
      expect(await signedUp.innerText()).toContain('u1');
      expect(await signedUp.innerText()).toContain('Website tracking');
      const eventRows = live.locator('tr[data-event-id]');
      expect(await eventRows.count()).toBe(3);
      expect(await eventRows.first().innerText()).toContain('Pricing');
      expect(await eventRows.first().innerText()).toContain('anon-42');
      expect(await eventRows.last().innerText()).toMatch(/identify/i);

      // A row opens to show its properties and context as JSON text, never as HTML.
      await live.getByRole('button', { name: 'Details of track Signed Up' }).click();
      const props = live.getByTestId('event-properties');
      await props.waitFor();
      const propsText = await props.innerText();
      expect(JSON.parse(propsText)).toMatchObject({ plan: 'pro', note: XSS });
      expect(await live.getByTestId('event-context').count()).toBe(1);
      await page.waitForTimeout(300); // a broken image's onerror would have fired by now
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();

      // Later events keep arriving on top…
      expect((await sendBatch(token, [{ type: 'track', userId: 'u2', messageId: 'm-track-2', event: 'Order Completed' }])).status).toBe(200);
      await live.getByRole('row').filter({ hasText: 'Order Completed' }).waitFor();
      expect(await eventRows.first().innerText()).toContain('Order Completed');

      // …except while paused.
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.getByRole('status').filter({ hasText: 'Paused' }).waitFor();
      expect((await sendBatch(token, [{ type: 'track', userId: 'u3', messageId: 'm-track-3', event: 'While Paused' }])).status).toBe(200);
      await page.waitForTimeout(4500);
      expect(await live.getByRole('row').filter({ hasText: 'While Paused' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Resume' }).click();
      await live.getByRole('row').filter({ hasText: 'While Paused' }).waitFor();

      // A rejected message (a track without an event name) shows in the validation errors.
      const bad = await sendBatch(token, [
        { type: 'track', userId: 'u1', messageId: 'm-bad-1', properties: { plan: 'pro' } },
        { type: 'track', userId: 'u1', messageId: 'm-good-after-bad', event: 'Still Kept' },
      ]);
      expect(bad.status).toBe(200);
      expect(bad.body.rejected).toHaveLength(1);
      const errorsTable = page.getByRole('table', { name: 'Validation errors' });
      const badRow = errorsTable.getByRole('row').filter({ hasText: 'm-bad-1' });
      await badRow.waitFor();
      expect(await badRow.innerText()).toContain('track');
      expect(await badRow.innerText()).toContain(token.slice(0, 8));
      await live.getByRole('row').filter({ hasText: 'Still Kept' }).waitFor();

      // A request refused as a whole (its body is not JSON) shows there too, with its code.
      const broken = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: '{"batch": [',
      });
      expect(broken.status).toBe(400);
      const brokenRow = errorsTable.getByRole('row').filter({ hasText: 'MALFORMED_JSON' });
      await brokenRow.waitFor();
      expect(await brokenRow.innerText()).toContain('the whole request was refused: the body is not valid JSON');

      // Per-source counts: events for the key, and the chart of events per day.
      const tracking = page.getByRole('table', { name: 'Events per write key' });
      await tracking.getByRole('row').filter({ hasText: 'Website tracking' }).filter({ hasText: '6' }).waitFor({ timeout: 15_000 });
      await page.getByRole('img', { name: /events per day/i }).waitFor();
      await screenshot(page, 'sources-events');

      // A mapping that names an unknown field: the server's reason is shown.
      const form = page.getByRole('form', { name: 'Import a file' });
      await form.getByRole('textbox', { name: 'Source name' }).fill('hubspot');
      const mappingInput = form.getByRole('textbox', { name: /Column mapping/ });
      await mappingInput.fill('[1, 2]');
      await form.getByText('The mapping must be a JSON object', { exact: false }).waitFor();
      await mappingInput.fill('{"shoeSize": "Full Name"}');
      await form.locator('input[type="file"]').setInputFiles({
        name: 'bad-mapping.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(CONTACTS_CSV),
      });
      await form.getByRole('button', { name: 'Upload' }).click();
      const failure = form.getByRole('alert').filter({ hasText: 'The import failed' });
      await failure.waitFor();
      expect(await failure.innerText()).toContain('shoeSize');
      await mappingInput.fill('');

      // Import a contacts CSV with one bad row.
      await form.locator('input[type="file"]').setInputFiles({
        name: 'contacts.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(CONTACTS_CSV),
      });
      await form.getByRole('button', { name: 'Upload' }).click();
      const history = page.getByRole('table', { name: 'Import history' });
      const importRow = history.getByRole('row').filter({ hasText: 'contacts.csv' });
      await importRow.waitFor({ timeout: 20_000 });
      await importRow.getByText('Succeeded').waitFor({ timeout: 20_000 });
      const rowText = await importRow.innerText();
      expect(rowText).toContain('hubspot');
      expect(rowText).toContain('Contacts');
      expect(await importRow.locator('td').nth(4).innerText()).toBe('3'); // read
      expect(await importRow.locator('td').nth(5).innerText()).toBe('2'); // imported
      expect(await importRow.getByTestId('rows-failed').innerText()).toBe('1');
      await form.getByText(/2 of 3 rows imported, 1 failed/).waitFor();

      // The error report link works and names the bad line.
      const link = importRow.getByRole('link', { name: 'Download error report of contacts.csv' });
      const href = await link.getAttribute('href');
      expect(href).toMatch(new RegExp(`^/api/workspaces/${workspace.id}/imports/[^/]+/errors\\.csv$`));
      const report = await pageGet(page, href ?? '');
      expect(report.status).toBe(200);
      expect(report.type).toMatch(/text\/csv/);
      const lines = report.text.trim().split(/\r?\n/);
      expect(lines[0]).toBe('line,field,value,reason');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/^3,email,not-an-email,/);

      // The records table now counts the imported contacts.
      await page
        .getByRole('table', { name: 'Records per source' })
        .getByRole('row')
        .filter({ hasText: 'hubspot' })
        .filter({ hasText: '2' })
        .first()
        .waitFor({ timeout: 15_000 });
      await screenshot(page, 'sources-imported');

      // A full tail survives a reload: the newest 50 come back from the tail.
      await page.reload();
      await live.getByRole('row').filter({ hasText: 'Still Kept' }).waitFor();
      expect(await live.locator('tr[data-event-id]').count()).toBe(6);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('shows a viewer the tail and history, but neither write keys nor the upload form', async () => {
    const { context, page, errors } = await newPage();
    try {
      await logIn(page);
      // Add a viewer through the API, with the owner's session.
      const added = await addMemberAndLogOut(page, workspace.id, { email: VIEWER_EMAIL, password: VIEWER_PASSWORD, name: 'Viola', role: 'viewer' });
      expect(added).toBe(201);

      await logIn(page, VIEWER_EMAIL, VIEWER_PASSWORD);
      await page.goto(`/w/${workspace.id}/sources`);
      await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
      await page.getByTestId('write-keys-admin-only').waitFor();
      await page.getByRole('table', { name: 'Live events' }).getByRole('row').filter({ hasText: 'Signed Up' }).waitFor();
      await page.getByRole('table', { name: 'Import history' }).getByRole('row').filter({ hasText: 'contacts.csv' }).waitFor();
      expect(await page.getByRole('button', { name: 'Create write key' }).count()).toBe(0);
      expect(await page.getByRole('table', { name: 'Write keys' }).count()).toBe(0);
      expect(await page.getByRole('form', { name: 'Import a file' }).count()).toBe(0);
      await screenshot(page, 'sources-viewer');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
