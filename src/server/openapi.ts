import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI 3.1 generated from the routes' zod schemas, with a browsable reference. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Empty Chair API',
        version,
        description:
          'REST API of Empty Chair. Authenticate with a session cookie (dashboard; writes need the x-csrf-token header) or with `Authorization: Bearer ec_sk_…` (a secret key). Errors are `{error: {code, message, details}}` with stable codes.',
      },
      components: {
        securitySchemes: {
          secretKey: { type: 'http', scheme: 'bearer', description: 'a secret API key, ec_sk_…' },
          session: { type: 'apiKey', in: 'cookie', name: 'ec_session' },
        },
      },
      security: [{ secretKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get(
    '/api/openapi.json',
    { schema: { hide: true }, config: { auth: 'public' } },
    async () => app.swagger(),
  );
}
