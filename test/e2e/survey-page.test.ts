/**
 * The survey channels as a customer meets them, in a real Chromium against a real server:
 * the hosted page answered with the keyboard alone (a required question refused aloud, the
 * "why?" after the score, each step saved), markup typed as an answer staying text when the
 * page shows it again, a one-click score from an e-mail recorded by the page; and the widget
 * embedded on another site, shown by its rules, answered, remembered without cookies, and
 * closed with Escape. Needs the built dashboard (`npm run build:web`) like the other browser tests.
 * E2E_SCREENSHOTS=<dir> saves screenshots of the page and the widget.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { testDialects } from '../../src/store/testing.js';
import { launchBrowser, openPage, startServerForBrowser, type TestServer } from './browser.js';

const HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"></textarea><b>bold</b>';

interface Owner {
  headers: Record<string, string>;
}

async function logIn(server: TestServer): Promise<Owner> {
  const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(server.login) });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } };
}

describe.each(testDialects())('the hosted survey page and the widget in a browser on %s', (dialect) => {
  let server: TestServer;
  let owner: Owner;
  let browser: Browser;
  let ws: string;

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, { method, headers: owner.headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const openSurvey = async (definition: object): Promise<string> => {
    const { id } = await call<{ id: string }>('POST', `/api/workspaces/${ws}/surveys`, { name: 'E2E survey', definition });
    await call('PATCH', `/api/workspaces/${ws}/surveys/${id}`, { status: 'active' });
    return id;
  };
  const linkFor = (surveyId: string, value: string, channel = 'link') =>
    call<{ token: string; url: string }>('POST', `/api/workspaces/${ws}/surveys/${surveyId}/links`, { respondent: { kind: 'user_id', value }, channel });
  const answersOf = async (surveyId: string, token: string) =>
    ((await (await fetch(`${server.url}/s/api/${surveyId}?t=${encodeURIComponent(token)}`)).json()) as { response: { answers: Record<string, unknown>; complete: boolean } | null }).response;
  const screenshot = async (page: Page, name: string) => {
    const dir = process.env.E2E_SCREENSHOTS;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${dialect}-${name}.png`), fullPage: true });
  };
  const xss = (page: Page) => page.evaluate(() => (globalThis as { __xss?: unknown }).__xss);
  /** The element with focus, described by its tag, name/class and value. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const g = globalThis as unknown as { document: { activeElement: { tagName: string; getAttribute(n: string): string | null; value?: string; shadowRoot?: unknown } | null } };
      let el = g.document.activeElement as { tagName: string; getAttribute(n: string): string | null; value?: string; shadowRoot?: { activeElement: unknown } | null } | null;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement as typeof el;
      return el ? `${el.tagName.toLowerCase()}${el.getAttribute('name') ? `[${el.getAttribute('name')}]` : ''}${el.getAttribute('class') ? `.${el.getAttribute('class')}` : ''}${el.tagName === 'INPUT' ? `=${el.value}` : ''}` : 'none';
    });

  beforeAll(async () => {
    server = await startServerForBrowser(dialect);
    ws = (server.workspaces[0] as { id: string }).id;
    owner = await logIn(server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('the hosted page', () => {
    let context: BrowserContext;
    let page: Page;
    let errors: string[];
    let surveyId: string;

    beforeAll(async () => {
      surveyId = await openSurvey({
        title: { en: 'How did we do?' },
        questions: [
          { id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend Northwind?' }, required: true },
          { id: 'effort', type: 'ces', text: { en: 'It was easy to order.' } },
          { id: 'more', type: 'text', text: { en: 'Anything else?' } },
        ],
        branding: { colour: '#7a1fa2', companyName: 'Northwind <Coffee>' },
      });
      ({ context, page, errors } = await openPage(browser, server.url, { width: 390, height: 844 }));
    });
    afterAll(() => context?.close());

    it('is answered with the keyboard alone, each step saved, then thanks', async () => {
      const { token, url } = await linkFor(surveyId, 'kb-user');
      await page.goto(url);
      await page.getByRole('heading', { name: 'How did we do?', level: 1 }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('en');

      // The required score: Enter without one is refused, and the refusal is announced.
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('input[nps].ec-radio=0');
      // A visible focus ring on the button-like label of the focused radio.
      expect(await page.evaluate(() => {
        const g = globalThis as unknown as { document: { activeElement: { nextElementSibling: unknown } }; getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string } };
        const s = g.getComputedStyle(g.document.activeElement.nextElementSibling);
        return `${s.outlineStyle} ${s.outlineWidth}`;
      })).toBe('solid 3px');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('alert').textContent()).toBe('Please answer this question.');
      expect(await page.getByRole('group', { name: 'How likely are you to recommend Northwind?' }).isVisible()).toBe(true);

      // Arrow to 9; the "why?" appears after the score and takes the reason.
      for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
      expect(await page.getByRole('radio', { name: '9' }).isChecked()).toBe(true);
      await screenshot(page, 'survey-page');
      const why = page.getByRole('textbox', { name: 'What is the main reason for your score?' });
      await why.waitFor();
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('textarea[nps:why]');
      await page.keyboard.type(HOSTILE);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('button.ec-next');
      await expect.poll(async () => (await answersOf(surveyId, token))?.answers).toEqual({ nps: 9, 'nps:why': HOSTILE });
      await page.keyboard.press('Enter');

      // Step two: the effort scale, focus on its first option.
      await page.getByRole('group', { name: 'It was easy to order.' }).waitFor();
      expect(await focused(page)).toBe('input[effort].ec-radio=1');
      await page.keyboard.press('Space');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Tab'); // Back
      await page.keyboard.press('Tab'); // Next
      expect(await focused(page)).toBe('button.ec-next');
      await page.keyboard.press('Enter');

      // Step three: an open question, sent with Send.
      await page.getByRole('textbox', { name: 'Anything else?' }).waitFor();
      expect(await focused(page)).toBe('textarea[more]');
      await page.keyboard.type('Keep the oat milk.');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent)).toBe('Send');
      await page.keyboard.press('Enter');
      await page.getByText('Thank you for your answer.').waitFor();
      expect(await focused(page)).toBe('p.ec-thanks');

      const response = await answersOf(surveyId, token);
      expect(response).toMatchObject({ complete: true, answers: { nps: 9, 'nps:why': HOSTILE, effort: 3, more: 'Keep the oat milk.' } });
      expect(errors).toEqual([]);
    });

    it('shows a typed <script> as text when the page is opened again; it never runs', async () => {
      const { token, url } = await linkFor(surveyId, 'xss-user');
      await fetch(`${server.url}/s/api/${surveyId}/answers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, answers: { nps: 4, 'nps:why': HOSTILE, more: HOSTILE } }) });
      await page.goto(url);
      await page.getByRole('heading', { name: 'How did we do?' }).waitFor();
      expect(await page.getByRole('textbox', { name: 'What is the main reason for your score?' }).inputValue()).toBe(HOSTILE);
      await page.reload();
      await page.getByRole('heading', { name: 'How did we do?' }).waitFor();
      expect(await page.getByRole('radio', { name: '4' }).isChecked()).toBe(true);
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.locator('b').count()).toBe(0);
      expect(await xss(page)).toBeUndefined();
      expect(await page.getByText('Northwind <Coffee>').count()).toBe(1);
      expect(errors).toEqual([]);
    });

    it('records a one-click score from the link on load, then asks why', async () => {
      const { token, url } = await linkFor(surveyId, 'click-user');
      await page.goto(`${url}&score=3`);
      await expect.poll(async () => (await answersOf(surveyId, token))?.answers).toEqual({ nps: 3 });
      await expect.poll(() => focused(page)).toBe('textarea[nps:why]');
      expect(new URL(page.url()).searchParams.has('score')).toBe(false);
      await page.keyboard.type('Too slow.');
      await page.keyboard.press('Tab');
      await expect.poll(async () => (await answersOf(surveyId, token))?.answers).toEqual({ nps: 3, 'nps:why': 'Too slow.' });
    });

    it('shows a friendly page for a link that no longer works', async () => {
      const res = await page.goto(`/s/${surveyId}?t=v1.not.valid`);
      expect(res?.status()).toBe(403);
      await page.getByRole('heading', { name: 'Sorry' }).waitFor();
      await page.getByText('This survey link is not valid.', { exact: false }).waitFor();
    });
  });

  describe('the widget on another site', () => {
    let context: BrowserContext;
    let page: Page;
    let errors: string[];
    /** The company's own site: another origin (another port) than the survey server. */
    let shop: Server;
    let shopUrl: string;
    const shopPages = new Map<string, string>();

    /** Serve a page of the shop at `path` carrying the widget's tag, and open it. */
    async function shopPage(path: string, tag: string): Promise<void> {
      const html = `<!doctype html><html lang="en"><head><title>Shop</title><style>
        * { font-family: "Comic Sans MS" !important; color: red !important; }
        button { display: none !important; background: lime !important; }
        div { border: 9px dashed orange !important; }
        emptychair-survey { display: none !important; opacity: 0 !important; }
      </style></head><body><h1>Order</h1><a href="#" id="focus-me">Your order</a>
      <input aria-label="Coupon" id="coupon">
      ${tag}</body></html>`;
      shopPages.set(path, html);
      await page.goto(`${shopUrl}${path}`);
    }
    const dialog = () => page.getByRole('dialog');
    const widgetCount = () => page.locator('emptychair-survey').count();
    const track = (name: string) => page.evaluate((n) => (globalThis as unknown as { emptychair: { track(x: string): void } }).emptychair.track(n), name);

    beforeAll(async () => {
      shop = createServer((req, res) => {
        const html = shopPages.get((req.url ?? '/').split('?')[0] ?? '/');
        res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(html ?? 'not found');
      });
      await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
      shopUrl = `http://localhost:${(shop.address() as AddressInfo).port}`;
      ({ context, page, errors } = await openPage(browser, server.url, { width: 1280, height: 800 }));
    });
    afterAll(async () => {
      await context?.close();
      await new Promise((resolve) => shop?.close(resolve));
    });

    it('shows for an anonymous visitor after the event and delay, is answered, and is not shown again', async () => {
      const surveyId = await openSurvey({
        allowAnonymous: true,
        questions: [{ id: 'nps', type: 'nps', text: { en: 'Would you recommend the shop?' }, required: true }],
        branding: { colour: '#0b6e4f', companyName: 'Shop & Co' },
        widget: { pages: ['/checkout/*'], event: 'Order Completed', delaySeconds: 1, sample: 1 },
      });
      const tag = `<script async src="${server.url}/widget.js" data-survey="${surveyId}" data-anonymous-id="anon-e2e-1"></script>`;
      await shopPage('/checkout/done', tag);
      await page.waitForFunction(() => typeof (globalThis as { emptychair?: { track?: unknown } }).emptychair?.track === 'function');
      await page.waitForTimeout(1500);
      expect(await widgetCount()).toBe(0); // no event yet

      await track('Order Completed');
      await dialog().waitFor({ state: 'visible' });
      expect(await dialog().getAttribute('aria-labelledby')).toBe('ecw-title');
      expect(await focused(page)).toBe('div.ec ec-dialog');
      // The shop's CSS does not reach inside: our buttons show, in our colours.
      const look = await page.evaluate(() => {
        const g = globalThis as unknown as { document: { querySelector(s: string): { shadowRoot: { querySelector(s: string): unknown } } }; getComputedStyle(e: unknown): { display: string; color: string; fontFamily: string } };
        const next = g.document.querySelector('emptychair-survey').shadowRoot.querySelector('.ec-next');
        const s = g.getComputedStyle(next);
        return { display: s.display, color: s.color, font: s.fontFamily };
      });
      expect(look.display).not.toBe('none');
      expect(look.color).toBe('rgb(255, 255, 255)');
      expect(look.font).not.toContain('Comic');
      await screenshot(page, 'survey-widget');

      await dialog().getByRole('radio', { name: '10' }).check();
      await dialog().getByRole('textbox', { name: 'What is the main reason for your score?' }).fill('Quick delivery.');
      await dialog().getByRole('button', { name: 'Send' }).click();
      await dialog().getByText('Thank you for your answer.').waitFor();

      const rows = await server.store.db.selectFrom('survey_responses').select(['answers', 'channel', 'respondent_kind', 'respondent_value', 'complete']).where('survey_id', '=', surveyId).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ channel: 'widget', respondent_kind: 'anonymous_id', respondent_value: 'anon-e2e-1' });
      expect(Number(rows[0]?.complete)).toBe(1);
      expect(JSON.parse(rows[0]?.answers ?? '{}')).toEqual({ nps: 10, 'nps:why': 'Quick delivery.' });

      // Remembered in the shop's localStorage, not in cookies: not shown again.
      await page.reload();
      await page.waitForFunction(() => typeof (globalThis as { emptychair?: { track?: unknown } }).emptychair?.track === 'function');
      await track('Order Completed');
      await page.waitForTimeout(1500);
      expect(await widgetCount()).toBe(0);
      expect(await context.cookies()).toEqual([]);
      const stored = await page.evaluate((k) => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem(k), `emptychair:${surveyId}`);
      expect(JSON.parse(stored ?? '{}')).toMatchObject({ done: expect.any(Number), visitor: 'anon-e2e-1' });
      const deliveries = await server.store.db.selectFrom('survey_deliveries').select('id').where('survey_id', '=', surveyId).execute();
      expect(deliveries).toHaveLength(1); // the visitor's token was kept, not asked for again
      expect(errors).toEqual([]);
    });

    it('keeps to its pages, is closed with Escape, and gives focus back', async () => {
      const surveyId = await openSurvey({
        questions: [{ id: 'csat', type: 'csat', text: { en: 'How satisfied are you with <checkout>?' } }],
        widget: { pages: ['/cart', '/checkout/*'], delaySeconds: 1, sample: 1 },
      });
      const { token } = await linkFor(surveyId, 'widget-user', 'api');
      const tag = `<script async src="${server.url}/widget.js" data-survey="${surveyId}" data-token="${token}"></script>`;
      await shopPage('/account', tag);
      await page.waitForTimeout(1000);
      expect(await widgetCount()).toBe(0);

      await shopPage('/cart', tag.replace('<script', '<script id="w"'));
      await page.locator('#focus-me').focus();
      await dialog().waitFor({ state: 'visible' });
      await dialog().getByRole('group', { name: 'How satisfied are you with <checkout>?' }).waitFor();
      await page.keyboard.press('Tab'); // from the dialog to its close button
      expect(await focused(page)).toBe('button.ec-close');
      await page.keyboard.press('Escape');
      await expect.poll(widgetCount).toBe(0);
      expect(await focused(page)).toBe('a');
      expect(await xss(page)).toBeUndefined();
      // Closed is remembered: another page of the rules does not bring it back.
      await shopPage('/checkout/pay', tag);
      await page.waitForTimeout(800);
      expect(await widgetCount()).toBe(0);
      expect(errors).toEqual([]);
    });
  });
});
