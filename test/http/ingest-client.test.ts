/**
 * The official Segment SDK (@segment/analytics-node) pointed at Empty Chair: what it sends
 * arrives intact, by its own batching, auth and retry code rather than ours.
 */
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { testDialects } from '../../src/store/testing.js';
import { fromJson } from '../../src/store/index.js';
import { startTestApp } from '../support/app.js';

describe.each(testDialects())('@segment/analytics-node against a listening server on %s', (dialect) => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let writeKey: string;
  let keyId: string;

  beforeAll(async () => {
    server = await startTestApp({ dialect });
    const ws = server.workspaces[0]?.id as string;
    const created = await createKey({ store: server.store, clock: { now: () => Date.now() } }, { workspaceId: ws, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name: 'node backend' });
    writeKey = created.token;
    keyId = created.key.id;
  });
  afterAll(() => server.close());

  it('delivers identify, track and a batch intact', async () => {
    const analytics = new Analytics({ writeKey, host: server.url, flushAt: 3, flushInterval: 50, maxRetries: 1 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    const when = new Date('2026-02-14T09:30:00.000Z');
    analytics.identify({ userId: 'cust-42', traits: { email: 'ada@example.com', plan: 'pro', seats: 12 }, timestamp: when });
    analytics.track({ userId: 'cust-42', event: 'Invoice Paid', properties: { amount: 1200, currency: 'EUR' }, context: { locale: 'fr-FR' } });
    analytics.page({ anonymousId: 'anon-9', name: 'Pricing', properties: { path: '/pricing' } });
    analytics.group({ userId: 'cust-42', groupId: 'acme', traits: { industry: 'coffee' } });
    analytics.alias({ userId: 'cust-42', previousId: 'anon-9' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);

    const rows = await server.store.db.selectFrom('events').selectAll().orderBy('id').execute();
    // flushAt 3 makes two batches, which the SDK may send at once: each keeps its own order,
    // but which batch is stored first is up to the network.
    const types = rows.map((r) => r.type);
    expect([...types].sort()).toEqual(['alias', 'group', 'identify', 'page', 'track']);
    expect(types.filter((t) => t === 'identify' || t === 'track' || t === 'page')).toEqual(['identify', 'track', 'page']);
    expect(types.filter((t) => t === 'group' || t === 'alias')).toEqual(['group', 'alias']);
    const byType = (type: string) => rows.find((r) => r.type === type);
    const [identify, track, page, group, alias] = ['identify', 'track', 'page', 'group', 'alias'].map(byType);
    expect(identify).toMatchObject({ user_id: 'cust-42', source: keyId, original_timestamp: when.getTime() });
    expect(fromJson(identify?.traits)).toEqual({ email: 'ada@example.com', plan: 'pro', seats: 12 });
    expect(track).toMatchObject({ name: 'Invoice Paid', user_id: 'cust-42' });
    expect(fromJson(track?.properties)).toEqual({ amount: 1200, currency: 'EUR' });
    const context = fromJson<{ locale: string; library: { name: string } }>(track?.context);
    expect(context.locale).toBe('fr-FR');
    expect(context.library.name).toBe('@segment/analytics-node');
    expect(page).toMatchObject({ name: 'Pricing', anonymous_id: 'anon-9' });
    expect(fromJson(page?.properties)).toEqual({ path: '/pricing' });
    expect(group).toMatchObject({ group_id: 'acme' });
    expect(alias).toMatchObject({ previous_id: 'anon-9', user_id: 'cust-42' });
    // The SDK's own messageIds are kept, so its retries deduplicate.
    for (const r of rows) expect(r.message_id).toMatch(/^node-next-\d+-|[0-9a-f-]{36}/);
    // The SDK stamps sentAt, so the skew correction ran: the corrected time stays close to receipt.
    expect(track?.sent_at).not.toBeNull();
    expect(Math.abs((track?.timestamp ?? 0) - (track?.original_timestamp ?? 0))).toBeLessThan(60_000);
  });
});
