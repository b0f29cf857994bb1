import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, roleOf } from './auth.plugin.js';
import type { WorkspaceDeps } from './deps.js';
import { createKey, keysOf, revokeKey } from './key.service.js';
import { actorOf } from './principal.js';
import { ZApiKey, ZApiKeyCreate, ZApiKeyCreated } from './workspace.schema.js';
import { ZWorkspaceParams } from './workspace.routes.js';

const ZKeyParams = ZWorkspaceParams.extend({ keyId: z.string().min(1).max(64) });

export const keyRoutes =
  (deps: WorkspaceDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/workspaces/:workspaceId/keys',
      {
        schema: { tags: ['keys'], summary: 'API keys (never the tokens themselves)', params: ZWorkspaceParams, response: { 200: z.object({ keys: z.array(ZApiKey) }) } },
        config: { auth: { permission: 'keys.read' } },
      },
      async (request) => ({ keys: await keysOf(deps, request.params.workspaceId) }),
    );

    app.post(
      '/api/workspaces/:workspaceId/keys',
      {
        schema: { tags: ['keys'], summary: 'Create a write or secret key; the token is shown once', params: ZWorkspaceParams, body: ZApiKeyCreate, response: { 201: ZApiKeyCreated } },
        config: { auth: { permission: 'keys.manage' } },
      },
      async (request, reply) => {
        const created = await createKey(
          deps,
          { workspaceId: request.params.workspaceId, callerRole: roleOf(request), actor: actorOf(principalOf(request)) },
          request.body,
        );
        return reply.code(201).send(created);
      },
    );

    app.delete(
      '/api/workspaces/:workspaceId/keys/:keyId',
      {
        schema: { tags: ['keys'], summary: 'Revoke a key', params: ZKeyParams, response: { 200: z.object({ key: ZApiKey }) } },
        config: { auth: { permission: 'keys.manage' } },
      },
      async (request) => ({
        key: await revokeKey(deps, { workspaceId: request.params.workspaceId, actor: actorOf(principalOf(request)) }, request.params.keyId),
      }),
    );
  };
