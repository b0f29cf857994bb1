/**
 * Requests refused as a whole (unreadable, too large, wrongly encoded, not a batch) appear in
 * the Sources page's error list when they came with a write key that resolves; requests
 * with no key or a wrong one leave no trace in the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureBudget } from '../../src/modules/ingest/request-failures.js';
import { createKey, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { testDialects } from '../../src/store/testing.js';
import { basicAuth, createTestApp, errorCode, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';


interface ErrorView {
  code: string;
  message: string;
  type: string | null;
  messageId: string | null;
  keyPrefix: string | null;
}

describe('FailureBudget', () => {
  it('lets a workspace record a few failures per window, then none until the next window', () => {
    let now = 0;
    const budget = new FailureBudget(3, 1000, 10_000, () => now);
    expect([1, 2, 3, 4].map(() => budget.take('ws_a'))).toEqual([true, true, true, false]);
    expect(budget.take('ws_b'), 'each workspace has its own').toBe(true);
    now = 999;
    expect(budget.take('ws_a')).toBe(false);
    now = 1000;
    expect(budget.take('ws_a')).toBe(true);
  });
});

describe.each(testDialects())('whole-request failures on %s', (dialect) => {
  let t: TestApp;
  let ws: string;
  let writeKey: string;
  let secretKey: string;
  let owner: Session;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    const a = await seedWorkspace(t, 'Alpha', 'owner@alpha.test');
    ws = a.workspaceId;
    const ctx = { workspaceId: ws, callerRole: 'owner' as const, actor: SYSTEM_ACTOR };
    writeKey = (await createKey({ store: t.store, clock: t.clock }, ctx, { kind: 'write', name: 'site' })).token;
    secretKey = (await createKey({ store: t.store, clock: t.clock }, ctx, { kind: 'secret', name: 'server', role: 'admin' })).token;
    owner = await loginAs(t.app, a.ownerEmail);
  });
  afterAll(() => t.close());

  const post = (path: string, payload: string | Buffer, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: `/v1/${path}`, headers: { 'content-type': 'application/json', ...headers }, payload });
  const recent = async (): Promise<ErrorView[]> =>
    (await t.app.inject({ url: `/api/workspaces/${ws}/ingest/errors?limit=100`, headers: owner.headers })).json().errors;
  const allErrorRows = async () => (await t.store.db.selectFrom('ingest_errors').select('id').execute()).length;

  it('records malformed JSON, an oversize batch, corrupt gzip, an unknown encoding and a body that is no batch, with their codes', async () => {
    const auth = { authorization: basicAuth(writeKey) };
    const cases: [string, string | Buffer, Record<string, string>, number, string][] = [
      ['track', '{"userId": "u", "event": ', auth, 400, 'MALFORMED_JSON'],
      ['batch', JSON.stringify({ batch: Array.from({ length: 30 }, () => ({ type: 'track', userId: 'u', event: 'E', properties: { blob: 'x'.repeat(20_000) } })) }), auth, 413, 'INGEST_PAYLOAD_TOO_LARGE'],
      ['batch', Buffer.from('definitely not gzip'), { ...auth, 'content-encoding': 'gzip' }, 400, 'MALFORMED_JSON'],
      ['page', '{}', { ...auth, 'content-encoding': 'br' }, 415, 'INGEST_UNSUPPORTED_ENCODING'],
      ['batch', JSON.stringify({ batch: 'not a list' }), auth, 400, 'INGEST_INVALID_MESSAGE'],
      // The key in the body counts when the body could be read.
      ['batch', JSON.stringify({ writeKey, batch: { type: 'track' } }), {}, 400, 'INGEST_INVALID_MESSAGE'],
    ];
    for (const [path, payload, headers, status, code] of cases) {
      const res = await post(path, payload, headers);
      expect(res.statusCode, `${path} ${code}`).toBe(status);
      expect(errorCode(res)).toBe(code);
    }
    const errors = await recent();
    expect(errors.map((e) => [e.type, e.code]).reverse()).toEqual([
      ['track', 'MALFORMED_JSON'],
      ['batch', 'INGEST_PAYLOAD_TOO_LARGE'],
      ['batch', 'MALFORMED_JSON'],
      ['page', 'INGEST_UNSUPPORTED_ENCODING'],
      ['batch', 'INGEST_INVALID_MESSAGE'],
      ['batch', 'INGEST_INVALID_MESSAGE'],
    ]);
    expect(errors.every((e) => e.keyPrefix === writeKey.slice(0, 12) && e.messageId === null)).toBe(true);
    expect(errors.find((e) => e.code === 'INGEST_PAYLOAD_TOO_LARGE')?.message).toBe('the whole request was refused: the request body is over 500 KB');
    expect(errors.find((e) => e.type === 'track')?.message).toBe('the whole request was refused: the body is not valid JSON');
  });

  it('records a message too large, or a request whose every message is bad, once: per message, not again as a whole', async () => {
    const before = await allErrorRows();
    const big = await post('track', JSON.stringify({ userId: 'u', event: 'Big', messageId: 'big-1', properties: { blob: 'x'.repeat(33 * 1024) } }), {
      authorization: basicAuth(writeKey),
    });
    expect(big.statusCode).toBe(413);
    expect(errorCode(big)).toBe('INGEST_MESSAGE_TOO_LARGE');
    const bad = await post('batch', JSON.stringify({ batch: [{ type: 'track', messageId: 'bad-1' }, { type: 'alias', userId: 'x', messageId: 'bad-2' }] }), {
      authorization: basicAuth(writeKey),
    });
    expect(bad.statusCode).toBe(400);
    expect(await allErrorRows()).toBe(before + 3);
    const [b2, b1, big1] = await recent();
    expect([big1?.messageId, big1?.code, b1?.messageId, b2?.messageId]).toEqual(['big-1', 'INGEST_MESSAGE_TOO_LARGE', 'bad-1', 'bad-2']);
  });

  it('records nothing for requests without a key, with an unknown or revoked key, or with a secret key', async () => {
    const before = await allErrorRows();
    const revoked = await createKey({ store: t.store, clock: t.clock }, { workspaceId: ws, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name: 'old' });
    await t.app.inject({ method: 'DELETE', url: `/api/workspaces/${ws}/keys/${revoked.key.id}`, headers: owner.headers });
    const strangers: Record<string, string>[] = [
      {},
      { authorization: basicAuth(`ec_wk_${'x'.repeat(43)}`) },
      { authorization: basicAuth(revoked.token) },
      { authorization: basicAuth(secretKey) },
      { authorization: `Bearer ${writeKey}` },
    ];
    for (const headers of strangers) {
      expect((await post('track', '{"broken', headers)).statusCode).toBe(400);
      expect((await post('batch', Buffer.from('not gzip'), { ...headers, 'content-encoding': 'gzip' })).statusCode).toBe(400);
      // A readable body is authenticated before it is validated.
      expect((await post('batch', JSON.stringify({ writeKey: `ec_wk_${'y'.repeat(43)}`, batch: 7 }), headers)).statusCode).toBe(401);
    }
    expect(await allErrorRows()).toBe(before);
  });

  it('caps what one workspace can have recorded, and a good request records nothing', async () => {
    const b = await seedWorkspace(t, 'Bravo', 'owner@bravo.test');
    const key = (await createKey({ store: t.store, clock: t.clock }, { workspaceId: b.workspaceId, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name: 'noisy' })).token;
    const count = async () => (await t.store.db.selectFrom('ingest_errors').select('id').where('workspace_id', '=', b.workspaceId).execute()).length;
    expect((await post('track', JSON.stringify({ userId: 'u', event: 'Fine' }), { authorization: basicAuth(key) })).statusCode).toBe(200);
    expect(await count()).toBe(0);
    const budget = new FailureBudget();
    for (let i = 0; i < budget.perWindow + 15; i++) expect((await post('batch', '[', { authorization: basicAuth(key) })).statusCode).toBe(400);
    expect(await count()).toBe(budget.perWindow);
    expect(await allErrorRows()).toBeGreaterThan(await count());
  });
});
