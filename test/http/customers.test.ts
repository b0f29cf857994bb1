/**
 * The customer 360 over HTTP: events sent to the tracking API and records imported from a
 * silo become customers that can be searched, opened, merged by review and unmerged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { runImport } from '../../src/modules/imports/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { addTestMember, basicAuth, createTestApp, createWriteKey, errorCode, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';


describe.each(testDialects())('the customer 360 API on %s', (dialect) => {
  const clock = new ManualClock(Date.UTC(2026, 10, 10) + (dialect === 'postgres' ? 86_400_000 : 0));
  let t: TestApp;
  let ws: string;
  let other: string;
  let owner: Session;
  let viewer: Session;
  let writeKey: string;
  const base = () => `/api/workspaces/${ws}/customers`;

  const settle = async (workspaceId = ws) => {
    await awaitLogHorizon(t.store.db, dialect);
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, workspaceId);
  };
  const track = async (path: string, body: Record<string, unknown>) => {
    clock.advance(1000);
    const res = await t.app.inject({ method: 'POST', url: `/v1/${path}`, headers: { authorization: basicAuth(writeKey) }, payload: body });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp({ dialect, clock });
    const a = await seedWorkspace(t, 'Alpha', 'owner@alpha.test');
    const b = await seedWorkspace(t, 'Bravo', 'owner@bravo.test');
    ws = a.workspaceId;
    other = b.workspaceId;
    owner = await loginAs(t.app, a.ownerEmail);
    await addTestMember(t, ws, 'viewer@alpha.test', 'viewer');
    viewer = await loginAs(t.app, 'viewer@alpha.test');
    writeKey = await createWriteKey(t, ws);
    await t.app.inject({ method: 'PUT', url: `${base()}/settings`, headers: owner.headers, payload: { mergeThreshold: 0.99, reviewThreshold: 0.05 } });

    await track('page', { anonymousId: 'anon-42', name: '/pricing' });
    await track('identify', { anonymousId: 'anon-42', userId: 'user-42', traits: { name: 'Grace <script>alert(1)</script> Hopper', email: 'Grace.Hopper@Navy.example', phone: '+1 202 555 0142' } });
    await track('track', { userId: 'user-42', event: 'Order Completed', properties: { total: 42 } });
    // Two records in the review band: same name and postcode, different e-mails.
    await track('identify', { userId: 'user-7', traits: { firstName: 'Robert', lastName: 'Fairweather', email: 'robert@one.example', address: { postalCode: 'BS1 4DJ', country: 'GB' } } });
    await track('identify', { userId: 'user-8', traits: { firstName: 'Robert', lastName: 'Fairweather', email: 'rf@two.example', address: { postalCode: 'BS1 4DJ', country: 'GB' } } });
    await settle();
  });
  afterAll(() => t.close());

  it('lists and searches customers made from tracked events, by name, e-mail, phone and id', async () => {
    const list = await t.app.inject({ url: base(), headers: viewer.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().customers).toHaveLength(3);
    for (const q of ['grace', 'grace.hopper@navy', '202-555-0142', 'user-42', 'Hoper']) {
      const res = await t.app.inject({ url: `${base()}?search=${encodeURIComponent(q)}`, headers: viewer.headers });
      expect(res.json().customers.map((c: { email: string }) => c.email), q).toEqual(['Grace.Hopper@Navy.example']);
    }
    // Search pages: "robert" matches two customers, one per page.
    const first = (await t.app.inject({ url: `${base()}?search=robert&limit=1`, headers: viewer.headers })).json();
    expect(first.customers).toHaveLength(1);
    const second = (await t.app.inject({ url: `${base()}?search=robert&limit=1&before=${first.nextCursor}`, headers: viewer.headers })).json();
    expect(second.customers).toHaveLength(1);
    expect(second.customers[0].id).not.toBe(first.customers[0].id);
    expect(second.nextCursor).toBeNull();
    const forged = await t.app.inject({ url: `${base()}?search=robert&before=s:-1`, headers: viewer.headers });
    expect(errorCode(forged)).toBe('VALIDATION_FAILED');
    const bad = await t.app.inject({ url: `${base()}?limit=9999`, headers: viewer.headers });
    expect(bad.statusCode).toBe(400);
    expect(errorCode(bad)).toBe('VALIDATION_FAILED');
  });

  it('shows one customer with identities, traits with their source, and one timeline, paginated', async () => {
    const found = (await t.app.inject({ url: `${base()}?search=grace`, headers: viewer.headers })).json().customers[0];
    const res = await t.app.inject({ url: `${base()}/${found.id}`, headers: viewer.headers });
    expect(res.statusCode).toBe(200);
    const view = res.json();
    // What a customer typed comes back as data, never as markup.
    expect(view.name).toBe('Grace <script>alert(1)</script> Hopper');
    expect(view.identities.map((i: { kind: string }) => i.kind).sort()).toEqual(['anonymous_id', 'email', 'phone', 'user_id']);
    expect(view.traits.find((tr: { key: string }) => tr.key === 'email')).toMatchObject({ source: expect.stringMatching(/^events:key_/), current: true });
    expect(view.timeline.items.map((i: { title: string }) => i.title)).toEqual(['Order Completed', 'Identified', 'Viewed /pricing']);

    const page1 = (await t.app.inject({ url: `${base()}/${found.id}/timeline?limit=2`, headers: viewer.headers })).json();
    expect(page1.items).toHaveLength(2);
    const page2 = (await t.app.inject({ url: `${base()}/${found.id}/timeline?limit=2&before=${encodeURIComponent(page1.nextCursor)}`, headers: viewer.headers })).json();
    expect(page2.items.map((i: { title: string }) => i.title)).toEqual(['Viewed /pricing']);
    expect(page2.nextCursor).toBeNull();
  });

  it('answers 404 for a customer of another workspace, and keeps viewers from merging', async () => {
    const found = (await t.app.inject({ url: `${base()}?search=grace`, headers: viewer.headers })).json().customers[0];
    const foreign = await t.app.inject({ url: `/api/workspaces/${ws}/customers/prf_doesnotexist`, headers: owner.headers });
    expect(foreign.statusCode).toBe(404);
    expect(errorCode(foreign)).toBe('CUSTOMER_NOT_FOUND');
    const bravoOwner = await loginAs(t.app, 'owner@bravo.test');
    const cross = await t.app.inject({ url: `/api/workspaces/${other}/customers/${found.id}`, headers: bravoOwner.headers });
    expect(cross.statusCode).toBe(404);
    const queue = (await t.app.inject({ url: `${base()}/suggestions`, headers: viewer.headers })).json();
    const denied = await t.app.inject({ method: 'POST', url: `${base()}/suggestions/${queue.suggestions[0].id}/merge`, headers: viewer.headers });
    expect(denied.statusCode).toBe(403);
  });

  it('merges from the review queue with the evidence, then unmerges exactly', async () => {
    const queue = (await t.app.inject({ url: `${base()}/suggestions`, headers: viewer.headers })).json();
    expect(queue.suggestions).toHaveLength(1);
    const s = queue.suggestions[0];
    expect(s.reason).toBe('probabilistic');
    expect(s.score).toBeGreaterThan(0.05);
    expect(s.evidence.fields.map((f: { label: string }) => f.label).join(' | ')).toMatch(/last name: exact/);
    const before = [(await t.app.inject({ url: `${base()}/${s.a.customerId}`, headers: viewer.headers })).json(), (await t.app.inject({ url: `${base()}/${s.b.customerId}`, headers: viewer.headers })).json()];

    const merged = await t.app.inject({ method: 'POST', url: `${base()}/suggestions/${s.id}/merge`, headers: owner.headers });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().suggestion.status).toBe('merged');
    const again = await t.app.inject({ method: 'POST', url: `${base()}/suggestions/${s.id}/keep-apart`, headers: owner.headers });
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('SUGGESTION_ALREADY_DECIDED');

    const one = (await t.app.inject({ url: `${base()}/${s.a.customerId}`, headers: viewer.headers })).json();
    expect(one.profiles).toBe(2);
    expect(one.merges[0]).toMatchObject({ rule: 'manual', undoneAt: null });
    expect((await t.app.inject({ url: base(), headers: viewer.headers })).json().customers).toHaveLength(2);

    const undo = await t.app.inject({ method: 'POST', url: `${base()}/merges/${one.merges[0].id}/undo`, headers: owner.headers });
    expect(undo.statusCode, undo.body).toBe(200);
    for (const b of before) {
      const after = (await t.app.inject({ url: `${base()}/${b.id}`, headers: viewer.headers })).json();
      expect(after.identities).toEqual(b.identities);
      expect(after.traits).toEqual(b.traits);
      expect(after.timeline).toEqual(b.timeline);
    }
    const twice = await t.app.inject({ method: 'POST', url: `${base()}/merges/${one.merges[0].id}/undo`, headers: owner.headers });
    expect(errorCode(twice)).toBe('MERGE_ALREADY_UNDONE');
  });

  it('places imported records on customers: a CRM export joins the tracked person by e-mail', async () => {
    const csv = 'Contact ID,First Name,Last Name,Email,Phone\ncrm-1,Grace,Hopper,grace.hopper@navy.example,\ncrm-2,Alan,Turing,alan@bletchley.example,+44 20 7946 0000\n';
    await runImport({ store: t.store, clock }, Readable.from([csv]), { workspaceId: ws, kind: 'contact', source: 'crm', fileName: 'crm.csv', format: 'csv', createdBy: 'test' });
    await settle();
    const grace = (await t.app.inject({ url: `${base()}?search=grace`, headers: viewer.headers })).json().customers;
    expect(grace).toHaveLength(1);
    const view = (await t.app.inject({ url: `${base()}/${grace[0].id}`, headers: viewer.headers })).json();
    expect(view.identities.map((i: { value: string }) => i.value)).toContain('crm/contact/crm-1');
    expect(view.timeline.items.map((i: { kind: string; source: string }) => `${i.kind}:${i.source}`)).toContain('contact:crm');
    const alan = (await t.app.inject({ url: `${base()}?search=${encodeURIComponent('020 7946 0000')}`, headers: viewer.headers })).json().customers;
    expect(alan.map((c: { name: string }) => c.name)).toEqual(['Alan Turing']);
  });

  it('validates identity settings', async () => {
    const bad = await t.app.inject({ method: 'PUT', url: `${base()}/settings`, headers: owner.headers, payload: { mergeThreshold: 0.5, reviewThreshold: 0.9 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/reviewThreshold/);
    const got = await t.app.inject({ url: `${base()}/settings`, headers: viewer.headers });
    expect(got.json()).toMatchObject({ mergeThreshold: 0.99, reviewThreshold: 0.05, defaultCountry: 'US' });
  });
});
