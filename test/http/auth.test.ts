import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/store/testing.js';
import { createTestApp, errorCode, loginAs, seedWorkspace, TEST_PASSWORD, type TestApp } from '../support/app.js';

describe.each(testDialects())('auth and sessions on %s', (dialect) => {
  let t: TestApp;
  let workspaceId: string;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
    ({ workspaceId } = await seedWorkspace(t, 'Acme', 'ada@example.com'));
  });
  afterAll(() => t.close());

  it('logs in, reads me with the cookie, and logs out', async () => {
    const s = await loginAs(t.app, 'ADA@example.com');
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { email: 'ada@example.com' }, memberships: [{ workspaceId, role: 'owner' }] });
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(after.statusCode).toBe(401);
    expect(errorCode(after)).toBe('AUTH_REQUIRED');
  });

  it('sets an HTTP-only cookie and stores only a hash of the session token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ada@example.com', password: TEST_PASSWORD } });
    const cookie = res.cookies.find((c) => c.name === 'ec_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const rows = await t.store.db.selectFrom('sessions').select('id').execute();
    expect(rows.map((r) => r.id)).not.toContain(cookie?.value);
  });

  it('refuses a cookie-authenticated write without the CSRF header', async () => {
    const s = await loginAs(t.app, 'ada@example.com');
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/workspaces/${workspaceId}`,
      headers: { cookie: s.cookie },
      payload: { name: 'Renamed' },
    });
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('CSRF_TOKEN_INVALID');
    const ok = await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${workspaceId}`, headers: s.headers, payload: { name: 'Renamed' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ workspace: { name: 'Renamed' } });
  });

  it('gives one uniform error for a wrong password and an unknown e-mail, then slows retries', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ada@example.com', password: 'nope-nope-nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@example.com', password: 'nope-nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    // Two more failures reach the free limit; the next try must wait.
    for (let i = 0; i < 2; i++) {
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@example.com', password: 'x' } });
    }
    const slowed = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@example.com', password: 'x' } });
    expect(slowed.statusCode).toBe(429);
    expect(errorCode(slowed)).toBe('RATE_LIMITED');
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
  });
});
