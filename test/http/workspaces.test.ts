import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/platform/crypto.js';
import { testDialects } from '../../src/store/testing.js';
import { createTestApp, errorCode, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';

describe.each(testDialects())('workspaces, members, keys and audit on %s', (dialect) => {
  let t: TestApp;
  let ws: string;
  let owner: Session;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
    ws = (await seedWorkspace(t, 'Acme', 'owner@acme.test')).workspaceId;
    owner = await loginAs(t.app, 'owner@acme.test');
  });
  afterAll(() => t.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, session: Session, payload?: object) =>
    t.app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });

  it('creates a workspace owned by its creator and lists it', async () => {
    const created = await api('POST', '/api/workspaces', owner, { name: 'Second' });
    expect(created.statusCode).toBe(201);
    const list = await api('GET', '/api/workspaces', owner);
    expect(list.json().workspaces.map((w: { name: string; role: string }) => [w.name, w.role])).toEqual([
      ['Acme', 'owner'],
      ['Second', 'owner'],
    ]);
  });

  it('adds members, lets them log in, and guards the owner role', async () => {
    const add = await api('POST', `/api/workspaces/${ws}/members`, owner, {
      email: 'Admin@Acme.test',
      name: 'Ada Admin',
      password: 'a long enough password',
      role: 'admin',
    });
    expect(add.statusCode).toBe(201);
    expect(add.json().member).toMatchObject({ email: 'admin@acme.test', role: 'admin' });
    const admin = await loginAs(t.app, 'admin@acme.test', 'a long enough password');

    const again = await api('POST', `/api/workspaces/${ws}/members`, admin, { email: 'admin@acme.test', name: 'x', role: 'viewer' });
    expect(errorCode(again)).toBe('MEMBER_EXISTS');
    const grantOwner = await api('POST', `/api/workspaces/${ws}/members`, admin, {
      email: 'boss@acme.test', name: 'Boss', password: 'another long password', role: 'owner',
    });
    expect(grantOwner.statusCode).toBe(403);
    const noPassword = await api('POST', `/api/workspaces/${ws}/members`, admin, { email: 'new@acme.test', name: 'New', role: 'agent' });
    expect(errorCode(noPassword)).toBe('VALIDATION_FAILED');

    const ownerId = (await api('GET', '/api/auth/me', owner)).json().user.id as string;
    const demoteOwner = await api('PATCH', `/api/workspaces/${ws}/members/${ownerId}`, admin, { role: 'viewer' });
    expect(demoteOwner.statusCode).toBe(403);
    const lastOwner = await api('PATCH', `/api/workspaces/${ws}/members/${ownerId}`, owner, { role: 'admin' });
    expect(lastOwner.statusCode).toBe(409);
    expect(errorCode(lastOwner)).toBe('LAST_OWNER');
    const removeLast = await api('DELETE', `/api/workspaces/${ws}/members/${ownerId}`, owner);
    expect(errorCode(removeLast)).toBe('LAST_OWNER');
  });

  it('shows a key’s token once, stores only its hash, and revokes it for good', async () => {
    const created = await api('POST', `/api/workspaces/${ws}/keys`, owner, { kind: 'secret', name: 'billing sync', role: 'viewer' });
    expect(created.statusCode).toBe(201);
    const { key, token } = created.json() as { key: { id: string; prefix: string }; token: string };
    expect(token).toMatch(/^ec_sk_/);
    expect(token.startsWith(key.prefix)).toBe(true);

    const listed = await api('GET', `/api/workspaces/${ws}/keys`, owner);
    expect(listed.body).not.toContain(token);
    const row = await t.store.db.selectFrom('api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);

    const use = await t.app.inject({ url: `/api/workspaces/${ws}`, headers: { authorization: `Bearer ${token}` } });
    expect(use.statusCode).toBe(200);
    const revoked = await api('DELETE', `/api/workspaces/${ws}/keys/${key.id}`, owner);
    expect(revoked.json().key.revokedAt).not.toBeNull();
    const after = await t.app.inject({ url: `/api/workspaces/${ws}`, headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
    expect(errorCode(after)).toBe('AUTH_INVALID_KEY');
    expect(errorCode(await api('DELETE', `/api/workspaces/${ws}/keys/${key.id}`, owner))).toBe('KEY_ALREADY_REVOKED');
  });

  it('keeps a secret key below its creator’s role', async () => {
    await api('POST', `/api/workspaces/${ws}/members`, owner, {
      email: 'mgr@acme.test', name: 'Max', password: 'manager password!', role: 'admin',
    });
    const admin = await loginAs(t.app, 'mgr@acme.test', 'manager password!');
    const tooHigh = await api('POST', `/api/workspaces/${ws}/keys`, admin, { kind: 'secret', name: 'x', role: 'owner' });
    expect(tooHigh.statusCode).toBe(403);
  });

  it('records administrative actions in the audit log, newest first, with paging', async () => {
    const first = await api('GET', `/api/workspaces/${ws}/audit?limit=2`, owner);
    expect(first.statusCode).toBe(200);
    const page1 = first.json() as { entries: { action: string; actor: { label: string } }[]; nextCursor: string | null };
    expect(page1.entries).toHaveLength(2);
    expect(page1.nextCursor).not.toBeNull();
    const all = await api('GET', `/api/workspaces/${ws}/audit?limit=500`, owner);
    const actions = (all.json().entries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['workspace.create', 'member.add', 'key.create', 'key.revoke']));
    expect(actions.at(-1)).toBe('workspace.create');
    const page2 = await api('GET', `/api/workspaces/${ws}/audit?limit=2&before=${page1.nextCursor}`, owner);
    expect(page2.json().entries[0]).toEqual(all.json().entries[2]);
  });
});
