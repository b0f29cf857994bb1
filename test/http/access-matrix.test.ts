/**
 * Walks every route × every role (and secret keys, and strangers) and checks who
 * may do what, and that no route shows one workspace's data to another.
 * The expectations are written out here, independently of the code's own table,
 * so that a changed permission on a route fails this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, SYSTEM_ACTOR, type Role } from '../../src/modules/workspaces/index.js';
import { testDialects } from '../../src/store/testing.js';
import {
  addTestMember,
  createTestApp,
  errorCode,
  loginAs,
  seedWorkspace,
  type Session,
  type TestApp,
} from '../support/app.js';

const ROLES: Role[] = ['viewer', 'agent', 'manager', 'admin', 'owner'];
const RANK = (r: Role) => ROLES.indexOf(r);

/** Minimum role for each workspace route. Add new routes here. */
const EXPECTED: Record<string, Role> = {
  'GET /api/workspaces/:workspaceId': 'viewer',
  'PATCH /api/workspaces/:workspaceId': 'admin',
  'GET /api/workspaces/:workspaceId/overview': 'viewer',
  'GET /api/workspaces/:workspaceId/members': 'viewer',
  'POST /api/workspaces/:workspaceId/members': 'admin',
  'PATCH /api/workspaces/:workspaceId/members/:userId': 'admin',
  'DELETE /api/workspaces/:workspaceId/members/:userId': 'admin',
  'GET /api/workspaces/:workspaceId/keys': 'admin',
  'POST /api/workspaces/:workspaceId/keys': 'admin',
  'DELETE /api/workspaces/:workspaceId/keys/:keyId': 'admin',
  'GET /api/workspaces/:workspaceId/audit': 'admin',
  'GET /api/workspaces/:workspaceId/jobs': 'admin',
  'POST /api/workspaces/:workspaceId/jobs/:jobId/retry': 'admin',
  // ingest routes
  'GET /api/workspaces/:workspaceId/events': 'viewer',
  'GET /api/workspaces/:workspaceId/events/tail': 'viewer',
  'GET /api/workspaces/:workspaceId/events/counts': 'viewer',
  'GET /api/workspaces/:workspaceId/ingest/errors': 'viewer',
  'GET /api/workspaces/:workspaceId/ingest/sources': 'viewer',
  // import routes
  'POST /api/workspaces/:workspaceId/imports': 'manager',
  'GET /api/workspaces/:workspaceId/imports': 'viewer',
  'GET /api/workspaces/:workspaceId/imports/:importId': 'viewer',
  'GET /api/workspaces/:workspaceId/imports/:importId/errors.csv': 'viewer',
  // customer routes
  'GET /api/workspaces/:workspaceId/customers': 'viewer',
  'GET /api/workspaces/:workspaceId/customers/:customerId': 'viewer',
  'GET /api/workspaces/:workspaceId/customers/:customerId/timeline': 'viewer',
  'POST /api/workspaces/:workspaceId/customers/:customerId/merge': 'manager',
  'GET /api/workspaces/:workspaceId/customers/suggestions': 'viewer',
  'GET /api/workspaces/:workspaceId/customers/settings': 'viewer',
  'GET /api/workspaces/:workspaceId/customers/model': 'viewer',
  'POST /api/workspaces/:workspaceId/customers/model/train': 'admin',
  'PUT /api/workspaces/:workspaceId/customers/settings': 'admin',
  'POST /api/workspaces/:workspaceId/customers/suggestions/:suggestionId/merge': 'manager',
  'POST /api/workspaces/:workspaceId/customers/suggestions/:suggestionId/keep-apart': 'manager',
  'POST /api/workspaces/:workspaceId/customers/merges/:mergeId/undo': 'manager',
  'GET /api/workspaces/:workspaceId/surveys': 'viewer',
  'POST /api/workspaces/:workspaceId/surveys': 'manager',
  'GET /api/workspaces/:workspaceId/surveys/:surveyId': 'viewer',
  'PATCH /api/workspaces/:workspaceId/surveys/:surveyId': 'manager',
  'POST /api/workspaces/:workspaceId/surveys/:surveyId/links': 'manager',
  'POST /api/workspaces/:workspaceId/surveys/:surveyId/send': 'manager',
  'GET /api/workspaces/:workspaceId/surveys/:surveyId/deliveries': 'viewer',
  'GET /api/workspaces/:workspaceId/feedback/settings': 'viewer',
  'PUT /api/workspaces/:workspaceId/feedback/settings': 'admin',
  'GET /api/workspaces/:workspaceId/feedback/responses': 'viewer',
  'GET /api/workspaces/:workspaceId/feedback/responses.csv': 'viewer',
  'GET /api/workspaces/:workspaceId/feedback/trends': 'viewer',
  'GET /api/workspaces/:workspaceId/feedback/themes': 'viewer',
  'GET /api/workspaces/:workspaceId/feedback/summary': 'viewer',
  // follow-up routes
  'GET /api/workspaces/:workspaceId/followups/teams': 'viewer',
  'POST /api/workspaces/:workspaceId/followups/teams': 'manager',
  'GET /api/workspaces/:workspaceId/followups/teams/:teamId': 'viewer',
  'PATCH /api/workspaces/:workspaceId/followups/teams/:teamId': 'manager',
  'DELETE /api/workspaces/:workspaceId/followups/teams/:teamId': 'manager',
  'GET /api/workspaces/:workspaceId/followups/policies': 'viewer',
  'POST /api/workspaces/:workspaceId/followups/policies': 'manager',
  'GET /api/workspaces/:workspaceId/followups/policies/:policyId': 'viewer',
  'PATCH /api/workspaces/:workspaceId/followups/policies/:policyId': 'manager',
  'DELETE /api/workspaces/:workspaceId/followups/policies/:policyId': 'manager',
  'GET /api/workspaces/:workspaceId/followups/settings': 'viewer',
  'PUT /api/workspaces/:workspaceId/followups/settings': 'manager',
  'GET /api/workspaces/:workspaceId/followups/rules': 'viewer',
  'POST /api/workspaces/:workspaceId/followups/rules': 'manager',
  'GET /api/workspaces/:workspaceId/followups/rules/:ruleId': 'viewer',
  'PATCH /api/workspaces/:workspaceId/followups/rules/:ruleId': 'manager',
  'DELETE /api/workspaces/:workspaceId/followups/rules/:ruleId': 'manager',
  'POST /api/workspaces/:workspaceId/followups/rules/test': 'viewer',
  'GET /api/workspaces/:workspaceId/followups/templates': 'viewer',
  'POST /api/workspaces/:workspaceId/followups/templates/:name/enable': 'manager',
  'GET /api/workspaces/:workspaceId/followups/reports/sla': 'viewer',
  'GET /api/workspaces/:workspaceId/followups/reports/speed': 'viewer',
  'GET /api/workspaces/:workspaceId/followups/reports/trend': 'viewer',
  'GET /api/workspaces/:workspaceId/tasks': 'viewer',
  'GET /api/workspaces/:workspaceId/tasks/:taskId': 'viewer',
  'POST /api/workspaces/:workspaceId/tasks/:taskId/contacted': 'agent',
  'POST /api/workspaces/:workspaceId/tasks/:taskId/waiting': 'agent',
  'POST /api/workspaces/:workspaceId/tasks/:taskId/resume': 'agent',
  'POST /api/workspaces/:workspaceId/tasks/:taskId/resolved': 'agent',
  'POST /api/workspaces/:workspaceId/tasks/:taskId/assign': 'agent',
  // notification routes (follow-up)
  'GET /api/workspaces/:workspaceId/notification-targets': 'viewer',
  'POST /api/workspaces/:workspaceId/notification-targets': 'manager',
  'GET /api/workspaces/:workspaceId/notification-targets/:targetId': 'viewer',
  'PATCH /api/workspaces/:workspaceId/notification-targets/:targetId': 'manager',
  'DELETE /api/workspaces/:workspaceId/notification-targets/:targetId': 'manager',
  'POST /api/workspaces/:workspaceId/notification-targets/:targetId/test': 'manager',
  'GET /api/workspaces/:workspaceId/notifications': 'viewer',
  'POST /api/workspaces/:workspaceId/notifications/:notificationId/replay': 'manager',
  // insight: health scores and lifetime value
  'GET /api/workspaces/:workspaceId/insight/at-risk': 'viewer',
  'GET /api/workspaces/:workspaceId/insight/customers/:customerId/health': 'viewer',
  'GET /api/workspaces/:workspaceId/insight/accounts/:accountId/health': 'viewer',
  'GET /api/workspaces/:workspaceId/insight/clv': 'viewer',
  'GET /api/workspaces/:workspaceId/insight/model': 'viewer',
  'GET /api/workspaces/:workspaceId/insight/runs': 'viewer',
  'POST /api/workspaces/:workspaceId/insight/refresh': 'admin',
  'POST /api/workspaces/:workspaceId/insight/followups': 'agent',
  // insight metrics
  'GET /api/workspaces/:workspaceId/insight/home': 'viewer',
  'GET /api/workspaces/:workspaceId/insight/satisfaction': 'viewer',
  'GET /api/workspaces/:workspaceId/insight/customers': 'viewer',
  'GET /api/workspaces/:workspaceId/insight/cohorts': 'viewer',
};

/** Routes outside a workspace, and who may call them. */
const GLOBAL: Record<string, 'public' | 'user' | 'principal'> = {
  'POST /api/auth/login': 'public',
  'GET /api/auth/me': 'user',
  'POST /api/auth/logout': 'user',
  'GET /api/workspaces': 'principal',
  'POST /api/workspaces': 'user',
  'GET /api/openapi.json': 'public',
  // ingest public routes
};

describe.each(testDialects())('route × role access on %s', (dialect) => {
  let t: TestApp;
  let a: { workspaceId: string; keyId: string; targetUserId: string };
  let b: { workspaceId: string; keyId: string; ownerEmail: string };
  const sessions = new Map<Role, Session>();
  const secretKeys = new Map<Role, string>();
  let writeKey: string;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    const deps = { store: t.store, clock: t.clock };
    const wa = await seedWorkspace(t, 'Alpha', 'owner@alpha.test');
    const wb = await seedWorkspace(t, 'Bravo', 'owner@bravo.test');
    sessions.set('owner', await loginAs(t.app, wa.ownerEmail));
    for (const role of ROLES.filter((r) => r !== 'owner')) {
      await addTestMember(t, wa.workspaceId, `${role}@alpha.test`, role);
      sessions.set(role, await loginAs(t.app, `${role}@alpha.test`));
    }
    const targetUserId = await addTestMember(t, wa.workspaceId, 'target@alpha.test', 'viewer');
    const ctxA = { workspaceId: wa.workspaceId, callerRole: 'owner' as Role, actor: SYSTEM_ACTOR };
    for (const role of ROLES) {
      secretKeys.set(role, (await createKey(deps, ctxA, { kind: 'secret', name: `${role} key`, role })).token);
    }
    const aKey = await createKey(deps, ctxA, { kind: 'secret', name: 'victim', role: 'viewer' });
    writeKey = (await createKey(deps, ctxA, { kind: 'write', name: 'website' })).token;
    const bKey = await createKey(deps, { workspaceId: wb.workspaceId, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'secret', name: 'bravo secret' });
    a = { workspaceId: wa.workspaceId, keyId: aKey.key.id, targetUserId };
    b = { workspaceId: wb.workspaceId, keyId: bKey.key.id, ownerEmail: wb.ownerEmail };
  });
  afterAll(() => t.close());

  const workspaceRoutes = () => t.app.routeCatalogue.filter((r) => r.url.includes(':workspaceId'));
  const fill = (url: string, ws: string) =>
    url.replace(':workspaceId', ws).replace(':userId', a.targetUserId).replace(':keyId', a.keyId).replace(':jobId', 'job_missing')
      .replace(':customerId', 'prf_missing')
      .replace(':suggestionId', 'sug_missing')
      .replace(':mergeId', 'mrg_missing')
      // A CSV answer is not JSON: ask for one that is refused (400, JSON) once past the auth check.
      .replace('/feedback/responses.csv', '/feedback/responses.csv?from=not-a-date');
  const send = (method: string, url: string, headers: Record<string, string>) =>
    t.app.inject({ method: method as 'GET', url, headers, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });

  it('every API route declares who may call it, and the matrix above names them all', () => {
    const api = t.app.routeCatalogue.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));
    for (const r of api) expect(r.auth, `${r.method} ${r.url}`).toBeDefined();
    const names = api.map((r) => `${r.method} ${r.url}`).sort();
    expect(names).toEqual([...Object.keys(EXPECTED), ...Object.keys(GLOBAL)].sort());
  });

  it('lets each role in exactly where its rank reaches, by cookie and by secret key', async () => {
    for (const route of workspaceRoutes()) {
      const min = EXPECTED[`${route.method} ${route.url}`] as Role;
      for (const role of ROLES) {
        const session = sessions.get(role) as Session;
        const viaKey = { authorization: `Bearer ${secretKeys.get(role)}` };
        for (const headers of [session.headers, viaKey]) {
          const res = await send(route.method, fill(route.url, a.workspaceId), headers);
          const where = `${role} ${route.method} ${route.url} -> ${res.statusCode} ${res.body}`;
          if (RANK(role) >= RANK(min)) {
            expect([401, 403], where).not.toContain(res.statusCode);
            expect(errorCode(res), where).not.toBe('WORKSPACE_NOT_FOUND');
          } else {
            expect(res.statusCode, where).toBe(403);
            expect(errorCode(res), where).toBe('FORBIDDEN');
          }
        }
      }
    }
  });

  it('answers 401 to strangers and to write keys on every workspace route', async () => {
    for (const route of workspaceRoutes()) {
      const anon = await send(route.method, fill(route.url, a.workspaceId), {});
      expect(anon.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(errorCode(anon)).toBe('AUTH_REQUIRED');
      const wk = await send(route.method, fill(route.url, a.workspaceId), { authorization: `Bearer ${writeKey}` });
      expect(wk.statusCode).toBe(401);
      expect(errorCode(wk)).toBe('AUTH_INVALID_KEY');
    }
  });

  it('hides another workspace entirely: 404 for its routes, by cookie and by key', async () => {
    for (const route of workspaceRoutes()) {
      for (const headers of [sessions.get('owner')!.headers, { authorization: `Bearer ${secretKeys.get('owner')}` }]) {
        const res = await send(route.method, fill(route.url, b.workspaceId), headers);
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(404);
        expect(errorCode(res)).toBe('WORKSPACE_NOT_FOUND');
      }
    }
    const bravoKey = await t.app.inject({
      url: `/api/workspaces/${b.workspaceId}/keys/${a.keyId}`,
      method: 'DELETE',
      headers: sessions.get('owner')!.headers,
    });
    expect(bravoKey.statusCode).toBe(404);
  });

  it('never shows one workspace’s people, keys or audit to another', async () => {
    const owner = sessions.get('owner')!;
    for (const path of ['', '/overview', '/members', '/keys', '/audit']) {
      const res = await t.app.inject({ url: `/api/workspaces/${a.workspaceId}${path}`, headers: owner.headers });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(b.workspaceId);
      expect(res.body).not.toContain(b.keyId);
      expect(res.body).not.toContain(b.ownerEmail);
    }
    const list = await t.app.inject({ url: '/api/workspaces', headers: { authorization: `Bearer ${secretKeys.get('viewer')}` } });
    expect(list.json()).toEqual({ workspaces: [expect.objectContaining({ id: a.workspaceId })] });
  });

  it('keeps person-only routes from API keys', async () => {
    const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${secretKeys.get('owner')}` } });
    expect(me.statusCode).toBe(403);
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/workspaces',
      headers: { authorization: `Bearer ${secretKeys.get('owner')}` },
      payload: { name: 'Sneaky' },
    });
    expect(create.statusCode).toBe(403);
  });
});
