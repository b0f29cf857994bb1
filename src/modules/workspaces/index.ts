/** The workspaces module: workspaces, users, roles, sessions, API keys, audit log. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditRoutes } from './audit.routes.js';
import { authRoutes } from './auth.routes.js';
import type { WorkspaceDeps } from './deps.js';
import { keyRoutes } from './key.routes.js';
import { memberRoutes } from './member.routes.js';
import { workspaceRoutes } from './workspace.routes.js';

export { registerAuth, principalOf, roleOf, SESSION_COOKIE, CSRF_HEADER, type RouteAuth } from './auth.plugin.js';
export { authorize, roleIn } from './access.js';
export { createUser, login, purgeExpiredSessions } from './auth.service.js';
export { createWorkspace } from './workspace.service.js';
export { addMember } from './member.service.js';
export { createKey, resolveKey, type ResolvedKey } from './key.service.js';
export { appendAudit } from './audit.store.js';
export { actorOf, SYSTEM_ACTOR, type Actor, type Principal } from './principal.js';
export { ROLES, PERMISSIONS, can, isRole, type Role, type Permission } from './roles.js';
export { ZEmail, ZPassword, ZRole } from './workspace.schema.js';
export { ZWorkspaceParams } from './workspace.routes.js';
export type { WorkspaceDeps } from './deps.js';

export const workspacesModule =
  (deps: WorkspaceDeps, options: { secureCookies: boolean }): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(authRoutes(deps, options));
    await app.register(workspaceRoutes(deps));
    await app.register(memberRoutes(deps));
    await app.register(keyRoutes(deps));
    await app.register(auditRoutes(deps));
  };
