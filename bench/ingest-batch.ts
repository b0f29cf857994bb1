/**
 * ingest-batch: POST /v1/batch (100 events a request) over loopback, from a load generator
 * in a second process (this same file, run with `--load`), at a fixed concurrency with
 * keep-alive. Figures: events/s, p50 and p99 latency. Ceiling, measured in the same run
 * with the same generator: a bare Fastify handler that parses the same JSON and inserts the
 * same rows into the same `events` table in one transaction per request.
 *
 * Two concurrencies, each a fresh server and database per round for both contenders:
 * 16 requests in flight measure throughput (and there, by Little's law, latency is mostly
 * queueing: 1 600 events in flight at 30 000 events/s is 53 ms for anyone, the ceiling
 * included); 4 in flight, a realistic number of SDK flushes arriving together, measure the
 * latency a sender sees.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/platform/clock.js';
import { newId } from '../src/platform/ids.js';
import { createKey, SYSTEM_ACTOR } from '../src/modules/workspaces/index.js';
import { buildApp } from '../src/server/app.js';
import { openSqlite } from '../src/store/dialect/sqlite.js';
import { migrateToLatest, openStore, toJson, type Store } from '../src/store/index.js';
import { createTempDatabase, pgServerOrSkip } from './lib/postgres.js';
import { answerAsChild, drive, listen, runChild, send, type LoadRun } from './lib/load.js';
import type { Benchmark, Result } from './lib/types.js';

const WORKSPACE = 'ws_bench';
const EVENTS_PER_REQUEST = 100;
const REQUESTS = 800;
/** The throughput run. */
const CONCURRENCY = 16;
/** The latency run. */
const LATENCY_CONCURRENCY = 4;
const ROUNDS = 3;

// ---------------------------------------------------------------- load generator (child)

function batchBody(run: string, r: number): string {
  const now = new Date().toISOString();
  const batch = Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => ({
    type: 'track',
    event: i % 3 ? 'Product Viewed' : 'Order Completed',
    userId: `user-${(r * 7 + i) % 5000}`,
    messageId: `${run}-${r}-${i}`,
    timestamp: now,
    properties: { sku: `SKU-${i}`, price: 19.99 + i, currency: 'EUR', category: 'coffee' },
    context: { library: { name: 'bench', version: '1.0' }, ip: '203.0.113.7', locale: 'en-GB' },
  }));
  return JSON.stringify({ batch, sentAt: now });
}

/** POST `REQUESTS` batches of this run to /v1/batch, `concurrency` at a time. */
async function generateLoad(url: string, writeKey: string, run: string, concurrency: number): Promise<LoadRun> {
  const target = new URL('/v1/batch', url);
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  return drive(
    REQUESTS,
    concurrency,
    (i, agent) => {
      const body = batchBody(run, i);
      return send(target, agent, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth, 'content-length': Buffer.byteLength(body) }, body });
    },
    (i) => `batch ${i}`,
  );
}

const runGenerator = (url: string, writeKey: string, run: string, concurrency: number): Promise<LoadRun> =>
  runChild(fileURLToPath(import.meta.url), ['--load', url, writeKey, run, String(concurrency)]);

// ---------------------------------------------------------------- servers (parent)

interface Server {
  url: string;
  writeKey: string;
  close(): Promise<void>;
}

async function seed(store: Store): Promise<string> {
  await migrateToLatest(store);
  if (store.dialect.name === 'postgres') {
    await sql`truncate table events, event_dedupe, event_daily_counts, event_sources, ingest_errors, api_keys, workspaces cascade`.execute(store.db);
  }
  await store.db.insertInto('workspaces').values({ id: WORKSPACE, name: 'Bench', created_at: 0 }).execute();
  const created = await createKey({ store, clock: systemClock }, { workspaceId: WORKSPACE, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name: 'bench' });
  return created.token;
}

async function emptyChair(dbUrl: string): Promise<Server> {
  const store = openStore(dbUrl);
  const writeKey = await seed(store);
  const app = await buildApp({ store, config: { bodyLimitBytes: 1_048_576, publicUrl: undefined } });
  const url = await listen(app);
  return { url, writeKey, close: async () => {
      await app.close();
      await store.close();
    },
  };
}

const COLUMNS = ['workspace_id', 'id', 'message_id', 'type', 'name', 'user_id', 'source', 'properties', 'context', 'integrations', 'timestamp', 'original_timestamp', 'sent_at', 'received_at'];

interface BareMessage {
  messageId: string;
  type: string;
  event: string;
  userId: string;
  timestamp: string;
  properties: unknown;
  context: unknown;
}

function bareRow(m: BareMessage, now: number): unknown[] {
  const ts = Date.parse(m.timestamp);
  return [WORKSPACE, newId('evt', now), m.messageId, m.type, m.event, m.userId, 'key_bare', toJson(m.properties), toJson(m.context), '{}', ts, ts, now, now];
}

async function bareSqlite(path: string): Promise<Server> {
  const setup = openStore(path);
  await seed(setup);
  await setup.close();
  const { raw } = openSqlite(path);
  const insert = raw.prepare(`insert into events (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
  const insertAll = raw.transaction((rows: unknown[][]) => rows.forEach((r) => insert.run(...r)));
  const app = Fastify({ bodyLimit: 1_048_576 });
  app.post('/v1/batch', async (request) => {
    const now = Date.now();
    insertAll((request.body as { batch: BareMessage[] }).batch.map((m) => bareRow(m, now)));
    return { success: true };
  });
  const url = await listen(app);
  return { url, writeKey: 'ec_wk_bare', close: async () => {
      await app.close();
      raw.close();
    },
  };
}

async function barePostgres(dbUrl: string): Promise<Server> {
  const setup = openStore(dbUrl);
  await seed(setup);
  await setup.close();
  const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
  const text = `insert into events (${COLUMNS.join(', ')}) values (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
  const app = Fastify({ bodyLimit: 1_048_576 });
  app.post('/v1/batch', async (request) => {
    const now = Date.now();
    const client = await pool.connect();
    try {
      await client.query('begin');
      for (const m of (request.body as { batch: BareMessage[] }).batch) await client.query({ name: 'bare_insert', text, values: bareRow(m, now) });
      await client.query('commit');
    } finally {
      client.release();
    }
    return { success: true };
  });
  const url = await listen(app);
  return { url, writeKey: 'ec_wk_bare', close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

// ---------------------------------------------------------------- measurement

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function measure(target: string, fresh: () => Promise<string>, bare: (url: string) => Promise<Server>): Promise<Result[]> {
  const concurrencies = [CONCURRENCY, LATENCY_CONCURRENCY];
  const ours = new Map<number, LoadRun[]>(concurrencies.map((c) => [c, []]));
  const ceiling = new Map<number, LoadRun[]>(concurrencies.map((c) => [c, []]));
  for (let round = 0; round <= ROUNDS; round++) {
    for (const concurrency of concurrencies) {
      for (const [make, into] of [
        [bare, ceiling],
        [emptyChair, ours],
      ] as const) {
        const server = await make(await fresh());
        try {
          const result = await runGenerator(server.url, server.writeKey, `r${round}c${concurrency}`, concurrency);
          if (round > 0) into.get(concurrency)?.push(result);
        } finally {
          await server.close();
        }
      }
    }
  }
  const rate = (r: LoadRun) => (REQUESTS * EVENTS_PER_REQUEST) / r.seconds;
  const bareName = (concurrency: number) => `bare Fastify + 1 txn/request, ${concurrency} concurrent`;
  const figure = (concurrency: number, name: string, unit: string, pick: (r: LoadRun) => number): Result => {
    const own = ours.get(concurrency) ?? [];
    const base = ceiling.get(concurrency) ?? [];
    return {
      target,
      name,
      unit,
      value: median(own.map(pick)),
      ceiling: { name: bareName(concurrency), value: median(base.map(pick)) },
      ratio: median(own.map((r, i) => pick(r) / pick(base[i] as LoadRun))),
    };
  };
  const t = CONCURRENCY;
  const l = LATENCY_CONCURRENCY;
  return [
    { target, name: `${bareName(t)} (${EVENTS_PER_REQUEST} events/request)`, unit: 'events/s', value: median((ceiling.get(t) ?? []).map(rate)) },
    figure(t, `POST /v1/batch, ${EVENTS_PER_REQUEST} events/request, ${t} concurrent (throughput run)`, 'events/s', rate),
    figure(t, `POST /v1/batch p50 latency, ${t} concurrent (throughput run, queueing; lower is better)`, 'ms', (r) => r.p50),
    figure(t, `POST /v1/batch p99 latency, ${t} concurrent (throughput run, queueing; lower is better)`, 'ms', (r) => r.p99),
    figure(l, `POST /v1/batch, ${EVENTS_PER_REQUEST} events/request, ${l} concurrent (latency run)`, 'events/s', rate),
    figure(l, `POST /v1/batch p50 latency, ${l} concurrent (latency run; lower is better)`, 'ms', (r) => r.p50),
    figure(l, `POST /v1/batch p99 latency, ${l} concurrent (latency run; lower is better)`, 'ms', (r) => r.p99),
  ];
}

export const ingestBatch: Benchmark = {
  name: 'ingest-batch',
  description: 'POST /v1/batch events/s and latency against a bare Fastify + SQLite handler',
  async run() {
    const results: Result[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'emptychair-bench-'));
    let n = 0;
    try {
      results.push(...(await measure('sqlite', async () => join(dir, `ingest-${n++}.db`), bareSqlite)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const server = await pgServerOrSkip();
    if (!server) return results;
    const database = await createTempDatabase(server);
    try {
      results.push(...(await measure('postgres', async () => database.url, barePostgres)));
    } finally {
      await database.drop();
    }
    return results;
  },
};

if (process.argv[2] === '--load') {
  const [url, writeKey, run, concurrency] = process.argv.slice(3) as [string, string, string, string | undefined];
  answerAsChild(generateLoad(url, writeKey, run, Number(concurrency ?? CONCURRENCY)));
}
