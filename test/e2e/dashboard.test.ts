/**
 * The dashboard as a person uses it, in a real Chromium against a real server and database.
 * Needs the built dashboard: `npm run build:web` (npm test builds first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { testDialects } from '../../src/store/testing.js';
import { launchBrowser, openPage, startServerForBrowser, submitLogin, type TestServer } from './browser.js';


const XSS_NAME = '<img src=x onerror=window.__xss=1>';
const VIEWER_EMAIL = 'mallory@example.com';
const VIEWER_PASSWORD = 'a long enough password';

describe.each(testDialects())('dashboard in the browser (%s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let first: { id: string; name: string };
  let second: { id: string; name: string };

  beforeAll(async () => {
    server = await startServerForBrowser(dialect);
    const [a, b] = server.workspaces;
    if (!a || !b) throw new Error('the test app should seed two workspaces');
    first = a;
    second = b;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const newPage = () => openPage(browser, server.url, { width: 1280, height: 860 });

  const logIn = (page: Page, password = server.login.password, email = server.login.email) => submitLogin(page, email, password);

  /** GET an API path with the page's own session cookie; returns status and JSON body. */
  async function apiGet(page: Page, path: string): Promise<{ status: number; body: unknown }> {
    return page.evaluate(async (p) => {
      const res = await fetch(p, { credentials: 'same-origin' });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    }, path);
  }

  it('shows the API error on a wrong password', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, 'not the right password');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/wrong e-mail or password/i);
      expect(new URL(page.url()).pathname).toBe('/login');
    } finally {
      await context.close();
    }
  });

  it('logs in, creates and revokes an API key, switches workspace and logs out', async () => {
    const { context, page, errors } = await newPage();
    try {
      await logIn(page);
      await page.waitForURL(`**/w/${first.id}`);
      await page.getByRole('heading', { name: 'Home' }).waitFor();
      expect(await page.getByRole('banner').innerText()).toContain(server.login.email);
      expect(await page.getByRole('combobox', { name: 'Workspace' }).inputValue()).toBe(first.name);

      // Settings → API keys
      await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
      await page.waitForURL(`**/w/${first.id}/settings/members`);
      await page.getByRole('tab', { name: 'API keys' }).click();
      await page.waitForURL(`**/w/${first.id}/settings/keys`);
      await page.getByText('No API keys yet').waitFor();

      // Create a secret key: the token is shown once.
      await page.getByRole('button', { name: 'Create API key' }).click();
      const createDialog = page.getByRole('dialog', { name: 'Create an API key' });
      await createDialog.getByText('Secret key', { exact: true }).click();
      await createDialog.getByLabel('Key name').fill('CRM sync');
      await createDialog.getByRole('button', { name: 'Create key' }).click();

      const tokenDialog = page.getByRole('dialog', { name: 'Your new API key' });
      await tokenDialog.waitFor();
      const token = (await tokenDialog.getByTestId('new-key-token').innerText()).trim();
      expect(token).toMatch(/^ec_sk_\S{16,}$/);
      expect(await tokenDialog.innerText()).toMatch(/won.t be able to see it\s+again/i);
      await tokenDialog.getByRole('button', { name: 'Done' }).click();
      await tokenDialog.waitFor({ state: 'detached' });
      expect(await page.content()).not.toContain(token);

      // Listed, active, with its prefix (a prefix of the token) and kind.
      const keysTable = page.getByRole('table', { name: 'API keys' });
      const row = keysTable.getByRole('row').filter({ hasText: 'CRM sync' });
      await row.waitFor();
      const rowText = (await row.textContent()) ?? '';
      expect(rowText).toContain('Secret key');
      expect(rowText).toContain('Active');
      const prefix = (await row.locator('code').innerText()).replace('…', '');
      expect(token.startsWith(prefix)).toBe(true);

      // Revoke it, after confirming.
      await row.getByRole('button', { name: 'Revoke CRM sync' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke API key' });
      await confirm.getByRole('button', { name: 'Revoke key' }).click();
      await confirm.waitFor({ state: 'detached' });
      await row.getByText('Revoked', { exact: true }).waitFor();
      expect(await row.getByRole('button', { name: 'Revoke CRM sync' }).count()).toBe(0);
      const keys = await apiGet(page, `/api/workspaces/${first.id}/keys`);
      expect(keys.status).toBe(200);
      const listed = (keys.body as { keys: { name: string; revokedAt: string | null }[] }).keys;
      expect(listed.find((k) => k.name === 'CRM sync')?.revokedAt).toEqual(expect.any(String));

      // The audit log records both.
      await page.getByRole('tab', { name: 'Audit log' }).click();
      const audit = page.getByRole('table', { name: 'Audit log' });
      const keyRows = audit.getByRole('row').filter({ hasText: 'CRM sync' });
      await keyRows.first().waitFor();
      expect(await keyRows.count()).toBe(2); // created, then revoked
      expect(await keyRows.first().innerText()).toContain(server.login.email);

      // Switch workspace: same section, the other workspace's (empty) data.
      await page.getByRole('tab', { name: 'API keys' }).click();
      await page.getByRole('combobox', { name: 'Workspace' }).click();
      await page.getByRole('option', { name: second.name }).click();
      await page.waitForURL(`**/w/${second.id}/settings/keys`);
      await page.getByText('No API keys yet').waitFor();
      expect(await page.getByRole('combobox', { name: 'Workspace' }).inputValue()).toBe(second.name);
      expect(await page.getByRole('table', { name: 'API keys' }).innerText()).not.toContain('CRM sync');

      // Log out: back at the login page, and the session is gone on the server.
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL('**/login');
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      const me = await apiGet(page, '/api/auth/me');
      expect(me.status).toBe(401);
      expect((me.body as { error: { code: string } }).error.code).toBe('AUTH_REQUIRED');

      // A protected page now sends us to the login page.
      await page.goto(`/w/${first.id}/settings/keys`);
      await page.waitForURL('**/login');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('renders a member name containing HTML as text, never as markup', async () => {
    const { context, page, errors } = await newPage();
    try {
      await logIn(page);
      await page.waitForURL(`**/w/${first.id}`);
      await page.goto(`/w/${first.id}/settings/members`);

      await page.getByRole('button', { name: 'Add member' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a member' });
      await dialog.getByLabel('E-mail').fill(VIEWER_EMAIL);
      await dialog.getByLabel('Name').fill(XSS_NAME);
      await dialog.getByLabel(/^Password/).fill(VIEWER_PASSWORD);
      await dialog.getByRole('combobox', { name: 'Role' }).click();
      await page.getByRole('option', { name: 'Viewer' }).click();
      await dialog.getByRole('button', { name: 'Add member' }).click();
      await dialog.waitFor({ state: 'detached' });

      const members = page.getByRole('table', { name: 'Members' });
      const cell = members.getByRole('cell', { name: XSS_NAME, exact: true });
      await cell.waitFor();
      expect(await cell.innerText()).toBe(XSS_NAME);

      // Reload (the name now comes from the server) and look at the audit log too.
      await page.reload();
      await members.getByRole('cell', { name: XSS_NAME, exact: true }).waitFor();
      await page.getByRole('tab', { name: 'Audit log' }).click();
      await page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: VIEWER_EMAIL }).first().waitFor();
      await page.goto(`/w/${first.id}`);
      await page.getByRole('heading', { name: 'Home' }).waitFor();
      await page.goto(`/w/${first.id}/settings/members`);
      await members.getByRole('cell', { name: XSS_NAME, exact: true }).waitFor();
      await page.waitForTimeout(300); // give a broken image's onerror time to fire, if it existed

      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('hides admin-only controls from a viewer', async () => {
    const { context, page, errors } = await newPage();
    try {
      // The viewer was added in the previous test; log in as them.
      await logIn(page, VIEWER_PASSWORD, VIEWER_EMAIL);
      await page.waitForURL(`**/w/${first.id}`);
      expect(await page.getByRole('banner').innerText()).toContain(VIEWER_EMAIL);
      // One membership: the switcher offers just this workspace.
      await page.getByRole('combobox', { name: 'Workspace' }).click();
      expect(await page.getByRole('option').allInnerTexts()).toEqual([first.name]);
      await page.keyboard.press('Escape');

      await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('table', { name: 'Members' }).getByRole('cell', { name: server.login.email }).waitFor();
      // Everyone may read how the insight models did; only admins refresh them.
      expect(await page.getByRole('tab').allInnerTexts()).toEqual(['Members', 'Insight models']);
      await page.getByRole('tab', { name: 'Insight models' }).click();
      await page.getByRole('heading', { name: 'Health model' }).waitFor();
      expect(await page.getByRole('button', { name: 'Refresh now' }).count()).toBe(0);
      await page.getByRole('tab', { name: 'Members' }).click();
      expect(await page.getByRole('button', { name: 'Add member' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Remove / }).count()).toBe(0);
      expect(await page.getByRole('combobox', { name: /^Role of / }).count()).toBe(0);

      // A typed URL for an admin-only tab lands on Members instead.
      await page.goto(`/w/${first.id}/settings/keys`);
      await page.waitForURL(`**/w/${first.id}/settings/members`);
      expect(await page.getByRole('table', { name: 'API keys' }).count()).toBe(0);
      // And the server agrees: keys are admin-only.
      expect((await apiGet(page, `/api/workspaces/${first.id}/keys`)).status).toBe(403);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
