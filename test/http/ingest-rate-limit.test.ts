/** Per-write-key rate limiting of the tracking API: a 429 RATE_LIMITED with Retry-After, per key. */
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/platform/clock.js';
import { AppError } from '../../src/platform/errors.js';
import { ingestModule } from '../../src/modules/ingest/index.js';
import { createKey, createWorkspace, registerAuth, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { createUser } from '../../src/modules/workspaces/index.js';
import { registerErrorMapper } from '../../src/server/error-mapper.js';
import { createTestStore, type TestStore } from '../../src/store/testing.js';

describe('tracking API rate limit', () => {
  let store: TestStore;
  let app: FastifyInstance;
  const keys: string[] = [];

  beforeAll(async () => {
    store = await createTestStore('sqlite');
    const deps = { store, clock: systemClock };
    const owner = await createUser(deps, { email: 'o@rl.test', name: 'O', password: 'correct horse battery staple' });
    const ws = await createWorkspace(deps, { name: 'RL', ownerId: owner.id, actor: SYSTEM_ACTOR });
    for (const name of ['a', 'b']) keys.push((await createKey(deps, { workspaceId: ws.id, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name })).token);
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorMapper(app);
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_r, ctx) => new AppError('RATE_LIMITED', 'slow down', { retryAfterSeconds: Math.ceil(ctx.ttl / 1000) }),
    });
    registerAuth(app, deps);
    await app.register(ingestModule(deps, { rateLimit: { max: 3, windowMs: 60_000 } }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.destroy();
  });

  const send = (key: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
      payload: { userId: 'u', event: 'E' },
    });

  it('answers 429 RATE_LIMITED past the limit of one key, while another key still sends', async () => {
    for (let i = 0; i < 3; i++) expect((await send(keys[0] as string)).statusCode).toBe(200);
    const limited = await send(keys[0] as string);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await send(keys[1] as string)).statusCode).toBe(200);
  });
});
