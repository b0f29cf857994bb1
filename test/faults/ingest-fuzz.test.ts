/**
 * Thousands of generated bad (and some good) requests to /v1/*: malformed, truncated, deeply
 * nested, huge, wrongly typed, bad gzip, wrong or missing credentials. Every answer is a 200
 * or a coded 4xx (never a 5xx), a refused request stores no event, and the server still
 * serves a good request at the end. Seeded, so a failure replays exactly.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../src/platform/random.js';
import { createKey, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { testDialects } from '../../src/store/testing.js';
import { createTestApp, seedWorkspace, type TestApp } from '../support/app.js';

const ENDPOINTS = ['identify', 'track', 'page', 'screen', 'group', 'alias', 'batch'];
const REQUESTS = 2000;

const int = (rnd: Random, n: number) => Math.floor(rnd.next() * n);
const pick = <T>(rnd: Random, xs: readonly T[]): T => xs[int(rnd, xs.length)] as T;

function randomValue(rnd: Random, depth = 0): unknown {
  switch (int(rnd, depth > 4 ? 6 : 8)) {
    case 0: return null;
    case 1: return rnd.next() < 0.5;
    case 2: return pick(rnd, [0, -1, 1e308, -1e-308, 2 ** 53 + 1, 3.14]);
    case 3: return pick(rnd, ['', 'x', '\u0000', '\ud800', '😀', 'a'.repeat(500), '2026-13-45T99:99:99Z', '<script>', "'; drop table events; --"]);
    case 4: return pick(rnd, ['track', 'identify', 'alias', 'group', 'page', 'screen', 'batch', '__proto__', 'constructor']);
    case 5: return new Date(int(rnd, 4e12)).toISOString();
    case 6: return Array.from({ length: int(rnd, 4) }, () => randomValue(rnd, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = int(rnd, 5); i > 0; i--) o[pick(rnd, ['userId', 'anonymousId', 'event', 'type', 'properties', 'traits', 'context', 'timestamp', 'sentAt', 'messageId', 'groupId', 'previousId', 'integrations', 'batch', '__proto__', 'k'])] = randomValue(rnd, depth + 1);
      return o;
    }
  }
}

function validMessage(rnd: Random, i: number): Record<string, unknown> {
  return { type: pick(rnd, ['track', 'identify', 'page']), event: 'Fuzzed', userId: `u${i}`, messageId: `fuzz-${i}`, properties: { i }, traits: { i } };
}

function mutated(rnd: Random, i: number): Record<string, unknown> {
  const m = validMessage(rnd, i);
  for (let k = 1 + int(rnd, 3); k > 0; k--) m[pick(rnd, Object.keys(m).concat(['context', 'timestamp', 'sentAt']))] = randomValue(rnd);
  return m;
}

interface Fuzzed {
  endpoint: string;
  headers: Record<string, string>;
  payload: string | Buffer;
  kind: string;
}

function generate(rnd: Random, i: number, auth: string, secretAuth: string): Fuzzed {
  const endpoint = pick(rnd, ENDPOINTS);
  const json = { 'content-type': pick(rnd, ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) };
  const headers = { ...json, authorization: auth };
  const wrap = (m: unknown) => (endpoint === 'batch' ? { batch: [m, mutated(rnd, i + 1e6)] } : m);
  switch (int(rnd, 10)) {
    case 0:
      return { endpoint, headers, kind: 'random json', payload: JSON.stringify(randomValue(rnd)) ?? 'undefined' };
    case 1: {
      const text = JSON.stringify(wrap(validMessage(rnd, i)));
      return { endpoint, headers, kind: 'truncated', payload: text.slice(0, int(rnd, text.length - 1)) };
    }
    case 2: {
      const n = 50 + int(rnd, 20_000);
      const open = pick(rnd, ['[', '{"a":']);
      return { endpoint, headers, kind: 'deep', payload: `{"batch":[{"type":"track","userId":"u","event":"e","properties":${open.repeat(n)}1` };
    }
    case 3:
      return { endpoint, headers, kind: 'huge', payload: JSON.stringify(wrap({ ...validMessage(rnd, i), properties: { blob: 'x'.repeat(40_000 + int(rnd, 600_000)) } })) };
    case 4: {
      const good = gzipSync(JSON.stringify(wrap(validMessage(rnd, i))));
      const bad = rnd.next() < 0.5 ? good.subarray(0, int(rnd, good.length)) : Buffer.from(Array.from({ length: 64 }, () => int(rnd, 256)));
      return { endpoint, headers: { ...headers, 'content-encoding': pick(rnd, ['gzip', 'deflate', 'br', 'gzip, gzip']) }, kind: 'bad gzip', payload: bad };
    }
    case 5: {
      const creds = pick<Record<string, string>>(rnd, [
        {},
        { authorization: secretAuth },
        { authorization: 'Basic ' + Buffer.from(`ec_wk_${'z'.repeat(30)}:`).toString('base64') },
        { authorization: 'Basic !!!not-base64' },
        { authorization: `Bearer ${auth.slice(6)}` },
        { authorization: 'Basic ' + Buffer.from(':').toString('base64') },
      ]);
      return { endpoint, headers: { ...json, ...creds }, kind: 'bad credentials', payload: JSON.stringify(wrap(validMessage(rnd, i))) };
    }
    case 6:
      return { endpoint, headers, kind: 'binary', payload: Buffer.from(Array.from({ length: int(rnd, 300) }, () => int(rnd, 256))) };
    case 7:
      return { endpoint, headers, kind: 'batch shape', payload: JSON.stringify({ batch: randomValue(rnd), sentAt: randomValue(rnd), context: randomValue(rnd) }) };
    default:
      return { endpoint, headers, kind: 'mutated message', payload: JSON.stringify(wrap(mutated(rnd, i))) };
  }
}

describe.each(testDialects())('fuzzing /v1 on %s', (dialect) => {
  let t: TestApp;
  let auth: string;
  let secretAuth: string;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
    const { workspaceId } = await seedWorkspace(t, 'Fuzz', 'owner@fuzz.test');
    const ctx = { workspaceId, callerRole: 'owner' as const, actor: SYSTEM_ACTOR };
    const deps = { store: t.store, clock: t.clock };
    auth = 'Basic ' + Buffer.from(`${(await createKey(deps, ctx, { kind: 'write', name: 'fuzz' })).token}:`).toString('base64');
    secretAuth = 'Basic ' + Buffer.from(`${(await createKey(deps, ctx, { kind: 'secret', name: 's' })).token}:`).toString('base64');
  });
  afterAll(() => t.close());

  const eventCount = async () => Number((await t.store.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it(`answers ${REQUESTS} generated requests with 200 or a coded 4xx, and stores nothing for a refusal`, async () => {
    const rnd = seededRandom(20260301);
    const statuses = new Map<number, number>();
    let count = await eventCount();
    for (let i = 0; i < REQUESTS; i++) {
      const f = generate(rnd, i, auth, secretAuth);
      const res = await t.app.inject({ method: 'POST', url: `/v1/${f.endpoint}`, headers: f.headers, payload: f.payload });
      const where = `#${i} ${f.kind} /v1/${f.endpoint} -> ${res.statusCode} ${res.body.slice(0, 200)}`;
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      expect(res.statusCode === 200 || (res.statusCode >= 400 && res.statusCode < 500), where).toBe(true);
      if (res.statusCode !== 200) expect((res.json() as { error: { code: string } }).error.code, where).toMatch(/^[A-Z_]+$/);
      const now = await eventCount();
      if (res.statusCode !== 200) expect(now, where).toBe(count);
      count = now;
    }
    // The generator reached both outcomes, and several kinds of refusal.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(50);
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(4);

    const after = await t.app.inject({ method: 'POST', url: '/v1/track', headers: { authorization: auth }, payload: { userId: 'still', event: 'Alive' } });
    expect(after.statusCode).toBe(200);
  }, 90_000);
});
