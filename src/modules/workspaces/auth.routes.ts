import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { login, logout, sessionView, SESSION_TTL_MS } from './auth.service.js';
import { principalOf, SESSION_COOKIE } from './auth.plugin.js';
import type { WorkspaceDeps } from './deps.js';
import { ZLoginBody, ZSession } from './workspace.schema.js';

export const authRoutes =
  (deps: WorkspaceDeps, options: { secureCookies: boolean }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Log in with e-mail and password; sets an HTTP-only session cookie',
          body: ZLoginBody,
          response: { 200: ZSession },
        },
        config: { auth: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
      },
      async (request, reply) => {
        const { token, session } = await login(deps, request.body.email, request.body.password);
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'lax',
          secure: options.secureCookies,
          path: '/',
          maxAge: Math.floor(SESSION_TTL_MS / 1000),
        });
        return session;
      },
    );

    app.get(
      '/api/auth/me',
      {
        schema: { tags: ['auth'], summary: 'The logged-in user, their workspaces and CSRF token', response: { 200: ZSession } },
        config: { auth: 'user' },
      },
      async (request) => sessionView(deps, principalOf(request)),
    );

    app.post(
      '/api/auth/logout',
      {
        schema: { tags: ['auth'], summary: 'End the session', response: { 204: z.null() } },
        config: { auth: 'user' },
      },
      async (request, reply) => {
        await logout(deps, principalOf(request));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );
  };
