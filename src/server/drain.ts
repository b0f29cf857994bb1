import { Server } from 'node:net';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** Stop accepting connections, then wait (up to timeoutMs) for requests in flight to be answered. */
    drain(timeoutMs: number): Promise<void>;
  }
}

/**
 * Graceful shutdown that really finishes in-flight requests. Node's http
 * `server.close()` also reaps "idle" connections, and on Node 20 a connection
 * whose request body has arrived but whose response is still being computed
 * counts as idle and is destroyed. So we first stop listening at the TCP level
 * (net.Server#close, which reaps nothing), wait for our own count of open
 * responses to reach zero, and only then let Fastify close the rest.
 */
export function registerDrain(app: FastifyInstance): void {
  let inflight = 0;
  let onIdle: (() => void) | undefined;
  app.addHook('onRequest', async (_request, reply) => {
    inflight++;
    let counted = true;
    const done = () => {
      if (!counted) return;
      counted = false;
      inflight--;
      if (inflight === 0) onIdle?.();
    };
    // 'finish' when the response is sent; 'close' when the client went away first.
    reply.raw.once('finish', done);
    reply.raw.once('close', done);
  });
  app.decorate('drain', async (timeoutMs: number) => {
    // Stop listening now; its callback would wait for every keep-alive connection, so don't await it.
    if (app.server.listening) Server.prototype.close.call(app.server);
    if (inflight === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  });
}
