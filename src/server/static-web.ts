import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors.js';

/** The package root: the nearest folder above this file holding package.json (works from src/ and dist/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const webRoot = (): string => join(packageRoot(), 'dist', 'web');

/**
 * Serve the built dashboard at `/`; unknown non-API paths get index.html so the
 * client-side router can take them. API paths that match nothing get a coded 404.
 */
export async function registerStaticWeb(app: FastifyInstance): Promise<void> {
  const root = webRoot();
  const indexPath = join(root, 'index.html');
  const built = existsSync(indexPath);
  if (built) {
    await app.register(fastifyStatic, { root, wildcard: false, index: false, maxAge: '1h' });
  }
  const indexHtml = built ? readFileSync(indexPath, 'utf8') : undefined;
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isApi = path.startsWith('/api') || path.startsWith('/v1');
    if (isApi || request.method !== 'GET') {
      throw new AppError('ROUTE_NOT_FOUND', `no route ${request.method} ${path}`);
    }
    if (!indexHtml) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The dashboard is not built. Run `npm run build` (or `npm start`), then reload.');
    }
    return reply.type('text/html').header('cache-control', 'no-cache').send(indexHtml);
  });
}
