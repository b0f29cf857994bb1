import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { buildApp } from '../../src/server/app.js';
import { createTestStore, type TestStore } from '../../src/store/testing.js';
import { createTestApp, errorCode, loginAs, seedWorkspace, TEST_PASSWORD, type TestApp } from '../support/app.js';

describe('bad input at the HTTP edge', () => {
  let t: TestApp;
  let ws: string;
  beforeAll(async () => {
    t = await createTestApp();
    ws = (await seedWorkspace(t, 'Acme', 'owner@acme.test')).workspaceId;
  });
  afterAll(() => t.close());

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    for (const payload of ['{"email":', '{{', 'null x', '']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload });
      expect(res.statusCode, payload).toBe(400);
      expect(['MALFORMED_JSON', 'VALIDATION_FAILED']).toContain(errorCode(res));
      expect(res.body).not.toMatch(/at .*\.(js|ts):\d+/);
    }
  });

  it('rejects unknown and mistyped fields with the path of the problem', async () => {
    const s = await loginAs(t.app, 'owner@acme.test');
    const unknown = await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}`, headers: s.headers, payload: { name: 'A', nmae: 'B' } });
    expect(unknown.statusCode).toBe(400);
    expect(errorCode(unknown)).toBe('VALIDATION_FAILED');
    const mistyped = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/keys`, headers: s.headers, payload: { kind: 'public', name: 7 } });
    expect(mistyped.statusCode).toBe(400);
    expect(mistyped.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['body.kind', 'body.name']),
    );
  });

  it('refuses oversize bodies with 413 and unsupported media with 415', async () => {
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2_000_000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(errorCode(big)).toBe('PAYLOAD_TOO_LARGE');
    const xml = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
    expect(errorCode(xml)).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers unknown API paths with a coded 404 and serves health checks', async () => {
    const missing = await t.app.inject({ url: '/api/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(errorCode(missing)).toBe('ROUTE_NOT_FOUND');
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
  });

  it('publishes an OpenAPI 3.1 document of every API route, and a browsable reference', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as { openapi: string; paths: Record<string, object> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/workspaces/{workspaceId}/keys', '/api/workspaces/{workspaceId}/audit']),
    );
    const ui = await t.app.inject({ url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });
});

describe('request logs', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('sqlite');
  });
  afterAll(() => store.destroy());

  it('never contain passwords, session cookies or API keys', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp({ store, config: { bodyLimitBytes: 1_048_576, publicUrl: undefined }, logger: createLogger({ level: 'trace', destination: sink }) });
    const t = { app, store, clock: { now: () => Date.now() }, close: () => app.close() } as unknown as TestApp;
    const ws = (await seedWorkspace(t, 'Logs', 'log@acme.test')).workspaceId;
    const s = await loginAs(app, 'log@acme.test');
    const key = await app.inject({ method: 'POST', url: `/api/workspaces/${ws}/keys`, headers: s.headers, payload: { kind: 'secret', name: 'k' } });
    const token = key.json().token as string;
    await app.inject({ url: `/api/workspaces/${ws}`, headers: { authorization: `Bearer ${token}` } });
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'log@acme.test', password: 'wrong password here' } });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('incoming request');
    for (const secret of [TEST_PASSWORD, 'wrong password here', token, s.cookie.split('=')[1] as string, s.csrf]) {
      expect(log).not.toContain(secret);
    }
  });
});
