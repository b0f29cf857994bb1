/**
 * Test support for HTTP tests: a real app on a fresh, migrated database of the
 * given dialect, with helpers to create people and log them in.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { systemClock, type Clock } from '../../src/platform/clock.js';
import type { Config } from '../../src/platform/config.js';
import { addMember, createKey, createUser, createWorkspace, SYSTEM_ACTOR, type Role } from '../../src/modules/workspaces/index.js';
import { buildApp } from '../../src/server/app.js';
import type { DialectName } from '../../src/store/index.js';
import { createTestStore, type TestStore } from '../../src/store/testing.js';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestApp {
  app: FastifyInstance;
  store: TestStore;
  clock: Clock;
  close(): Promise<void>;
}

/** `mail`: an SMTP server and sender for the app, for tests of what it e-mails. */
export async function createTestApp(opts: { dialect?: DialectName; clock?: Clock; mail?: Pick<Config, 'smtpUrl' | 'mailFrom'> } = {}): Promise<TestApp> {
  const store = await createTestStore(opts.dialect ?? 'sqlite');
  const clock = opts.clock ?? systemClock;
  const app = await buildApp({ store, clock, config: { bodyLimitBytes: 1_048_576, publicUrl: undefined, ...opts.mail } });
  await app.ready();
  return {
    app,
    store,
    clock,
    close: async () => {
      await app.close();
      await store.destroy();
    },
  };
}

/** A workspace with an owner; returns ids. */
export async function seedWorkspace(t: TestApp, name: string, ownerEmail: string) {
  const deps = { store: t.store, clock: t.clock };
  const owner = await createUser(deps, { email: ownerEmail, name: `Owner of ${name}`, password: TEST_PASSWORD });
  const workspace = await createWorkspace(deps, { name, ownerId: owner.id, actor: SYSTEM_ACTOR });
  return { workspaceId: workspace.id, ownerId: owner.id, ownerEmail };
}

/** Workspace Alpha (owner@alpha.test) with its owner logged in: where most single-workspace HTTP tests start. */
export async function seedAlpha(t: TestApp): Promise<{ ws: string; ownerId: string; owner: Session }> {
  const a = await seedWorkspace(t, 'Alpha', 'owner@alpha.test');
  return { ws: a.workspaceId, ownerId: a.ownerId, owner: await loginAs(t.app, a.ownerEmail) };
}

export async function addTestMember(t: TestApp, workspaceId: string, email: string, role: Role) {
  const member = await addMember(
    { store: t.store, clock: t.clock },
    { workspaceId, callerRole: 'owner', actor: SYSTEM_ACTOR },
    { email, name: email.split('@')[0] ?? email, password: TEST_PASSWORD, role },
  );
  return member.userId;
}

/** A new member of the workspace, logged in: for tests that act in that role (a viewer reading reports, …). */
export async function loginNewMember(t: TestApp, workspaceId: string, email: string, role: Role): Promise<Session> {
  await addTestMember(t, workspaceId, email, role);
  return loginAs(t.app, email);
}

/** A write key for the tracking API (`/v1/…`), as an owner would create it; returns its token. */
export async function createWriteKey(t: Pick<TestApp, 'store' | 'clock'>, workspaceId: string, name = 'site'): Promise<string> {
  return (await createKey({ store: t.store, clock: t.clock }, { workspaceId, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name })).token;
}

/** The Authorization header Segment's SDKs send: HTTP Basic with the write key as the user name. */
export const basicAuth = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

/** One call to the tracking API (`/v1/track`, `/v1/identify`, …) as a Segment SDK sends it: a JSON body, the write key as Basic auth. Expects 200. */
export async function sendTracking(app: FastifyInstance, writeKey: string, type: string, body: Record<string, unknown>): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: `/v1/${type}`,
    headers: { authorization: basicAuth(writeKey), 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  expect(res.statusCode, res.body).toBe(200);
}

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

export async function loginAs(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed for ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'ec_session');
  if (!cookie) throw new Error('no session cookie');
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie: `ec_session=${cookie.value}`, csrf, headers: { cookie: `ec_session=${cookie.value}`, 'x-csrf-token': csrf } };
}

export const errorCode = (res: LightMyRequestResponse): string | undefined =>
  res.body ? (res.json() as { error?: { code?: string } }).error?.code : undefined;

/** A listening server, for browser and child-process tests. */
export async function startTestApp(opts: { dialect?: DialectName } = {}) {
  const t = await createTestApp(opts);
  const email = 'owner@example.com';
  const first = await seedWorkspace(t, 'Northwind Coffee', email);
  const deps = { store: t.store, clock: t.clock };
  const second = await createWorkspace(deps, { name: 'Second Workspace', ownerId: first.ownerId, actor: SYSTEM_ACTOR });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    login: { email, password: TEST_PASSWORD },
    workspaces: [
      { id: first.workspaceId, name: 'Northwind Coffee' },
      { id: second.id, name: second.name },
    ],
    store: t.store,
    close: t.close,
  };
}
