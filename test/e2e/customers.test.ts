/**
 * The customer 360 as a person uses it, in a real Chromium against a real server and database:
 * find a customer by the start of a name and by a misspelt one, read the timeline, identities
 * and merge history; accept a suggestion in the review queue; unmerge it again.
 * Silo records and events are written straight to the store and resolved synchronously, as
 * src/modules/customers/graph.test.ts does. Needs the built dashboard: `npm run build:web`.
 * E2E_SCREENSHOTS=<dir> saves screenshots of the pages along the way.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { newId } from '../../src/platform/ids.js';
import { appendFacts, awaitLogHorizon, recordFacts, toJson, upsertSourceRecords, writeSetting, type DialectName } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { addMemberAndLogOut, launchBrowser, openPage, startServerForBrowser, submitLogin, type TestServer } from './browser.js';


const XSS = '<img src=x onerror=window.__xss=1>';
const DAY = 86_400_000;
const PAGE_VIEWS = 60;
const VIEWER_EMAIL = 'viola@example.com';
const VIEWER_PASSWORD = 'a long enough password';

/**
 * Robert Fairweather in four silos: a CRM contact, a support contact ("Bob", same birth date and
 * address: merged automatically), a web sign-up with another e-mail and only the postcode in
 * common (the review band), orders, tickets, a subscription, feedback and page views. A family
 * sharing one inbox, and a customer whose name is markup.
 */
async function seed(server: TestServer, workspaceId: string, dialect: DialectName): Promise<void> {
  const db = server.store.db;
  const now = systemClock.now();
  await writeSetting(db, workspaceId, 'identity', { mergeThreshold: 0.99, reviewThreshold: 0.05 }, now);
  const record = (source: string, kind: string, id: string, data: Record<string, unknown>, at: number) => ({
    workspace_id: workspaceId,
    source,
    kind,
    external_id: id,
    data: toJson(data),
    occurred_at: at,
    imported_at: now,
    updated_at: at,
  });
  const address = { city: 'Bristol', postcode: 'BS1 4DJ', country: 'GB' };
  const rows = [
    record('crm', 'contact', 'c-1', { firstName: 'Robert', lastName: 'Fairweather', email: 'r.fairweather@acme.example', phone: '+44 117 496 0123', plan: 'silver', accountId: 'acc-1', birthDate: '1984-03-12', address: { line1: '12 Orchard Lane', ...address } }, now - 200 * DAY),
    record('crm', 'account', 'acc-1', { name: 'Fairweather Roasters' }, now - 200 * DAY),
    record('support', 'contact', 's-1', { name: 'Bob Fairweather', email: 'bobfw@mail.example', birthDate: '12/03/1984', address: { line1: '12 Orchard Ln', ...address } }, now - 150 * DAY),
    record('support', 'ticket', 't-1', { requesterId: 's-1', subject: 'Grinder arrived broken', status: 'solved' }, now - 120 * DAY),
    record('billing', 'order', 'o-1', { email: 'r.fairweather@acme.example', orderNumber: '1001', total: 42.5, currency: 'GBP', status: 'paid' }, now - 90 * DAY),
    record('billing', 'subscription', 'sub-1', { email: 'r.fairweather@acme.example', plan: 'Beans monthly', status: 'active' }, now - 60 * DAY),
    record('web', 'contact', 'w-1', { firstName: 'Robert', lastName: 'Fairweather', email: 'robert.f@elsewhere.example', postcode: 'BS1 4DJ', country: 'GB' }, now - 40 * DAY),
    record('web', 'feedback', 'f-1', { email: 'robert.f@elsewhere.example', survey: 'nps', score: 9 }, now - 30 * DAY),
    record('crm', 'contact', 'c-2', { firstName: 'Katherine', lastName: 'Schmidt', email: 'kath@acme.example', phone: '+1 415 555 0199' }, now - 10 * DAY),
    record('crm', 'contact', 'c-9', { name: XSS, email: 'mallory@evil.example' }, now - 5 * DAY),
  ];
  await db.transaction().execute(async (trx) => {
    await upsertSourceRecords(trx, rows).execute();
    await appendFacts(trx, workspaceId, recordFacts(rows), now);
  });

  // Event ids in the order written (resolution reads them in id order).
  let seq = 0;
  const event = (type: string, userId: string, name: string | null, traits: Record<string, unknown> | null, at: number) => {
    const id = newId('evt', now - 1000 + seq++);
    return {
      workspace_id: workspaceId,
      id,
      message_id: id,
      type,
      name,
      user_id: userId,
      anonymous_id: null,
      group_id: null,
      previous_id: null,
      profile_id: null,
      source: 'key_web',
      properties: toJson(type === 'page' ? { path: name } : {}),
      traits: traits ? toJson(traits) : null,
      context: toJson({}),
      integrations: toJson({}),
      timestamp: at,
      original_timestamp: null,
      sent_at: null,
      received_at: now,
    };
  };
  // A signed-in visit first (a profile of its own), then the identify call that ties it to the CRM contact by e-mail.
  const events = [
    event('page', 'u-rob', '/pricing', null, now - 21 * DAY),
    event('identify', 'u-rob', null, { email: 'r.fairweather@acme.example', plan: 'gold' }, now - 20 * DAY),
  ];
  for (let i = 0; i < PAGE_VIEWS; i++) events.push(event('page', 'u-rob', `/menu/${i}`, null, now - 19 * DAY + i * 3_600_000));
  for (const [userId, name] of [['u-ann', 'Ann Morgan'], ['u-tom', 'Tom Morgan'], ['u-kit', 'Kit Morgan']] as const) {
    events.push(event('identify', userId, null, { email: 'family@home.example', name }, now - 3 * DAY));
  }
  await db.insertInto('events').values(events).execute();

  // Resolution reads below the transaction horizon (store/log-horizon.ts): on PostgreSQL, wait until these are below it.
  await awaitLogHorizon(server.store.db, dialect);
  await resolvePending({ store: server.store, clock: systemClock, matcher: createMatcher() }, workspaceId);
}

describe.each(testDialects())('customer 360 in the browser (%s)', (dialect) => {
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
    await seed(server, workspace.id, dialect);
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
    const size = page.viewportSize() ?? { width: 1440, height: 900 };
    const height = await page.evaluate(
      () => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight,
    );
    await page.setViewportSize({ width: size.width, height: Math.min(height, 6000) });
    await page.screenshot({ path: join(dir, `${dialect}-${name}.png`) });
    await page.setViewportSize(size);
  }

  const customersTable = () => page.getByRole('table', { name: 'Customers' });
  const results = () => page.getByTestId('customer-results');
  const searchBox = () => page.getByRole('searchbox', { name: 'Search customers' });

  async function openList(): Promise<void> {
    await page.getByRole('navigation').getByRole('link', { name: 'Customers' }).click();
    await page.waitForURL(`**/w/${workspace.id}/customers`);
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  }

  async function search(text: string, expected: string): Promise<void> {
    await searchBox().fill(text);
    await results().filter({ hasText: expected }).waitFor();
  }

  /** Rows (not the header) of the customers table. */
  const rows = () => customersTable().locator('tr[data-customer-id]');
  const timeline = () => page.getByRole('list', { name: 'Timeline items' });
  const identities = () => page.getByRole('table', { name: 'Identities' });
  const merges = () => page.getByRole('list', { name: 'Merges' }).locator('li[data-merge-id]');

  it('finds a customer by a partial and by a misspelt name, and shows the timeline, identities, traits and merges', async () => {
    await openList();
    // Every customer, newest first; a name that is markup stays text.
    await customersTable().getByRole('row').filter({ hasText: XSS }).waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    // The review queue's open count: the Fairweather pair and the family's pairs.
    await page.getByRole('link', { name: /^Review queue: [1-9]\d* open$/ }).waitFor();
    await screenshot('customers-list');

    await search('Fairw', '2 customers match “Fairw”');
    expect(await rows().filter({ hasText: 'Robert Fairweather' }).count()).toBe(2);
    await search('Robbert Fairwether', '2 customers match “Robbert Fairwether”');
    expect(await rows().filter({ hasText: 'Robert Fairweather' }).count()).toBe(2);
    expect(await rows().filter({ hasText: 'Katherine' }).count()).toBe(0);
    await search('Zebedee Quux', '0 customers match');
    await customersTable().getByText('No customer matches “Zebedee Quux”').waitFor();
    // The search lives in the address: it survives a reload.
    await search('Fairwether', '2 customers match “Fairwether”');
    await page.reload();
    await results().filter({ hasText: '2 customers match “Fairwether”' }).waitFor();
    expect(await searchBox().inputValue()).toBe('Fairwether');

    // Open the customer made of the CRM and support profiles (and the web visitor's events).
    await rows().filter({ hasText: 'r.fairweather@acme.example' }).getByRole('link', { name: 'Robert Fairweather' }).click();
    await page.waitForURL(/\/customers\/prf_[0-9a-z]+$/);
    await page.getByRole('heading', { name: 'Robert Fairweather', level: 1 }).waitFor();
    expect(await page.getByTestId('customer-email').innerText()).toBe('r.fairweather@acme.example');
    expect(await page.getByTestId('customer-phone').innerText()).toBe('+44 117 496 0123');
    expect(await page.getByTestId('customer-profiles').textContent()).toBe('3 source profiles');
    const customerUrl = page.url();

    // One timeline, newest first; the older half behind "Load more".
    await timeline().getByText('Viewed /menu/59').waitFor();
    const items = timeline().locator('li[data-timeline-id]');
    expect(await items.count()).toBe(50);
    expect(await items.first().innerText()).toContain('Viewed /menu/59');
    expect(await timeline().getByText('Order 1001').count()).toBe(0);
    await page.getByRole('button', { name: 'Load more' }).click();
    await timeline().getByText('Order 1001 · 42.5 GBP').waitFor();
    // 61 page views, the identify call, the subscription, the order, the ticket and two contact records.
    expect(await items.count()).toBe(PAGE_VIEWS + 7);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    const kinds = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-timeline-kind')));
    expect(new Set(kinds)).toEqual(new Set(['event', 'order', 'ticket', 'subscription', 'contact']));
    const ticket = items.filter({ hasText: 'Ticket: Grinder arrived broken (solved)' });
    expect(await ticket.innerText()).toContain('from support');
    await ticket.getByRole('button', { name: /Show details of Ticket/ }).click();
    expect(JSON.parse(await ticket.getByTestId('timeline-data').innerText())).toMatchObject({ subject: 'Grinder arrived broken', requesterId: 's-1' });

    // Identities with their sources.
    const supportRecord = identities().getByRole('row').filter({ hasText: 'support/contact/s-1' });
    expect(await supportRecord.innerText()).toContain('support');
    expect(await identities().getByRole('row').filter({ hasText: 'u-rob' }).innerText()).toContain('events (key_web)');
    expect(await identities().getByRole('row').filter({ hasText: 'web/contact/w-1' }).count()).toBe(0);
    expect(await identities().getByText('Shared — not used as evidence').count()).toBe(0);

    // Traits: the newest value first, the older one folded away.
    const plan = page.getByRole('table', { name: 'Traits' }).locator('tr[data-trait="plan"]');
    expect(await plan.innerText()).toContain('gold');
    expect(await page.getByRole('table', { name: 'Traits' }).getByText('silver').count()).toBe(0);
    await page.getByRole('button', { name: 'Show older values of Plan' }).click();
    await page.getByRole('table', { name: 'Traits' }).locator('tr[data-trait-older="plan"]').filter({ hasText: 'silver' }).waitFor();
    await page.getByRole('table', { name: 'Accounts' }).getByText('Fairweather Roasters').waitFor();

    // Merge history: Bob merged by probability, field by field; the events' profile by a shared e-mail.
    const probabilistic = merges().filter({ hasText: 'Probabilistic match' });
    expect(await probabilistic.count()).toBe(1);
    expect(await probabilistic.innerText()).toContain('Bob Fairweather');
    expect(await probabilistic.innerText()).toContain('Automatic resolution');
    const fieldRows = probabilistic.getByRole('table').locator('tr[data-field]');
    expect(await fieldRows.count()).toBeGreaterThanOrEqual(3);
    expect(await probabilistic.getByRole('table').locator('tr[data-field="lastName"]').innerText()).toMatch(/last name[\s\S]*\+\d+\.\d\d/);
    const shared = merges().filter({ hasText: 'Shared identifier' });
    expect(await shared.innerText()).toContain('r.fairweather@acme.example');
    await screenshot('customer');

    // A merged profile's id opens its customer, with a note.
    const view = await page.evaluate(async (url) => (await fetch(url)).json(), `/api/workspaces/${workspace.id}/customers/${customerUrl.split('/').pop()}`);
    const leaf = (view as { id: string; leaves: { id: string }[] }).leaves.find((l) => l.id !== (view as { id: string }).id);
    expect(leaf).toBeDefined();
    await page.goto(`/w/${workspace.id}/customers/${leaf?.id}`);
    await page.getByTestId('merged-into').filter({ hasText: leaf?.id ?? '' }).waitFor();
    await page.getByRole('heading', { name: 'Robert Fairweather', level: 1 }).waitFor();

    // A family inbox seen on three people is flagged and does not merge them.
    await openList();
    await search('Morgan', '3 customers match “Morgan”');
    await rows().getByRole('link', { name: 'Ann Morgan' }).click();
    await page.getByRole('heading', { name: 'Ann Morgan', level: 1 }).waitFor();
    const inbox = identities().getByRole('row').filter({ hasText: 'family@home.example' });
    expect(await inbox.innerText()).toContain('Shared — not used as evidence');
    expect(await inbox.innerText()).toContain('seen on 3 people');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows a suggestion side by side and merges it from the review queue', async () => {
    await openList();
    await page.getByRole('link', { name: /^Review queue/ }).click();
    await page.waitForURL(`**/w/${workspace.id}/customers/review`);
    await page.getByRole('heading', { name: 'Merge review', level: 1 }).waitFor();

    const cards = page.getByRole('article');
    const pair = cards.filter({ hasText: 'bobfw@mail.example' }).filter({ hasText: 'robert.f@elsewhere.example' });
    await pair.waitFor();
    const open = await cards.count();
    expect(open).toBeGreaterThan(1);
    // Side by side: both records' fields in one table, with the comparison and weight of each.
    const table = pair.getByRole('table', { name: /^Records side by side/ });
    const header = (await table.locator('thead').textContent()) ?? '';
    expect(header).toMatch(/Record A[\s\S]*Record B/);
    expect(header).toContain('Bob Fairweather');
    expect(header).toContain('Robert Fairweather');
    const names = await table.locator('tr[data-field="name"]').innerText();
    expect(names).toContain('Bob Fairweather');
    expect(names).toContain('Robert Fairweather');
    expect(names).toMatch(/first name: nickname \(Robert\/Bob\)[\s\S]*last name: exact \(Fairweather\)[\s\S]*\+\d+\.\d\d[\s\S]*\+\d+\.\d\d/);
    expect(await table.locator('tr[data-field="email"]').innerText()).toMatch(/bobfw@mail\.example[\s\S]*e-mail: different[\s\S]*−\d+\.\d\d/);
    expect(await table.innerText()).toContain('support/contact/s-1');
    expect(await table.innerText()).toContain('web/contact/w-1');
    expect(await pair.getByTestId('suggestion-score').innerText()).toMatch(/^\d{1,2}\.\d %$/);
    // The family's conflicting ids say what blocked them.
    await cards.filter({ hasText: 'Conflicting ids' }).first().getByText(/Blocked by:\s*different userId/).waitFor();
    await screenshot('review-queue');

    await pair.getByRole('button', { name: /^Merge: / }).click();
    await page.getByRole('status').filter({ hasText: 'are now one customer' }).waitFor();
    await pair.waitFor({ state: 'detached' });
    expect(await cards.count()).toBe(open - 1);

    // The customer now holds both profiles, and the merge is in its history.
    await page.getByRole('status').getByRole('link', { name: 'Open the customer' }).click();
    await page.getByRole('heading', { name: 'Robert Fairweather', level: 1 }).waitFor();
    expect(await page.getByTestId('customer-profiles').textContent()).toBe('4 source profiles');
    await identities().getByRole('row').filter({ hasText: 'web/contact/w-1' }).waitFor();
    await identities().getByRole('row').filter({ hasText: 'robert.f@elsewhere.example' }).waitFor();
    const reviewed = merges().filter({ hasText: 'By a person' });
    expect(await reviewed.count()).toBe(1);
    expect(await reviewed.innerText()).toContain('accepted in review');
    expect(await reviewed.innerText()).toContain('Owner of Northwind Coffee');
    expect(await reviewed.locator('tr[data-field="lastName"]').count()).toBe(1);

    // Decided suggestions are listed under "Merged".
    await page.goto(`/w/${workspace.id}/customers/review`);
    await page.getByText('Merged', { exact: true }).click();
    const decided = page.getByRole('article').filter({ hasText: 'robert.f@elsewhere.example' });
    await decided.waitFor();
    expect(await decided.innerText()).toMatch(/merged .* by Owner of Northwind Coffee/);
    expect(await decided.getByRole('button', { name: /^Merge: / }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);

  it('unmerges: the two customers are apart again and both can be found', async () => {
    await openList();
    await search('Fairw', '1 customer matches “Fairw”');
    await rows().getByRole('link', { name: 'Robert Fairweather' }).click();
    await page.getByRole('heading', { name: 'Robert Fairweather', level: 1 }).waitFor();
    expect(await page.getByTestId('customer-profiles').textContent()).toBe('4 source profiles');

    const reviewed = merges().filter({ hasText: 'By a person' });
    await reviewed.getByRole('button', { name: 'Unmerge' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unmerge these profiles?' });
    expect(await dialog.innerText()).toContain('web/contact/w-1');
    await dialog.getByRole('button', { name: 'Unmerge' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'The two customers are apart again' }).waitFor();
    await page.getByTestId('customer-profiles').filter({ hasText: '3 source profiles' }).waitFor();
    expect(await identities().getByRole('row').filter({ hasText: 'web/contact/w-1' }).count()).toBe(0);
    const undone = merges().filter({ hasText: 'By a person' });
    await undone.getByTestId('merge-undone').waitFor();
    expect(await undone.innerText()).toMatch(/undone .* by Owner of Northwind Coffee/);
    expect(await undone.getByRole('button', { name: 'Unmerge' }).count()).toBe(0);
    await screenshot('unmerged');

    // The customer split off stands alone, exactly as it was.
    await page.getByRole('status').getByRole('link', { name: 'Open the customer that was split off' }).click();
    await page.getByRole('heading', { name: 'Robert Fairweather', level: 1 }).waitFor();
    await page.getByTestId('customer-profiles').filter({ hasText: '1 source profile' }).waitFor();
    expect(await page.getByTestId('customer-email').innerText()).toBe('robert.f@elsewhere.example');
    await identities().getByRole('row').filter({ hasText: 'web/contact/w-1' }).waitFor();
    expect(await identities().getByRole('row').filter({ hasText: 'support/contact/s-1' }).count()).toBe(0);
    await timeline().getByText('NPS answer: 9').waitFor();

    // Both are found again.
    await openList();
    await search('Fairw', '2 customers match “Fairw”');
    await rows().filter({ hasText: 'r.fairweather@acme.example' }).waitFor();
    await rows().filter({ hasText: 'robert.f@elsewhere.example' }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows a viewer the customers and the queue, but no Merge, Keep apart or Unmerge', async () => {
    const added = await addMemberAndLogOut(page, workspace.id, { email: VIEWER_EMAIL, password: VIEWER_PASSWORD, name: 'Viola', role: 'viewer' });
    expect(added).toBe(201);
    await submitLogin(page, VIEWER_EMAIL, VIEWER_PASSWORD);
    await page.waitForURL(`**/w/${workspace.id}`);

    await openList();
    await search('Fairw', '2 customers match “Fairw”');
    await rows().filter({ hasText: 'r.fairweather@acme.example' }).getByRole('link', { name: 'Robert Fairweather' }).click();
    await page.getByRole('heading', { name: 'Robert Fairweather', level: 1 }).waitFor();
    await merges().filter({ hasText: 'Probabilistic match' }).waitFor();
    expect(await merges().count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Unmerge' }).count()).toBe(0);

    await page.goto(`/w/${workspace.id}/customers/review`);
    await page.getByText('Only managers, admins and owners can merge customers').waitFor();
    await page.getByRole('article').first().waitFor();
    expect(await page.getByRole('button', { name: /^(Merge|Keep apart): / }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 30_000);
});
