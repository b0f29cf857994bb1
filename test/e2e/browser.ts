/**
 * Browser tests drive Debian's Chromium through playwright-core (no bundled browsers).
 * CHROMIUM_PATH overrides the executable.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { DialectName } from '../../src/store/index.js';
import { startTestApp } from '../support/app.js';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}; install it or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** A fresh browser context on the app, collecting page errors (and console lines with E2E_DEBUG). */
export async function openPage(
  browser: Browser,
  baseURL: string,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL, viewport });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  if (process.env.E2E_DEBUG) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
  return { context, page, errors };
}

/** Open the app, land on the login page and submit e-mail and password. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/**
 * With the session of the page's logged-in owner, add a member through the API (as the
 * dashboard would), then log out so the test can log in as them. Returns the HTTP status.
 */
export async function addMemberAndLogOut(page: Page, workspaceId: string, member: { email: string; password: string; name: string; role: string }): Promise<number> {
  const status = await page.evaluate(
    async ({ ws, m }) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const res = await fetch(`/api/workspaces/${ws}/members`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify(m),
      });
      return res.status;
    },
    { ws: workspaceId, m: member },
  );
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
  return status;
}

export type TestServer = Awaited<ReturnType<typeof startTestApp>>;

/** The real server the browser tests drive, on a fresh database; the dashboard must be built. */
export async function startServerForBrowser(dialect: DialectName): Promise<TestServer> {
  if (!existsSync('dist/web/index.html')) {
    throw new Error('dist/web is missing: run `npm run build:web` before the browser tests');
  }
  return startTestApp({ dialect });
}
