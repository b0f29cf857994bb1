/**
 * The tracking API end to end: what a sender sees (status, codes, per-message reasons) and
 * what the dashboard then shows (events, tail, counts, sources, recent errors).
 */
import { gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { TAIL_SETTLE_MS } from '../../src/modules/ingest/index.js';
import { createKey, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { testDialects } from '../../src/store/testing.js';
import { basicAuth, createTestApp, errorCode, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);

interface EventView {
  id: string;
  messageId: string;
  type: string;
  name: string | null;
  userId: string | null;
  anonymousId: string | null;
  timestamp: string;
  receivedAt: string;
  source: { keyId: string; keyName: string | null };
  properties: unknown;
  context: unknown;
}

describe.each(testDialects())('tracking API on %s', (dialect) => {
  let t: TestApp;
  let clock: ManualClock;
  let ws: string;
  let otherWs: string;
  let writeKey: string;
  let writeKeyId: string;
  let secretKey: string;
  let owner: Session;
  let otherWriteKey: string;

  beforeAll(async () => {
    clock = new ManualClock(NOW);
    t = await createTestApp({ dialect, clock });
    const deps = { store: t.store, clock };
    const a = await seedWorkspace(t, 'Alpha', 'owner@alpha.test');
    const b = await seedWorkspace(t, 'Bravo', 'owner@bravo.test');
    ws = a.workspaceId;
    otherWs = b.workspaceId;
    const ctx = { workspaceId: ws, callerRole: 'owner' as const, actor: SYSTEM_ACTOR };
    const wk = await createKey(deps, ctx, { kind: 'write', name: 'website' });
    writeKey = wk.token;
    writeKeyId = wk.key.id;
    secretKey = (await createKey(deps, ctx, { kind: 'secret', name: 'server', role: 'admin' })).token;
    otherWriteKey = (await createKey(deps, { ...ctx, workspaceId: otherWs }, { kind: 'write', name: 'bravo site' })).token;
    owner = await loginAs(t.app, a.ownerEmail);
  });
  afterAll(() => t.close());

  const send = (path: string, body: unknown, headers: Record<string, string> = { authorization: basicAuth(writeKey) }) =>
    t.app.inject({ method: 'POST', url: `/v1/${path}`, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
  const api = (path: string) => t.app.inject({ url: `/api/workspaces/${ws}${path}`, headers: owner.headers });
  const events = async (limit = 500): Promise<EventView[]> => (await api(`/events?limit=${limit}`)).json().events;
  const eventCount = async () => (await t.store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  it('stores a track sent with Basic auth, and the dashboard shows it as sent', async () => {
    const res = await send('track', {
      userId: 'u-1',
      event: 'Order Completed',
      properties: { total: 42.5, items: [{ sku: 'A-1' }] },
      context: { ip: '203.0.113.9', library: { name: 'curl' } },
      messageId: 'm-track-1',
      timestamp: '2026-03-01T11:00:00.000Z',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ success: true, accepted: 1, duplicates: 0, rejected: [] });
    const [e] = await events();
    expect(e).toMatchObject({
      messageId: 'm-track-1',
      type: 'track',
      name: 'Order Completed',
      userId: 'u-1',
      anonymousId: null,
      timestamp: '2026-03-01T11:00:00.000Z',
      receivedAt: new Date(NOW).toISOString(),
      source: { keyId: writeKeyId, keyName: 'website' },
      properties: { total: 42.5, items: [{ sku: 'A-1' }] },
      context: { ip: '203.0.113.9', library: { name: 'curl' } },
    });
  });

  it('accepts the write key in the body, and generates a messageId when none is sent', async () => {
    const res = await send('identify', { writeKey, anonymousId: 'anon-7', traits: { plan: 'pro' } }, {});
    expect(res.statusCode, res.body).toBe(200);
    const [e] = await events(1);
    expect(e).toMatchObject({ type: 'identify', anonymousId: 'anon-7', properties: { plan: 'pro' } });
    expect(e?.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses missing, unknown, secret, other-kind and revoked keys with 401, storing nothing', async () => {
    const before = await eventCount();
    const deps = { store: t.store, clock };
    const revoked = await createKey(deps, { workspaceId: ws, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name: 'old app' });
    await t.app.inject({ method: 'DELETE', url: `/api/workspaces/${ws}/keys/${revoked.key.id}`, headers: owner.headers });
    const msg = { userId: 'u', event: 'E' };
    const attempts: Record<string, string>[] = [
      {},
      { authorization: basicAuth('ec_wk_' + 'x'.repeat(43)) },
      { authorization: basicAuth(secretKey) },
      { authorization: `Bearer ${writeKey}` },
      { authorization: basicAuth(revoked.token) },
    ];
    for (const headers of attempts) {
      const res = await send('track', msg, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(errorCode(res)).toBe('INGEST_INVALID_WRITE_KEY');
    }
    expect(await eventCount()).toBe(before);
  });

  it('corrects the sender’s clock skew from sentAt and keeps the original times', async () => {
    // The device's clock is 2 h behind: it says it sent at 10:00:05, we received at 12:00:00.
    const res = await send('batch', {
      sentAt: '2026-03-01T10:00:05.000Z',
      batch: [{ type: 'page', anonymousId: 'a-skew', name: 'Pricing', timestamp: '2026-03-01T10:00:00.000Z', messageId: 'm-skew' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const [e] = await events(1);
    expect(e).toMatchObject({ messageId: 'm-skew', type: 'page', name: 'Pricing', timestamp: '2026-03-01T11:59:55.000Z' });
    const row = await t.store.db.selectFrom('events').selectAll().where('message_id', '=', 'm-skew').executeTakeFirstOrThrow();
    expect(row.original_timestamp).toBe(Date.parse('2026-03-01T10:00:00.000Z'));
    expect(row.sent_at).toBe(Date.parse('2026-03-01T10:00:05.000Z'));
    expect(row.received_at).toBe(NOW);
  });

  it('keeps the good messages of a batch and reports each bad one with its reason', async () => {
    let deep: unknown = { leaf: true };
    for (let i = 0; i < 60; i++) deep = { deep };
    const res = await send('batch', {
      batch: [
        { type: 'track', userId: 'u-2', event: 'Signed Up', messageId: 'ok-1' },
        { type: 'track', userId: 'u-2', messageId: 'no-event' },
        { type: 'identify', messageId: 'no-identity', traits: {} },
        { type: 'alias', userId: 'u-2', messageId: 'no-previous' },
        { type: 'group', userId: 'u-2', messageId: 'no-group' },
        { type: 'track', userId: 'u-2', event: 'Big', messageId: 'too-big', properties: { blob: 'x'.repeat(40_000) } },
        { type: 'track', userId: 'u-2', event: 'Deep', messageId: 'too-deep', properties: deep },
        { type: 'launch', userId: 'u-2', messageId: 'bad-type' },
        'not an object',
        { type: 'screen', userId: 'u-2', name: 'Home', messageId: 'ok-2', timestamp: 'yesterday' },
        { type: 'group', userId: 'u-2', groupId: 'acme', messageId: 'ok-3', traits: { seats: 5 } },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { accepted: number; rejected: { index: number; messageId: string | null; code: string; reason: string }[] };
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => [r.index, r.messageId, r.code])).toEqual([
      [1, 'no-event', 'INGEST_INVALID_MESSAGE'],
      [2, 'no-identity', 'INGEST_INVALID_MESSAGE'],
      [3, 'no-previous', 'INGEST_INVALID_MESSAGE'],
      [4, 'no-group', 'INGEST_INVALID_MESSAGE'],
      [5, 'too-big', 'INGEST_MESSAGE_TOO_LARGE'],
      [6, 'too-deep', 'INGEST_INVALID_MESSAGE'],
      [7, 'bad-type', 'INGEST_INVALID_MESSAGE'],
      [8, null, 'INGEST_INVALID_MESSAGE'],
      [9, 'ok-2', 'INGEST_INVALID_MESSAGE'],
    ]);
    expect(body.rejected[1]?.reason).toMatch(/userId or anonymousId/);
    expect(body.rejected[5]?.reason).toMatch(/nested deeper/);
    const stored = (await events()).map((e) => e.messageId);
    expect(stored).toEqual(expect.arrayContaining(['ok-1', 'ok-3']));
    expect(stored).not.toContain('no-event');

    const errors = (await api('/ingest/errors?limit=20')).json().errors as { messageId: string | null; code: string; keyPrefix: string; type: string | null }[];
    expect(errors[0]).toMatchObject({ keyPrefix: writeKey.slice(0, 12) });
    expect(errors.map((e) => e.messageId)).toEqual(expect.arrayContaining(['too-big', 'no-event', 'bad-type']));
    expect(errors.find((e) => e.messageId === 'too-big')).toMatchObject({ code: 'INGEST_MESSAGE_TOO_LARGE', type: 'track' });
  });

  it('answers 400 with every reason when no message in a request is valid, and stores none', async () => {
    const before = await eventCount();
    const single = await send('track', { userId: 'u-3', messageId: 'lonely' });
    expect(single.statusCode).toBe(400);
    expect(errorCode(single)).toBe('INGEST_INVALID_MESSAGE');
    const batch = await send('batch', { batch: [{ type: 'track' }, { type: 'alias', userId: 'x' }] });
    expect(batch.statusCode).toBe(400);
    expect(batch.json().error.details.rejected).toHaveLength(2);
    expect(await eventCount()).toBe(before);
  });

  it('stores a retried batch once: same messageIds, no second copy, no double count', async () => {
    clock.set(Date.UTC(2026, 2, 2, 9));
    const batch = {
      batch: Array.from({ length: 20 }, (_, i) => ({
        type: 'track',
        userId: `retry-${i % 4}`,
        event: i % 2 ? 'Viewed' : 'Clicked',
        messageId: `retry-${i}`,
        timestamp: '2026-03-02T08:00:00.000Z',
      })),
    };
    const first = await send('batch', batch);
    expect(first.json()).toMatchObject({ accepted: 20, duplicates: 0 });
    const [again, concurrent] = await Promise.all([send('batch', batch), send('batch', batch)]);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 20 });
    expect(concurrent.json()).toMatchObject({ accepted: 0, duplicates: 20 });
    const stored = await t.store.db.selectFrom('events').select('message_id').where('message_id', 'like', 'retry-%').execute();
    expect(stored).toHaveLength(20);
    const counts = (await api('/events/counts?from=2026-03-02&to=2026-03-02')).json().days;
    expect(counts).toEqual([
      { day: '2026-03-02', type: 'track', name: 'Clicked', source: writeKeyId, count: 10 },
      { day: '2026-03-02', type: 'track', name: 'Viewed', source: writeKeyId, count: 10 },
    ]);
  });

  it('takes gzip bodies, and answers a zip bomb, a corrupt gzip and other encodings with a 4xx', async () => {
    const before = await eventCount();
    const zipped = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: basicAuth(writeKey), 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'gz', event: 'Zipped', messageId: 'gz-1' }] })),
    });
    expect(zipped.statusCode, zipped.body).toBe(200);
    expect(await eventCount()).toBe(before + 1);

    // 200 MB of spaces inside a valid JSON object, about 200 KB compressed.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"batch":['), Buffer.alloc(200 * 1024 * 1024, 0x20), Buffer.from(']}')]));
    expect(bomb.length).toBeLessThan(500 * 1024);
    const exploded = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: basicAuth(writeKey), 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: bomb,
    });
    expect(exploded.statusCode).toBe(413);
    expect(errorCode(exploded)).toBe('INGEST_PAYLOAD_TOO_LARGE');

    const corrupt = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: basicAuth(writeKey), 'content-encoding': 'gzip' },
      payload: Buffer.from('definitely not gzip'),
    });
    expect(corrupt.statusCode).toBe(400);
    const brotli = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: basicAuth(writeKey), 'content-encoding': 'br' },
      payload: Buffer.from('{}'),
    });
    expect(brotli.statusCode).toBe(415);
    expect(errorCode(brotli)).toBe('INGEST_UNSUPPORTED_ENCODING');
    expect(await eventCount()).toBe(before + 1);
  });

  it('enforces Segment’s limits: 32 KB a message, 500 KB a request', async () => {
    const single = await send('track', { userId: 'u', event: 'Big', properties: { blob: 'x'.repeat(33 * 1024) } });
    expect(single.statusCode).toBe(413);
    expect(errorCode(single)).toBe('INGEST_MESSAGE_TOO_LARGE');
    const message = { type: 'track', userId: 'u', event: 'Filler', properties: { blob: 'x'.repeat(20 * 1024) } };
    const huge = await send('batch', { batch: Array.from({ length: 30 }, () => message) });
    expect(huge.statusCode).toBe(413);
    expect(errorCode(huge)).toBe('INGEST_PAYLOAD_TOO_LARGE');
  });

  it('pages events newest first and tails them oldest first from a cursor', async () => {
    clock.set(Date.UTC(2026, 2, 3, 9));
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      expect((await send('track', { userId: 'pager', event: `Step ${i}`, messageId: `page-${i}` })).statusCode).toBe(200);
    }
    const first = (await api('/events?limit=3')).json();
    expect(first.events.map((e: EventView) => e.name)).toEqual(['Step 4', 'Step 3', 'Step 2']);
    const second = (await api(`/events?limit=3&before=${first.nextCursor}`)).json();
    expect(second.events.map((e: EventView) => e.name).slice(0, 2)).toEqual(['Step 1', 'Step 0']);

    const start = (await api('/events/tail?limit=2')).json();
    expect(start.events.map((e: EventView) => e.name)).toEqual(['Step 3', 'Step 4']);
    // The cursor stays behind the settle window: what is younger than it comes again.
    const names = (r: { events: EventView[] }) => r.events.map((e) => e.name);
    const reread = (await api(`/events/tail?after=${start.cursor}`)).json();
    expect(names(reread)).toEqual(['Step 0', 'Step 1', 'Step 2', 'Step 3', 'Step 4']);
    clock.advance(TAIL_SETTLE_MS + 5000);
    const settled = (await api(`/events/tail?after=${reread.cursor}`)).json();
    expect(names(settled)).toEqual(['Step 0', 'Step 1', 'Step 2', 'Step 3', 'Step 4']);
    expect(settled.cursor).toBe(settled.events[4].id);
    const idle = (await api(`/events/tail?after=${settled.cursor}`)).json();
    expect(idle).toEqual({ events: [], cursor: settled.cursor });
    await send('batch', { batch: [5, 6, 7].map((i) => ({ type: 'track', userId: 'pager', event: `Step ${i}`, messageId: `page-${i}` })) });
    const next = (await api(`/events/tail?after=${idle.cursor}`)).json();
    expect(names(next)).toEqual(['Step 5', 'Step 6', 'Step 7']);
    clock.advance(TAIL_SETTLE_MS + 5000);
    const after = (await api(`/events/tail?after=${next.cursor}`)).json();
    expect(names(after)).toEqual(['Step 5', 'Step 6', 'Step 7']);
    expect(after.cursor).toBe(after.events[2].id);
  });

  it('lists write keys as sources with what each sent, and keeps workspaces apart', async () => {
    expect((await send('track', { userId: 'b-user', event: 'Bravo Only', messageId: 'bravo-1' }, { authorization: basicAuth(otherWriteKey) })).statusCode).toBe(200);
    const sources = (await api('/ingest/sources')).json().sources as { keyId: string; keyName: string; events: number; revoked: boolean; lastEventAt: string | null }[];
    const website = sources.find((s) => s.keyId === writeKeyId);
    expect(website).toMatchObject({ keyName: 'website', revoked: false, keyPrefix: writeKey.slice(0, 12) });
    expect(website?.events).toBe(await eventCount() - 1);
    expect(sources.find((s) => s.keyName === 'old app')).toMatchObject({ revoked: true, events: 0, lastEventAt: null });
    expect(sources.map((s) => s.keyName)).not.toContain('bravo site');
    const all = await events();
    expect(all.map((e) => e.messageId)).not.toContain('bravo-1');
    expect(JSON.stringify((await api('/events/counts?from=2026-01-01&to=2026-12-31')).json())).not.toContain('Bravo Only');
  });

  it('validates dashboard queries', async () => {
    const backwards = await api('/events/counts?from=2026-03-05&to=2026-03-01');
    expect(backwards.statusCode).toBe(400);
    expect(errorCode(backwards)).toBe('VALIDATION_FAILED');
    const notADay = await api('/events/counts?from=March&to=2026-03-01');
    expect(notADay.statusCode).toBe(400);
  });
});

export type { LightMyRequestResponse };
