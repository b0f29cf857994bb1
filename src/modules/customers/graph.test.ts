import { InsertQueryNode, SelectQueryNode, TableNode, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { appendFacts, awaitLogHorizon, readCursor, recordFacts, toJson, upsertSourceRecords, writeSetting } from '../../store/index.js';
import { createTestStore, testDialects, type TestStore } from '../../store/testing.js';
import { customerOfIdentifier, customersOfIdentifiers, identifierKey } from './customer.lookup.js';
import { customerView, searchCustomers } from './customer.reader.js';
import type { CustomerDeps } from './deps.js';
import { blockNeighbours, insertKeys } from './graph.store.js';
import { createMatcher } from './matcher.fs.js';
import { resolvePending } from './resolution.consumer.js';
import { decide_suggestion, reviewQueue, undoMerge } from './review.service.js';

const ACTOR = { type: 'user' as const, id: 'usr_tester', label: 'tester@example.test' };
let seq = 0;

describe.each(testDialects())('the identity graph on %s', (dialect) => {
  let store: TestStore;
  let deps: CustomerDeps;
  // Log ids only grow within a process (platform/id-sequence.ts): each suite's clock starts
  // after the previous one's, as a real clock would.
  const clock = new ManualClock(Date.UTC(2026, 10, 1) + (dialect === 'postgres' ? 86_400_000 : 0));
  let ws = '';

  beforeAll(async () => {
    store = await createTestStore(dialect);
    deps = { store, clock, matcher: createMatcher() };
  });
  afterAll(() => store.destroy());

  async function freshWorkspace(settings?: Record<string, unknown>): Promise<string> {
    ws = newId('ws', clock.now());
    await store.db.insertInto('workspaces').values({ id: ws, name: `test ${++seq}`, created_at: clock.now() }).execute();
    if (settings) await writeSetting(store.db, ws, 'identity', settings, clock.now());
    return ws;
  }

  async function records(source: string, kind: string, rows: [string, Record<string, unknown>][]): Promise<void> {
    clock.advance(1000);
    const now = clock.now();
    const values = rows.map(([id, data]) => ({ workspace_id: ws, source, kind, external_id: id, data: toJson(data), occurred_at: now, imported_at: now, updated_at: now }));
    await store.db.transaction().execute(async (trx) => {
      await upsertSourceRecords(trx, values).execute();
      await appendFacts(trx, ws, recordFacts(values), now);
    });
  }

  /** `n` contacts, each announced by a fact of its own (as a rule batch announces its tasks' timeline records). */
  async function oneRecordFacts(prefix: string, n: number): Promise<void> {
    clock.advance(1000);
    const now = clock.now();
    const values = Array.from({ length: n }, (_, i) => ({ workspace_id: ws, source: 'crm', kind: 'contact', external_id: `${prefix}-${i}`, data: toJson({ email: `${prefix}.${i}@facts.example` }), occurred_at: now, imported_at: now, updated_at: now }));
    await store.db.transaction().execute(async (trx) => {
      await upsertSourceRecords(trx, values).execute();
      await appendFacts(trx, ws, values.flatMap((v) => recordFacts([v])), now);
    });
    await awaitLogHorizon(store.db, dialect);
  }

  async function event(e: { type: string; userId?: string; anonymousId?: string; previousId?: string; name?: string; traits?: Record<string, unknown> }): Promise<string> {
    clock.advance(1000);
    const id = newId('evt', clock.now());
    await store.db
      .insertInto('events')
      .values({
        workspace_id: ws,
        id,
        message_id: id,
        type: e.type,
        name: e.name ?? null,
        user_id: e.userId ?? null,
        anonymous_id: e.anonymousId ?? null,
        group_id: null,
        previous_id: e.previousId ?? null,
        profile_id: null,
        source: 'key_test',
        properties: toJson({}),
        traits: e.traits ? toJson(e.traits) : null,
        context: toJson({}),
        integrations: toJson({}),
        timestamp: clock.now(),
        original_timestamp: null,
        sent_at: null,
        received_at: clock.now(),
      })
      .execute();
    return id;
  }

  // Followers read below the transaction horizon (store/log-horizon.ts): on PostgreSQL, wait until what was written is below it.
  const settle = async () => {
    await awaitLogHorizon(store.db, dialect);
    return resolvePending(deps, ws);
  };
  /** `settle`, counting the statements by kind and table. */
  async function settleCounting(): Promise<{ inserts: Map<string, number>; selects: Map<string, number> }> {
    const inserts = new Map<string, number>();
    const selects = new Map<string, number>();
    const count = (map: Map<string, number>, table: string) => map.set(table, (map.get(table) ?? 0) + 1);
    const counting: KyselyPlugin = {
      transformQuery: ({ node }) => {
        if (InsertQueryNode.is(node) && node.into) count(inserts, node.into.table.identifier.name);
        if (SelectQueryNode.is(node)) for (const from of node.from?.froms ?? []) if (TableNode.is(from)) count(selects, from.table.identifier.name);
        return node;
      },
      transformResult: ({ result }) => Promise.resolve(result),
    };
    await awaitLogHorizon(store.db, dialect);
    await resolvePending({ ...deps, store: { ...store, db: store.db.withPlugin(counting) } }, ws, { sliceMs: 60_000 });
    return { inserts, selects };
  }
  const customers = async () =>
    Number(
      (
        await store.db
          .selectFrom('profiles')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('workspace_id', '=', ws)
          .where('parent_id', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const customerOf = async (kind: string, value: string) => {
    const row = await store.db
      .selectFrom('identities as i')
      .innerJoin('profiles as p', (j) => j.onRef('p.workspace_id', '=', 'i.workspace_id').onRef('p.id', '=', 'i.profile_id'))
      .select('p.root_id')
      .where('i.workspace_id', '=', ws)
      .where('i.kind', '=', kind)
      .where('i.value', '=', value)
      .executeTakeFirstOrThrow();
    return row.root_id;
  };

  it('gives a new customer the name, e-mail and phone of its first record, and one named by an id alone none', async () => {
    await freshWorkspace();
    await records('crm', 'contact', [['con-9', { firstName: 'Ines', lastName: 'Duarte', email: 'Ines.Duarte@Example.COM', phone: '+351 912 345 678' }]]);
    await event({ type: 'identify', userId: 'only-an-id' });
    await event({ type: 'identify', anonymousId: 'device-9', traits: { email: 'sam@example.org' } });
    await settle();
    const summary = async (kind: string, value: string) =>
      store.db.selectFrom('profiles').select(['name', 'email', 'phone']).where('workspace_id', '=', ws).where('id', '=', await customerOf(kind, value)).executeTakeFirstOrThrow();
    expect(await summary('external', 'crm/contact/con-9')).toEqual({ name: 'Ines Duarte', email: 'Ines.Duarte@Example.COM', phone: '+351 912 345 678' });
    expect(await summary('user_id', 'only-an-id')).toEqual({ name: null, email: null, phone: null });
    expect(await summary('anonymous_id', 'device-9')).toEqual({ name: null, email: 'sam@example.org', phone: null });
  });

  it('makes one customer of records from every silo that share an e-mail, a phone or an id, however written', async () => {
    await freshWorkspace({ userIdSource: 'billing' });
    await records('crm', 'contact', [['con-1', { firstName: 'Ann', lastName: 'Lee', email: 'Ann.Lee+coffee@GMail.com', country: 'GB' }]]);
    await records('billing', 'contact', [['cus-1', { name: 'Ann Lee', email: 'annlee@gmail.com', phone: '07700 900123', address: { line1: '1 High St', city: 'Leeds', postcode: 'LS1 1AA', country: 'GB' } }]]);
    await records('support', 'contact', [['req-1', { name: 'Anne Lee', phone: '+44 7700 900123' }]]);
    await records('billing', 'order', [['ord-1', { customerId: 'cus-1', orderNumber: '1001', total: 12.5, currency: 'GBP', status: 'paid' }]]);
    await records('support', 'ticket', [['tkt-1', { requesterId: 'req-1', subject: 'Where is my order?', status: 'solved' }]]);
    await event({ type: 'identify', userId: 'cus-1', anonymousId: 'anon-1', traits: { plan: 'gold' } });
    await event({ type: 'track', anonymousId: 'anon-1', name: 'Order Completed' });
    await settle();

    expect(await customers()).toBe(1);
    const id = await customerOf("email", "annlee@gmail.com");
    const view = await customerView(deps, ws, id);
    expect(view.name).toBeTruthy();
    expect(view.identities.map((i) => `${i.kind}:${i.value}`).sort()).toEqual(
      ['anonymous_id:anon-1', 'email:annlee@gmail.com', 'external:billing/contact/cus-1', 'external:crm/contact/con-1', 'external:support/contact/req-1', 'phone:+447700900123', 'user_id:cus-1'].sort(),
    );
    expect(view.timeline.items.map((i) => i.kind).sort()).toEqual(['contact', 'contact', 'contact', 'event', 'event', 'order', 'ticket']);
    const plan = view.traits.find((t) => t.key === 'plan');
    expect(plan).toMatchObject({ value: 'gold', current: true });
    expect(plan?.source).toMatch(/^events:/);
  });

  it('looks up many customers at once exactly as one by one: merged trees, newest traits, e-mails however written, strangers absent', async () => {
    await freshWorkspace();
    await records('crm', 'contact', [['con-1', { firstName: 'Ann', lastName: 'Lee', email: 'ann.lee@gmail.com', plan: 'silver' }]]);
    await records('billing', 'contact', [['cus-1', { name: 'Ann Lee', email: 'ann.lee@gmail.com', phone: '07700 900123', plan: 'gold' }]]);
    await event({ type: 'identify', userId: 'u-ann', traits: { email: 'ann.lee@gmail.com', tier: 'vip' } });
    await event({ type: 'identify', userId: 'u-bob', traits: { email: 'bob.ray@outlook.com' } });
    await event({ type: 'identify', anonymousId: 'anon-zed' });
    await settle();
    const asked = [
      { kind: 'user_id', value: 'u-ann' },
      { kind: 'email', value: 'Ann.Lee@GMail.com' },
      { kind: 'user_id', value: 'u-bob' },
      { kind: 'anonymous_id', value: 'anon-zed' },
      { kind: 'user_id', value: 'nobody' },
    ];
    const together = await customersOfIdentifiers(store.db, ws, asked);
    for (const i of asked) expect(together.get(identifierKey(i.kind, i.value))).toEqual(await customerOfIdentifier(store.db, ws, i.kind, i.value));
    expect(together.get(identifierKey('user_id', 'nobody'))).toBeUndefined();
    const ann = together.get(identifierKey('email', 'Ann.Lee@GMail.com'));
    expect(ann?.traits).toMatchObject({ tier: 'vip' });
    // One customer across both silos and the tracked user: the whole merged tree answers.
    expect(ann?.identifiers.map((i) => `${i.kind}:${i.value}`).sort()).toEqual(['email:annlee@gmail.com', 'external:billing/contact/cus-1', 'external:crm/contact/con-1', 'user_id:u-ann']);
  });

  it('follows Segment identities: an anonymous visitor who identifies, a second device, an alias', async () => {
    await freshWorkspace();
    await event({ type: 'page', anonymousId: 'a1', name: '/pricing' });
    await event({ type: 'identify', anonymousId: 'a1', userId: 'u1', traits: { email: 'sam@example.org' } });
    await event({ type: 'page', anonymousId: 'a2', name: '/' });
    await event({ type: 'alias', previousId: 'old-user-7', userId: 'u1' });
    await settle();
    expect(await customers()).toBe(2);
    await event({ type: 'identify', anonymousId: 'a2', userId: 'u1' });
    await settle();
    expect(await customers()).toBe(1);
    const id = await customerOf('user_id', 'u1');
    expect(await customerOf('anonymous_id', 'a2')).toBe(id);
    expect(await customerOf('anonymous_id', 'old-user-7')).toBe(id);
    const view = await customerView(deps, ws, id);
    expect(view.merges).toHaveLength(1);
    expect(view.merges[0]).toMatchObject({ rule: 'shared-identifier', undoneAt: null });
    expect(view.timeline.items.filter((i) => i.kind === 'event')).toHaveLength(5);
  });

  it('unmerges exactly, events and all, and keeps the two apart afterwards', async () => {
    await freshWorkspace();
    await event({ type: 'identify', userId: 'u9', traits: { name: 'Joe Bloggs' } });
    await settle();
    const phoneEvent = await event({ type: 'track', anonymousId: 'tablet', name: 'App Opened' });
    await settle();
    const before = await customerView(deps, ws, await customerOf('anonymous_id', 'tablet'));
    const linking = await event({ type: 'identify', userId: 'u9', anonymousId: 'tablet' });
    await settle();
    const merged = await customerView(deps, ws, await customerOf('user_id', 'u9'));
    expect(merged.profiles).toBe(2);
    const mergeId = merged.merges[0]?.id as string;

    const result = await undoMerge(deps, ws, ACTOR, mergeId);
    expect(result.restoredId).toBe(before.id);
    const restored = await customerView(deps, ws, before.id);
    expect(restored.identities).toEqual(before.identities);
    // Its events come back with it; the event that named both ids belongs to both.
    expect(restored.timeline.items.map((i) => i.id)).toEqual([linking, phoneEvent]);
    expect((await customerView(deps, ws, result.survivorId)).identities.map((i) => i.value)).toEqual(['u9']);
    await expect(undoMerge(deps, ws, ACTOR, mergeId)).rejects.toMatchObject({ code: 'MERGE_ALREADY_UNDONE' });

    // The same evidence again does not merge them a second time.
    await event({ type: 'identify', userId: 'u9', anonymousId: 'tablet' });
    await settle();
    expect(await customers()).toBe(2);
    const audit = await store.db.selectFrom('audit_log').select('action').where('workspace_id', '=', ws).execute();
    expect(audit.map((a) => a.action)).toContain('customer.unmerge');
  });

  it('does not merge people with different userIds through a shared inbox, and stops trusting the inbox', async () => {
    await freshWorkspace({ sharedAfterConflicts: 2 });
    for (const user of ['mum', 'dad', 'kid', 'gran']) await event({ type: 'identify', userId: user, traits: { email: 'family@home.example' } });
    await settle();
    expect(await customers()).toBe(4);
    const inbox = await store.db.selectFrom('identities').selectAll().where('workspace_id', '=', ws).where('kind', '=', 'email').executeTakeFirstOrThrow();
    expect(inbox.shared_reason).toMatch(/seen on 3 people/);
    const queue = await reviewQueue(deps, ws, 'open', 10);
    // Two conflicts were asked about; once flagged, the inbox no longer links anyone.
    expect(queue.suggestions).toHaveLength(2);
    expect(queue.suggestions[0]?.reason).toBe('conflicting-ids');
    expect(queue.suggestions[0]?.evidence.blockedBy).toMatch(/different userId/);
  });

  it('merges by probability above the upper threshold and queues the middle band for review', async () => {
    await freshWorkspace({ mergeThreshold: 0.99, reviewThreshold: 0.05 });
    await records('crm', 'contact', [['c-1', { firstName: 'Robert', lastName: 'Fairweather', email: 'r.fairweather@acme.example', birthDate: '1984-03-12', address: { line1: '12 Orchard Lane', city: 'Bristol', postcode: 'BS1 4DJ', country: 'GB' } }]]);
    await records('support', 'contact', [['s-1', { name: 'Bob Fairweather', email: 'bobfw@mail.example', birthDate: '12/03/1984', address: { line1: '12 Orchard Ln', city: 'Bristol', postcode: 'BS1 4DJ', country: 'GB' } }]]);
    await records('web', 'contact', [['w-1', { firstName: 'Robert', lastName: 'Fairweather', email: 'robert.f@elsewhere.example', postcode: 'BS1 4DJ', country: 'GB' }]]);
    await settle();
    const id = await customerOf('external', 'crm/contact/c-1');
    expect(await customerOf('external', 'support/contact/s-1')).toBe(id);
    const view = await customerView(deps, ws, id);
    const probabilistic = view.merges.find((m) => m.rule === 'probabilistic');
    expect(probabilistic?.score).toBeGreaterThanOrEqual(0.99);
    expect(probabilistic?.evidence.fields?.map((f) => f.field)).toEqual(expect.arrayContaining(['firstName', 'lastName']));
    expect(await customerOf('external', 'web/contact/w-1')).not.toBe(id);

    const queue = await reviewQueue(deps, ws, 'open', 10);
    expect(queue.suggestions).toHaveLength(1);
    const s = queue.suggestions[0]!;
    expect(s.reason).toBe('probabilistic');
    expect([s.a.features.email, s.b.features.email]).toContain('robert.f@elsewhere.example');
    const decided = await decide_suggestion(deps, ws, ACTOR, s.id, 'keep-apart');
    expect(decided.status).toBe('kept-apart');
    await expect(decide_suggestion(deps, ws, ACTOR, s.id, 'merge')).rejects.toMatchObject({ code: 'SUGGESTION_ALREADY_DECIDED' });
  });

  it('finds customers by the start of a name, an e-mail, a phone however typed, an id, and by sound', async () => {
    await freshWorkspace();
    await records('crm', 'contact', [
      ['c-1', { firstName: 'Katherine', lastName: 'Schmidt', email: 'kath@acme.example', phone: '+1 415 555 0199' }],
      ['c-2', { firstName: 'Peter', lastName: 'Smith', email: 'peter@acme.example' }],
    ]);
    await settle();
    const names = async (q: string) => (await searchCustomers(deps, ws, q, 10)).customers.map((c) => c.name);
    expect(await names('kath')).toEqual(['Katherine Schmidt']);
    expect(await names('Schm kath')).toEqual(['Katherine Schmidt']);
    expect(await names('peter@acme')).toEqual(['Peter Smith']);
    expect(await names('(415) 555-0199')).toEqual(['Katherine Schmidt']);
    expect(await names('c-2')).toEqual(['Peter Smith']);
    expect(await names('Catherine Shmidt')).toEqual(['Katherine Schmidt']);
    expect(await names('Pieter')).toEqual(['Peter Smith']);
    expect(await names('Smyth')).toEqual(['Peter Smith', 'Katherine Schmidt']);
    expect(await names('Shmit')).toEqual(['Katherine Schmidt', 'Peter Smith']);
    expect(await names('nobody')).toEqual([]);
  });

  it('writes a slice of new people with one insert a table, and a later placement in the slice that reads the graph sees them', async () => {
    await freshWorkspace();
    for (let i = 0; i < 39; i++) await event({ type: 'track', userId: `new-${i}`, name: 'Lead Created' });
    await event({ type: 'page', anonymousId: 'visitor', name: '/pricing' });
    // Later in the same slice: traits for one of them, and the visitor named as another.
    await event({ type: 'identify', userId: 'new-5', traits: { plan: 'pro', email: 'five@pending.example' } });
    await event({ type: 'alias', userId: 'new-8', previousId: 'visitor' });
    const { inserts } = await settleCounting();
    expect(await customers()).toBe(39);
    expect(await customerOf('email', 'five@pending.example')).toBe(await customerOf('user_id', 'new-5'));
    expect(await customerOf('anonymous_id', 'visitor')).toBe(await customerOf('user_id', 'new-8'));
    const plan = await store.db.selectFrom('profile_traits').select('value').where('workspace_id', '=', ws).where('key', '=', 'plan').execute();
    expect(plan).toEqual([{ value: toJson('pro') }]);
    // The forty leaves in one statement, written when the identify needed to read them; their
    // identifiers in another, and the identify's new e-mail in a third.
    expect(inserts.get('profiles')).toBe(1);
    expect(inserts.get('identities')).toBe(2);
  });

  it('links a slice of records of known people with one look-up and one insert', async () => {
    await freshWorkspace();
    for (let i = 0; i < 40; i++) await event({ type: 'track', userId: `known-${i}`, name: 'Lead Created' });
    await settle();
    // A later run: its cache is empty, so what it knows of these people comes from the look-up.
    await records('helpdesk', 'ticket', Array.from({ length: 40 }, (_, i): [string, Record<string, unknown>] => [`t-${i}`, { userId: `known-${i}` }]));
    const { inserts, selects } = await settleCounting();
    expect(await customers()).toBe(40);
    expect(inserts.get('profile_records')).toBe(1);
    expect(selects.get('identities')).toBe(1);
    const linked = await store.db.selectFrom('profile_records').select(['external_id', 'profile_id']).where('workspace_id', '=', ws).execute();
    expect(linked).toHaveLength(40);
    for (const r of linked) expect(r.profile_id).toBe(await customerOf('user_id', `known-${r.external_id.slice(2)}`));
  });

  it('reads blocked neighbours of many keys in one statement, at most the limit per key', async () => {
    await freshWorkspace();
    const rows = [...Array.from({ length: 60 }, (_, i) => ({ key: 'common', profileId: `prf_common_${i}` })), { key: 'rare', profileId: 'prf_rare_0' }, { key: 'rare', profileId: 'prf_rare_1' }];
    await insertKeys(store.db, 'profile_blocks', ws, rows);
    const neighbours = await blockNeighbours(store.db, ws, ['common', 'rare', 'common', 'unknown'], 50);
    expect(neighbours.filter((id) => id.startsWith('prf_common_'))).toHaveLength(50);
    expect(neighbours.filter((id) => id.startsWith('prf_rare_')).sort()).toEqual(['prf_rare_0', 'prf_rare_1']);
    expect(new Set(neighbours).size).toBe(neighbours.length);
  });

  it('places an import of a thousand records in short slices that can end inside its fact, each record once', async () => {
    await freshWorkspace();
    const rows = Array.from({ length: 1000 }, (_, i): [string, Record<string, unknown>] => [`imp-${i}`, { firstName: `Person${i}`, email: `person.${i}@import.example` }]);
    await records('crm', 'contact', rows.slice(0, 1000));
    await records('crm', 'contact', [['imp-1000', { email: 'person.1000@import.example' }]]);
    await awaitLogHorizon(store.db, dialect);
    // One slice, then stop: the slice ends after its first item, inside the first fact.
    await expect(
      resolvePending(deps, ws, {
        sliceMs: 0,
        onProgress: () => {
          throw new Error('stop after one slice');
        },
      }),
    ).rejects.toThrow('stop after one slice');
    expect(await readCursor(store.db, ws, 'customers.records')).toMatch(/#50$/);
    expect(await customers()).toBe(50);
    await resolvePending(deps, ws, { sliceMs: 0 });
    expect(await customers()).toBe(1001);
    const placed = await store.db.selectFrom('profile_records').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ws).executeTakeFirstOrThrow();
    expect(Number(placed.n)).toBe(1001);
    expect(await readCursor(store.db, ws, 'customers.records')).not.toContain('#');
  });

  it('places a thousand one-record facts (a task timeline each) in full slices, not a few facts a slice', async () => {
    await freshWorkspace();
    await oneRecordFacts('one', 1000);
    let slices = 0;
    await resolvePending(deps, ws, { sliceMs: 60_000, onProgress: () => void slices++ });
    expect(await customers()).toBe(1000);
    // 500 records a slice (the default batch). Reading five facts a slice, as for an import's, took 200.
    expect(slices).toBe(2);
  });

  it('under a budget, gives the events their share while records keep arriving; without one, places every record first', async () => {
    await freshWorkspace();
    await event({ type: 'identify', userId: 'u-share', traits: { email: 'share@events.example' } });
    await oneRecordFacts('flood', 3000);
    // Half of 400 ms for records (far from all 3 000), then the event.
    const pass = await resolvePending(deps, ws, { budgetMs: 400, sliceMs: 5 });
    expect(pass.more).toBe(true);
    expect(await customerOfIdentifier(store.db, ws, 'user_id', 'u-share')).toBeDefined();
    expect(await customers()).toBeLessThan(3001);
    await resolvePending(deps, ws);
    expect(await customers()).toBe(3001);
  });
});
