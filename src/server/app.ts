import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../platform/config.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { createMatcher, customersModule } from '../modules/customers/index.js';
import { feedbackModule, type PublicLimits } from '../modules/feedback/index.js';
import { followupModule, notificationOptions } from '../modules/followup/index.js';
import { importsModule } from '../modules/imports/index.js';
import { insightModule } from '../modules/insight/index.js';
import { ingestModule } from '../modules/ingest/index.js';
import { registerAuth, workspacesModule, type RouteAuth } from '../modules/workspaces/index.js';
import type { Store } from '../store/index.js';
import { registerDrain } from './drain.js';
import { registerErrorMapper } from './error-mapper.js';
import { registerHealth } from './health.js';
import { registerOpenApi } from './openapi.js';
import { jobRoutes } from './jobs.routes.js';
import { registerStaticWeb } from './static-web.js';
import { JobQueue } from '../store/jobs/index.js';
import { VERSION } from './version.js';

export interface AppOptions {
  store: Store;
  config: Pick<Config, 'bodyLimitBytes' | 'publicUrl'> & Partial<Pick<Config, 'trustProxy' | 'smtpUrl' | 'mailFrom' | 'notifyAllowPrivate' | 'notifyAllowHttp' | 'notifyConcurrency'>>;
  logger?: Logger;
  clock?: Clock;
  /** Limits on the public survey API (tests and benchmarks raise them). */
  publicLimits?: Partial<PublicLimits>;
}

/** Every route with what it requires; the route × role test walks this list. */
export interface RouteEntry {
  method: string;
  url: string;
  auth: RouteAuth | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalogue: RouteEntry[];
  }
}

/** Paths whose routes must say who may call them; everything else (static files, docs) is public. */
const isGuardedPath = (url: string) => (url.startsWith('/api/') || url.startsWith('/v1/')) && !url.startsWith('/api/docs');

/** Assemble the HTTP application: plugins, modules, docs, health and the dashboard. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock;
  let shuttingDown = false;
  const app = Fastify({
    // pino's Logger is wider than Fastify's logger interface; Fastify only uses the common part.
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: options.config.bodyLimitBytes,
    trustProxy: options.config.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorMapper(app);
  registerDrain(app);
  const routes: RouteEntry[] = [];
  app.decorate('routeCatalogue', routes);
  app.addHook('onRoute', (route) => {
    if (!isGuardedPath(route.url) && route.config?.auth === undefined) {
      route.config = { ...route.config, auth: 'public' };
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, auth: route.config?.auth });
    }
  });
  app.addHook('onClose', async () => {
    shuttingDown = true;
  });

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
  await registerOpenApi(app, VERSION);

  const deps = { store: options.store, clock };
  registerAuth(app, deps);
  registerHealth(app, options.store, () => shuttingDown);
  await app.register(workspacesModule(deps, { secureCookies: options.config.publicUrl?.startsWith('https:') ?? false }));
  await app.register(jobRoutes(new JobQueue(options.store, { clock })));
  await app.register(ingestModule(deps));
  await app.register(importsModule(deps));
  await app.register(customersModule({ ...deps, matcher: createMatcher() }));
  await app.register(feedbackModule({ ...deps, publicUrl: options.config.publicUrl, smtpUrl: options.config.smtpUrl, mailFrom: options.config.mailFrom }, { publicLimits: options.publicLimits ?? {} }));
  await app.register(
    followupModule({
      ...deps,
      publicUrl: options.config.publicUrl,
      smtpUrl: options.config.smtpUrl,
      mailFrom: options.config.mailFrom,
      notifications: notificationOptions(options.config),
      logger: options.logger,
    }),
  );
  await app.register(insightModule({ ...deps, logger: options.logger }));
  await registerStaticWeb(app);
  return app;
}
