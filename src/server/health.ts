import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';

/** Liveness (the process answers) and readiness (the database answers, not shutting down). */
export function registerHealth(app: FastifyInstance, store: Store, isShuttingDown: () => boolean): void {
  app.get('/healthz', { schema: { hide: true }, config: { auth: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, config: { auth: 'public' } }, async (request, reply) => {
    if (isShuttingDown()) return reply.code(503).send({ error: { code: 'NOT_READY', message: 'shutting down' } });
    try {
      await store.ping();
      return { status: 'ready', database: store.dialect.name };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ error: { code: 'NOT_READY', message: 'database unreachable' } });
    }
  });
}
