import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from './access.js';
import { resolveSession } from './auth.service.js';
import type { WorkspaceDeps } from './deps.js';
import { resolveKey } from './key.service.js';
import type { Principal } from './principal.js';
import type { Permission, Role } from './roles.js';

/**
 * Every route says who may call it, in `config.auth`:
 * - 'public': anyone (login, health, docs, ingestion with its own key check);
 * - 'user': a logged-in person (cookie session);
 * - 'principal': a person or a secret key;
 * - { permission }: a person or secret key whose role in `:workspaceId` holds the permission.
 * A route that says nothing is refused: access fails closed.
 */
export type RouteAuth = 'public' | 'user' | 'principal' | { permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The caller's role in the route's workspace, for routes with a permission. */
    workspaceRole: Role | null;
  }
}

export const SESSION_COOKIE = 'ec_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function authenticate(deps: WorkspaceDeps, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const resolved = match?.[1] ? await resolveKey(deps, match[1]) : undefined;
    if (!resolved) throw new AppError('AUTH_INVALID_KEY', 'the API key is unknown, revoked or malformed');
    if (resolved.kind !== 'secret') {
      throw new AppError('AUTH_INVALID_KEY', 'a write key can only send events; use a secret key for the REST API');
    }
    return { type: 'key', keyId: resolved.keyId, workspaceId: resolved.workspaceId, role: resolved.role, name: resolved.name };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const principal = await resolveSession(deps, token);
  if (!principal) return null;
  // Cookies ride along on cross-site requests; a write must also prove it read the session.
  if (!SAFE_METHODS.has(request.method)) {
    const presented = request.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || principal.type !== 'user' || !safeEqual(presented, principal.csrfToken)) {
      throw new AppError('CSRF_TOKEN_INVALID', `cookie-authenticated writes need the ${CSRF_HEADER} header from login`);
    }
  }
  return principal;
}

export function registerAuth(app: FastifyInstance, deps: WorkspaceDeps): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('workspaceRole', null);
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    // Unmatched URLs (404s, static files) have no route config; they carry no data.
    if (!request.routeOptions.url) return;
    const auth = request.routeOptions.config.auth;
    if (auth === 'public') return;
    if (auth === undefined) {
      request.log.error({ url: request.routeOptions.url }, 'route declares no auth; refusing');
      throw new AppError('FORBIDDEN', 'this route is not open to anyone');
    }
    const principal = await authenticate(deps, request);
    if (!principal) throw new AppError('AUTH_REQUIRED', 'log in or send a secret API key');
    request.principal = principal;
    if (auth === 'user' && principal.type !== 'user') {
      throw new AppError('FORBIDDEN', 'this endpoint is for logged-in people, not API keys');
    }
    if (typeof auth === 'object') {
      const params = request.params as Record<string, string | undefined>;
      const workspaceId = params.workspaceId;
      if (!workspaceId) throw new AppError('WORKSPACE_NOT_FOUND', 'workspace not found');
      request.workspaceRole = await authorize(deps, principal, workspaceId, auth.permission);
    }
  });
}

/** The authenticated caller; routes behind auth always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('AUTH_REQUIRED', 'log in or send a secret API key');
  return request.principal;
}

export function roleOf(request: FastifyRequest): Role {
  if (!request.workspaceRole) throw new AppError('FORBIDDEN', 'no role in this workspace');
  return request.workspaceRole;
}
