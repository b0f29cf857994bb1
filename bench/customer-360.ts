/**
 * customer360: the customer 360 at the size the issue names (1 000 000 profiles and
 * 20 000 000 events on SQLite), built once into bench/.data/ by bench/lib/customer-graph.ts.
 *
 * 1. GET /api/workspaces/:ws/customers/:id over loopback HTTP, from a load generator in a
 *    second process (this file, run with `--load-360`), with keep-alive. Figures: p50, p95
 *    and p99 latency, one request in flight (an agent opening a customer) and four (several
 *    at once). Two samples of customers: uniform over all customers, and the 1 % with the
 *    most events (the longest histories, where a timeline read can cost most).
 *    Ceiling, on the same database file, through the same generator, in the same rounds: a
 *    bare Fastify handler that reads the profile row by primary key, the person's userId (or
 *    anonymousId) by the identities index, and the 50 newest of their events by the
 *    (workspace_id, user_id|anonymous_id, timestamp) index, parses their JSON and returns it.
 *    That is the least any server must do to show "who is this and what did they do lately":
 *    no authentication, no merge tree, traits, records, accounts or response schema.
 *
 * 2. Incremental resolution: a few thousand new events appended after the resolution cursor
 *    (returning users, users on a new device, brand-new visitors, identify calls that restate
 *    or change traits, sign-ups of known visitors, identify calls that reach a CRM contact by
 *    e-mail, and identify calls that merge a visitor into a customer), then `resolvePending`
 *    timed over them: ms per event. Ceiling, on the same file over the same events: read them
 *    after the cursor 500 at a time (the resolver's batch), one identities lookup by primary
 *    key and one insert per event, one committed transaction per 500 (synchronous=FULL, as
 *    the store opens SQLite). After the measured rounds, one small batch of each kind alone
 *    is resolved and its ms/event printed, to show where the time goes.
 *
 * Sizes: BENCH_CUSTOMERS (profiles, default 1 000 000) and BENCH_EVENTS (default 20 per
 * profile). The data file is reused while its recorded parameters match; each run appends
 * its resolution batches to it (about 23 000 events, 1 100 profiles, 450 merges), which the
 * next run prints. Visitors and CRM contacts a batch has used are not used again. The merge
 * suggestions those batches opened are removed at the start of the next run: the 360 read's
 * cost grows with the review queue, and each run should read the same graph.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import { resolvePending } from '../src/modules/customers/index.js';
import type { PersonFields } from '../src/modules/customers/matching/types.js';
import { syntheticRecords } from '../src/modules/customers/matching/synthetic.js';
import { systemClock } from '../src/platform/clock.js';
import { idFloor } from '../src/platform/ids.js';
import { seededRandom } from '../src/platform/random.js';
import { createKey, SYSTEM_ACTOR } from '../src/modules/workspaces/index.js';
import { buildApp } from '../src/server/app.js';
import { openSqlite } from '../src/store/dialect/sqlite.js';
import { openStore } from '../src/store/index.js';
import { customerGraph, graphPath, rng, SOURCE_KEY, T_END, traitsFor, WORKSPACE, type GraphInfo } from './lib/customer-graph.js';
import { answerAsChild, drive, listen, runChild, send, type LoadRun } from './lib/load.js';
import type { Benchmark, Result } from './lib/types.js';

const PROFILES = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? PROFILES * 20);
const SEED = 360;
const DATA_DIR = process.env.BENCH_DATA_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../bench/.data');

/** Measured rounds, after one discarded warm-up round. */
const ROUNDS = 3;
const UNIFORM_REQUESTS = 1500;
const HEAVY_REQUESTS = 300;
const CONCURRENT = 4;
/** New events per resolution round. */
const BATCH = 5000;
/** The timeline page the 360 view shows first (customerView's default) and the ceiling reads. */
const PAGE = 50;

// ---------------------------------------------------------------- load generator (child)

/** Ask for each path in the list file (a JSON array) with the key, `concurrency` at a time. */
async function generateLoad(url: string, token: string, listFile: string, concurrency: number): Promise<LoadRun> {
  const paths = JSON.parse(readFileSync(listFile, 'utf8')) as string[];
  const headers = { authorization: `Bearer ${token}` };
  return drive(paths.length, concurrency, (i, agent) => send(new URL(paths[i] as string, url), agent, { method: 'GET', headers }), (i) => paths[i] as string);
}

const runGenerator = (url: string, token: string, listFile: string, concurrency: number): Promise<LoadRun> =>
  runChild(fileURLToPath(import.meta.url), ['--load-360', url, token, listFile, String(concurrency)]);

// ---------------------------------------------------------------- servers

interface Server {
  url: string;
  token: string;
  close(): Promise<void>;
}

async function emptyChair(path: string): Promise<Server> {
  const store = openStore(path);
  const { token } = await createKey({ store, clock: systemClock }, { workspaceId: WORKSPACE, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'secret', name: `bench ${new Date().toISOString()}`, role: 'viewer' });
  const app = await buildApp({ store, config: { bodyLimitBytes: 1_048_576, publicUrl: undefined } });
  const url = await listen(app);
  return {
    url,
    token,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

interface EventRow {
  id: string;
  type: string;
  name: string | null;
  properties: string | null;
  traits: string | null;
  timestamp: number;
}

async function bare(path: string): Promise<Server> {
  const { raw } = openSqlite(path);
  const profile = raw.prepare('select id, root_id, name, email, phone, created_at, updated_at from profiles where workspace_id = ? and id = ?');
  // All of the profile's identities by the (workspace_id, profile_id) index, the userId picked here:
  // a `kind in (…)` filter in SQL makes SQLite's planner walk the primary key by kind instead.
  const identities = raw.prepare('select kind, value from identities where workspace_id = ? and profile_id = ?');
  const byColumn = {
    user_id: raw.prepare(`select id, type, name, properties, traits, timestamp from events where workspace_id = ? and user_id = ? order by timestamp desc limit ${PAGE}`),
    anonymous_id: raw.prepare(`select id, type, name, properties, traits, timestamp from events where workspace_id = ? and anonymous_id = ? order by timestamp desc limit ${PAGE}`),
  };
  const app = Fastify({ logger: false });
  app.get('/api/workspaces/:workspaceId/customers/:customerId', async (request, reply) => {
    const { workspaceId, customerId } = request.params as { workspaceId: string; customerId: string };
    const p = profile.get(workspaceId, customerId);
    if (!p) return reply.code(404).send({ error: { code: 'CUSTOMER_NOT_FOUND' } });
    const ids = identities.all(workspaceId, customerId) as { kind: string; value: string }[];
    const id = ids.find((i) => i.kind === 'user_id') ?? ids.find((i) => i.kind === 'anonymous_id');
    const events = id ? (byColumn[id.kind as 'user_id' | 'anonymous_id'].all(workspaceId, id.value) as EventRow[]) : [];
    return {
      profile: p,
      timeline: events.map((e) => ({ ...e, properties: e.properties === null ? null : JSON.parse(e.properties), traits: e.traits === null ? null : JSON.parse(e.traits) })),
    };
  });
  const url = await listen(app);
  return {
    url,
    token: 'none',
    close: async () => {
      await app.close();
      raw.close();
    },
  };
}

// ---------------------------------------------------------------- samples

interface Population {
  /** Every customer (a root): app users, CRM-only contacts, visitors not merged since. */
  customers: string[];
  /** The 1 % of app customers with the most events. */
  heavy: string[];
  apps: { n: number; profileId: string; userId: string; anon1: string }[];
  visitors: { n: number; anon1: string }[];
  crm: { n: number; profileId: string }[];
}

function population(raw: BetterSqlite3.Database): Population {
  const rows = raw.prepare('select n, profile_id, role, root_id, user_id, anon1, events, used from bench_people').all() as {
    n: number;
    profile_id: string;
    role: string;
    root_id: string;
    user_id: string | null;
    anon1: string | null;
    events: number;
    used: number;
  }[];
  const apps = rows.filter((r) => r.role === 'app');
  const byEvents = [...apps].sort((a, b) => b.events - a.events);
  return {
    customers: rows.filter((r) => r.role !== 'leaf' && r.used === 0).map((r) => r.profile_id),
    heavy: byEvents.slice(0, Math.max(10, Math.floor(apps.length / 100))).map((r) => r.profile_id),
    apps: apps.map((r) => ({ n: r.n, profileId: r.profile_id, userId: r.user_id as string, anon1: r.anon1 as string })),
    visitors: rows.filter((r) => r.role === 'visitor' && r.used === 0).map((r) => ({ n: r.n, anon1: r.anon1 as string })),
    crm: rows.filter((r) => r.role === 'crm' && r.used === 0).map((r) => ({ n: r.n, profileId: r.profile_id })),
  };
}

function sampleFile(dir: string, name: string, ids: readonly string[], n: number, seed: number): string {
  const r = rng(seed);
  const paths = Array.from({ length: n }, () => `/api/workspaces/${WORKSPACE}/customers/${ids[r.int(ids.length)] as string}`);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(paths));
  return file;
}

// ---------------------------------------------------------------- part 1: GET a customer

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

interface Mix {
  key: string;
  ids: string[];
  requests: number;
  concurrency: number;
}

async function measureHttp(path: string, pop: Population, dir: string, log: (s: string) => void): Promise<Result[]> {
  const mixes: Mix[] = [
    { key: 'uniform-1', ids: pop.customers, requests: UNIFORM_REQUESTS, concurrency: 1 },
    { key: 'heavy-1', ids: pop.heavy, requests: HEAVY_REQUESTS, concurrency: 1 },
    { key: `uniform-${CONCURRENT}`, ids: pop.customers, requests: UNIFORM_REQUESTS, concurrency: CONCURRENT },
  ];
  const ours = await emptyChair(path);
  const base = await bare(path);
  const results = new Map<string, { ours: LoadRun[]; bare: LoadRun[] }>(mixes.map((m) => [m.key, { ours: [], bare: [] }]));
  try {
    // One look before measuring: the route answers, and with a timeline.
    const probe = pop.heavy[0] as string;
    const res = await fetch(`${ours.url}/api/workspaces/${WORKSPACE}/customers/${probe}`, { headers: { authorization: `Bearer ${ours.token}` } });
    const body = (await res.json()) as { timeline?: { items: unknown[] }; identities?: unknown[]; traits?: unknown[] };
    if (res.status !== 200 || !body.timeline || body.timeline.items.length === 0) throw new Error(`GET customer ${probe}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    log(`probe: the most active customer's 360 has ${body.identities?.length} identities, ${body.traits?.length} traits, ${body.timeline.items.length} timeline items`);

    let seed = SEED * 1000;
    for (let round = 0; round <= ROUNDS; round++) {
      for (const mix of mixes) {
        // Each contender gets its own sample (same distribution), so neither reads pages the other just warmed.
        const order: ['ours' | 'bare', Server][] = round % 2 === 0 ? [['bare', base], ['ours', ours]] : [['ours', ours], ['bare', base]];
        for (const [who, server] of order) {
          const file = sampleFile(dir, `${mix.key}-${round}-${who}`, mix.ids, mix.requests, seed++);
          const r = await runGenerator(server.url, server.token, file, mix.concurrency);
          if (round > 0) results.get(mix.key)?.[who].push(r);
          log(`  round ${round}${round === 0 ? ' (warm-up)' : ''} ${mix.key.padEnd(10)} ${who.padEnd(4)}: p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(1)} ms, ${(r.requests / r.seconds).toFixed(0)} req/s, ${(r.meanBytes / 1024).toFixed(1)} KiB/response`);
        }
      }
    }
  } finally {
    await ours.close();
    await base.close();
  }

  const BARE = `bare Fastify: profile by PK + ${PAGE} newest events by index`;
  const figure = (key: string, name: string, unit: string, pick: (r: LoadRun) => number, ceilingName: string): Result => {
    const got = results.get(key) as { ours: LoadRun[]; bare: LoadRun[] };
    return {
      target: 'sqlite',
      name,
      unit,
      value: median(got.ours.map(pick)),
      ceiling: { name: ceilingName, value: median(got.bare.map(pick)) },
      ratio: median(got.ours.map((r, i) => pick(r) / pick(got.bare[i] as LoadRun))),
    };
  };
  const rate = (r: LoadRun) => r.requests / r.seconds;
  const uniform = results.get('uniform-1') as { bare: LoadRun[] };
  return [
    { target: 'sqlite', name: `${BARE}, p95, 1 in flight (uniform customers)`, unit: 'ms', value: median(uniform.bare.map((r) => r.p95)) },
    figure('uniform-1', 'GET customer p50, 1 in flight, uniform customers (lower is better)', 'ms', (r) => r.p50, `${BARE}, p50`),
    figure('uniform-1', 'GET customer p95, 1 in flight, uniform customers (goal ≤ 50 ms)', 'ms', (r) => r.p95, `${BARE}, p95`),
    figure('uniform-1', 'GET customer p99, 1 in flight, uniform customers (lower is better)', 'ms', (r) => r.p99, `${BARE}, p99`),
    figure('heavy-1', 'GET customer p50, 1 in flight, 1 % most active customers', 'ms', (r) => r.p50, `${BARE}, same customers, p50`),
    figure('heavy-1', 'GET customer p95, 1 in flight, 1 % most active customers', 'ms', (r) => r.p95, `${BARE}, same customers, p95`),
    figure(`uniform-${CONCURRENT}`, `GET customer p95, ${CONCURRENT} in flight, uniform customers`, 'ms', (r) => r.p95, `${BARE}, p95, ${CONCURRENT} in flight`),
    figure(`uniform-${CONCURRENT}`, `GET customer throughput, ${CONCURRENT} in flight`, 'req/s', rate, `${BARE}, ${CONCURRENT} in flight`),
  ];
}

// ---------------------------------------------------------------- part 2: incremental resolution

const EVENT_COLUMNS = ['workspace_id', 'id', 'message_id', 'type', 'name', 'user_id', 'anonymous_id', 'source', 'properties', 'traits', 'context', 'integrations', 'timestamp', 'original_timestamp', 'sent_at', 'received_at'];
const CONTEXT = JSON.stringify({ library: { name: 'analytics.js', version: 'next-1.70.0' }, ip: '203.0.113.9', locale: 'en-GB', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15' });

interface NewEvent {
  type: 'track' | 'page' | 'identify';
  userId: string | null;
  anonymousId: string;
  traits?: Record<string, string | undefined>;
}

/** What a batch is made of, by share of its events. */
const MIX = {
  returning: { share: 0.4, label: 'returning user (known userId + anonymousId)' },
  newDevice: { share: 0.1, label: 'known user on a new device (new anonymousId)' },
  visitor: { share: 0.25, label: 'brand-new anonymous visitor (5 page views)' },
  restate: { share: 0.15, label: 'identify restating traits (1 in 10 changes the address)' },
  signUp: { share: 0.05, label: 'sign-up: page view + identify of a known visitor with a new userId, name, e-mail' },
  crmHit: { share: 0.03, label: 'identify with a new userId and the e-mail of a CRM-only contact' },
  merge: { share: 0.02, label: 'identify linking a customer to a known visitor (merge)' },
} as const;
type Kind = keyof typeof MIX;
/** Events per kind in the breakdown batches. */
const PER_KIND: Record<Kind, number> = { returning: 1000, newDevice: 500, visitor: 500, restate: 500, signUp: 200, crmHit: 150, merge: 100 };

/**
 * Append one batch of new events after everything stored, untimed; marks the visitors and
 * CRM contacts it uses. Returns how many of each kind, and the id just before the batch.
 */
function appendBatch(raw: BetterSqlite3.Database, pop: Population, size: number, seed: number, only?: Kind): { before: string; kinds: Record<string, number> } {
  const r = rng(seed);
  const nonce = `${Date.now().toString(36)}${seed.toString(36)}`;
  const features = raw.prepare('select features from profiles where workspace_id = ? and id = ?');
  const featuresOf = (id: string) => JSON.parse((features.get(WORKSPACE, id) as { features: string }).features) as PersonFields;
  const app = () => pop.apps[r.int(pop.apps.length)] as Population['apps'][number];
  const take = <T extends { n: number }>(xs: T[]): T => {
    if (xs.length === 0) throw new Error('no unused visitors or CRM contacts left in the data file: build it again');
    const [x] = xs.splice(r.int(xs.length), 1);
    return x as T;
  };
  const used: number[] = [];
  const streams: NewEvent[][] = [];
  const kinds: Record<string, number> = {};
  const share = (k: Kind) => (only === undefined ? Math.round(size * MIX[k].share) : k === only ? size : 0);
  /** Streams of `kind` until they hold its share of events; `make(remaining)` returns one stream. */
  const fill = (kind: Kind, make: (remaining: number) => NewEvent[]) => {
    let n = 0;
    while (n < share(kind)) {
      const s = make(share(kind) - n);
      streams.push(s);
      n += s.length;
    }
    if (n > 0) kinds[MIX[kind].label] = n;
  };
  const browse = (userId: string | null, anonymousId: string): NewEvent => ({ type: r.chance(0.5) ? 'page' : 'track', userId, anonymousId });
  const session = (length: number, userId: string | null, anonymousId: string) => Array.from({ length }, () => browse(userId, anonymousId));

  fill('returning', (left) => {
    const a = app();
    return session(Math.min(1 + r.int(4), left), a.userId, a.anon1);
  });
  fill('newDevice', (left) => session(Math.min(1 + r.int(4), left), app().userId, r.uuid()));
  fill('visitor', (left) => {
    const visitor = r.uuid();
    return Array.from({ length: Math.min(5, left) }, (): NewEvent => ({ type: 'page', userId: null, anonymousId: visitor }));
  });
  fill('restate', () => {
    const a = app();
    const f = featuresOf(a.profileId);
    if (r.chance(0.1)) {
      f.address = `${1 + r.int(240)} ${r.pick(['Mill', 'Station', 'Church', 'Park'])} Road`;
      f.postcode = undefined;
    }
    return [{ type: 'identify', userId: a.userId, anonymousId: a.anon1, traits: traitsFor(f, { plan: r.pick(['free', 'pro', 'team']) }) }];
  });
  const fresh = syntheticRecords({ random: seededRandom(seed), people: share('signUp'), duplicateRate: 0, householdRate: 0 });
  let signUps = 0;
  fill('signUp', () => {
    const v = take(pop.visitors);
    used.push(v.n);
    const f = fresh.next().value?.fields ?? {};
    const n = signUps++;
    const email = `${String(f.firstName ?? 'x').toLowerCase()}.${String(f.lastName ?? 'y').toLowerCase()}.${nonce}${n}@fastmail.com`;
    return [
      browse(null, v.anon1),
      { type: 'identify', userId: `user-new-${nonce}-${n}`, anonymousId: v.anon1, traits: { firstName: f.firstName ?? undefined, lastName: f.lastName ?? undefined, email, plan: 'free' } },
    ];
  });
  let crmHits = 0;
  fill('crmHit', () => {
    const c = take(pop.crm);
    used.push(c.n);
    const f = featuresOf(c.profileId);
    return [{ type: 'identify', userId: `user-crm-${nonce}-${crmHits++}`, anonymousId: r.uuid(), traits: { firstName: f.firstName ?? undefined, lastName: f.lastName ?? undefined, email: f.email ?? undefined } }];
  });
  fill('merge', () => {
    const v = take(pop.visitors);
    used.push(v.n);
    return [{ type: 'identify', userId: app().userId, anonymousId: v.anon1, traits: { plan: 'pro' } }];
  });

  // Interleave the streams, each in its own order, as traffic from many people arrives.
  const slots = streams.flatMap((s, i) => s.map(() => i));
  for (let i = slots.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [slots[i], slots[j]] = [slots[j] as number, slots[i] as number];
  }
  const cursor = streams.map(() => 0);
  const before = (raw.prepare(`select max(id) as id from events where workspace_id = ?`).get(WORKSPACE) as { id: string }).id;
  const now = Date.now();
  const insert = raw.prepare(`insert into events (${EVENT_COLUMNS.join(', ')}) values (${EVENT_COLUMNS.map(() => '?').join(', ')})`);
  const markUsed = raw.prepare('update bench_people set used = 1 where n = ?');
  raw.transaction(() => {
    slots.forEach((s, i) => {
      const e = (streams[s] as NewEvent[])[(cursor[s] as number)++] as NewEvent;
      const at = now + i;
      // Ids grow with the batch order (time, then a counter), as the ingest's IdSequence makes them.
      const id = `${idFloor('evt', now)}${i.toString(32).padStart(16, '0')}`;
      const props = e.type === 'identify' ? null : JSON.stringify({ path: '/pricing', url: 'https://shop.example.org/pricing', title: 'Pricing' });
      insert.run(WORKSPACE, id, r.uuid(), e.type, e.type === 'identify' ? null : e.type === 'page' ? 'Pricing' : 'Product Viewed', e.userId, e.anonymousId, SOURCE_KEY, props, e.traits ? JSON.stringify(e.traits) : null, CONTEXT, '{}', at, at, at, at);
    });
    for (const n of used) markUsed.run(n);
  })();
  return { before, kinds };
}

/** The ceiling: read the new events 500 at a time, one identity lookup and one insert each, a commit per 500. */
function bareResolve(raw: BetterSqlite3.Database, after: string): number {
  const read = raw.prepare(`select id, type, user_id, anonymous_id, previous_id, traits, context, source, timestamp from events where workspace_id = ? and id > ? order by id limit 500`);
  const look = raw.prepare('select profile_id from identities where workspace_id = ? and kind = ? and value = ?');
  const put = raw.prepare('insert into bench_placements (workspace_id, event_id, profile_id) values (?, ?, ?)');
  let n = 0;
  for (let cursor = after; ; ) {
    raw.exec('begin');
    const rows = read.all(WORKSPACE, cursor) as { id: string; user_id: string | null; anonymous_id: string | null }[];
    for (const e of rows) {
      const hit = look.get(WORKSPACE, e.user_id ? 'user_id' : 'anonymous_id', e.user_id ?? e.anonymous_id) as { profile_id: string } | undefined;
      put.run(WORKSPACE, e.id, hit?.profile_id ?? null);
    }
    raw.exec('commit');
    if (rows.length === 0) return n;
    n += rows.length;
    cursor = (rows[rows.length - 1] as { id: string }).id;
  }
}

async function measureResolution(path: string, pop: Population, log: (s: string) => void): Promise<Result[]> {
  const store = openStore(path);
  const { raw } = openSqlite(path);
  const deps = { store, clock: systemClock };
  const count = (table: string) => (raw.prepare(`select count(*) as n from ${table} where workspace_id = ?`).get(WORKSPACE) as { n: number }).n;
  const ours: number[] = [];
  const ceiling: number[] = [];
  try {
    // Anything left from an interrupted run first, untimed.
    await resolvePending(deps, WORKSPACE);
    for (let round = 0; round <= ROUNDS; round++) {
      const { before, kinds } = appendBatch(raw, pop, BATCH, SEED * 7 + round + Date.now() % 100_000);
      const events = Object.values(kinds).reduce((s, n) => s + n, 0);
      if (round === 0) log(`batch of ${events} new events: ${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join('; ')}`);
      const [profiles0, merges0, suggestions0] = [count('profiles'), count('profile_merges'), count('merge_suggestions')];
      let oursMs = 0;
      let bareMs = 0;
      let slices = 0;
      const runOurs = async () => {
        const t = performance.now();
        const done = await resolvePending(deps, WORKSPACE, { onProgress: () => slices++ });
        oursMs = performance.now() - t;
        if (done.observations !== events || done.more) throw new Error(`resolvePending placed ${done.observations} of ${events} events (more: ${done.more})`);
      };
      const runBare = () => {
        const t = performance.now();
        const n = bareResolve(raw, before);
        bareMs = performance.now() - t;
        if (n !== events) throw new Error(`bare loop read ${n} of ${events} events`);
        raw.prepare('delete from bench_placements where workspace_id = ?').run(WORKSPACE);
      };
      if (round % 2 === 0) {
        runBare();
        await runOurs();
      } else {
        await runOurs();
        runBare();
      }
      log(
        `  round ${round}${round === 0 ? ' (warm-up)' : ''}: resolvePending ${(oursMs / events).toFixed(3)} ms/event (${slices} transactions; ${count('profiles') - profiles0} profiles created, ` +
          `${count('profile_merges') - merges0} merges, ${count('merge_suggestions') - suggestions0} suggestions), bare ${(bareMs / events).toFixed(4)} ms/event`,
      );
      if (round > 0) {
        ours.push(oursMs / events);
        ceiling.push(bareMs / events);
      }
    }
    // Where the time goes: one small batch of each kind alone (printed, not in the table).
    log('  one batch of each kind alone:');
    for (const [kind, size] of Object.entries(PER_KIND) as [Kind, number][]) {
      appendBatch(raw, pop, size, SEED * 11 + (Date.now() % 100_000), kind);
      const t = performance.now();
      const done = await resolvePending(deps, WORKSPACE);
      log(`    ${((performance.now() - t) / done.observations).toFixed(3)} ms/event  ${MIX[kind].label} (${done.observations} events)`);
    }
  } finally {
    raw.close();
    await store.close();
  }
  const BARE = 'bare: read 500 events, 1 identity lookup + 1 insert each, 1 txn per 500';
  return [
    { target: 'sqlite', name: BARE, unit: 'ms/event', value: median(ceiling) },
    {
      target: 'sqlite',
      name: `resolvePending over ${BATCH.toLocaleString('en')} new events on the full graph (goal ≤ 1 ms/event; lower is better)`,
      unit: 'ms/event',
      value: median(ours),
      ceiling: { name: 'bare lookup+insert', value: median(ceiling) },
      ratio: median(ours.map((v, i) => v / (ceiling[i] as number))),
    },
  ];
}

// ---------------------------------------------------------------- the benchmark

function describe(info: GraphInfo, log: (s: string) => void): void {
  const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;
  log(`data: ${info.path} (${gb(info.fileBytes)}), ${info.reused ? 'reused; generated' : 'generated'} in ${info.generationSeconds.toFixed(0)} s`);
  log(`rows: ${Object.entries(info.rows).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);
  const e = info.eventsPerCustomer;
  log(`events per app customer: p50 ${e.p50}, p90 ${e.p90}, p99 ${e.p99}, max ${e.max}`);
}

export const customer360: Benchmark = {
  name: 'customer360',
  description: `GET customer latency and incremental resolution on ${PROFILES.toLocaleString('en')} profiles and ${EVENTS.toLocaleString('en')} events (SQLite), against bare handlers on the same file`,
  async run() {
    const log = (s: string) => console.log(s);
    log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
    const path = graphPath(DATA_DIR, { profiles: PROFILES, events: EVENTS, seed: SEED });
    const info = await customerGraph(path, { profiles: PROFILES, events: EVENTS, seed: SEED }, log);
    describe(info, log);
    const { raw } = openSqlite(path);
    const appended = (raw.prepare(`select count(*) as n from events where workspace_id = ? and received_at > ?`).get(WORKSPACE, T_END + 86_400_000) as { n: number }).n;
    // The 360 read counts a customer's open merge suggestions, at a cost that grows with the
    // workspace's review queue: put it back to its generated size, so that runs compare.
    const removed = raw.prepare('delete from merge_suggestions where workspace_id = ? and created_at > ?').run(WORKSPACE, T_END).changes;
    const open = (raw.prepare(`select count(*) as n from merge_suggestions where workspace_id = ? and status = 'open'`).get(WORKSPACE) as { n: number }).n;
    const pop = population(raw);
    raw.close();
    if (appended > 0) log(`earlier runs appended ${appended.toLocaleString('en')} events to this file`);
    log(`review queue: ${open.toLocaleString('en')} open merge suggestions${removed > 0 ? ` (${removed.toLocaleString('en')} opened by earlier runs' resolution batches removed)` : ''}`);
    const dir = mkdtempSync(join(tmpdir(), 'emptychair-bench-360-'));
    try {
      log('\nGET /api/workspaces/:ws/customers/:id');
      const http = await measureHttp(path, pop, dir, log);
      log('\nincremental resolution');
      const resolution = await measureResolution(path, pop, log);
      log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(', ')}\n`);
      return [...http, ...resolution];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

if (process.argv[2] === '--load-360') {
  const [url, token, listFile, concurrency] = process.argv.slice(3) as [string, string, string, string];
  answerAsChild(generateLoad(url, token, listFile, Number(concurrency)));
}
