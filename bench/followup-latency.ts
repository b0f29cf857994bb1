/**
 * followup-latency: event in → task created → signed webhook delivered, under a steady open-loop
 * load (issue 6). A real server (buildApp and the background worker as `emptychair serve` starts
 * them, src/server/background.ts) with a rule "on `Lead Created`: create a task, notify a webhook
 * target". A second process (this file with `--child`) hosts both the load generator and the
 * webhook receiver, so that send times and arrival times come from one clock and neither steals
 * the measured server's event loop. It POSTs `/v1/batch` with BATCH events every BATCH/RATE
 * seconds on a fixed schedule (open loop: a slow server does not slow the sender; latency is
 * taken from the scheduled send time, so a late send counts against us), and the receiver checks
 * each webhook's HMAC signature and records when it arrived. Latency = arrival − scheduled send.
 * A warm-up of the same load (WARM_SECONDS, not measured) runs first and is waited for, so that
 * the figures are of a server under steady load rather than of its first seconds after a start;
 * `p99BySecond` shows where in the run the slow ones were.
 *
 * Ceiling in the same run, with the same generator and receiver: a bare Fastify handler that
 * parses the same batch and POSTs a signed webhook per event straight from the request handler
 * (the same `postJson` client the delivery job uses), with no database, rule, task or queue.
 * The ratio is what the durable path (store the event, consume it, create the task, queue and
 * deliver the notification, each step committed) costs over an answer-and-forward pipe.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { postJson } from '../src/modules/followup/notifications/http-post.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER, verifyWebhook } from '../src/modules/followup/notifications/signature.js';
import { createKey, SYSTEM_ACTOR } from '../src/modules/workspaces/index.js';
import { systemClock } from '../src/platform/clock.js';
import { createLogger } from '../src/platform/logger.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/platform/config.js';
import type { BackgroundThread } from '../src/server/background-thread.js';
import { startJobs } from '../src/server/run.js';
import { migrateToLatest, openStore, type Store } from '../src/store/index.js';
import { listen, send } from './lib/load.js';
import { createTempDatabase, localPostgresCpuMs, pgServerOrSkip } from './lib/postgres.js';
import type { Benchmark, Result } from './lib/types.js';

const WORKSPACE = 'ws_bench';
const EVENT = 'Lead Created';
/** Events per second, sent as BATCH events every BATCH / RATE s. */
const RATE = Number(process.env.EMPTYCHAIR_BENCH_FOLLOWUP_RATE ?? 1000);
const BATCH = 10;
const SECONDS = Number(process.env.EMPTYCHAIR_BENCH_FOLLOWUP_SECONDS ?? 20);
/**
 * Before the measured run, the same load for this long on the freshly started server (JIT,
 * statement caches, connections), not measured, until all its webhooks are in. 0: measure a
 * cold start, as the figures before 6 December did.
 */
const WARM_SECONDS = Number(process.env.EMPTYCHAIR_BENCH_FOLLOWUP_WARM_SECONDS ?? 5);
/** The first seconds of the measured run's events: delivered and counted, not in the latency figures. */
const WARMUP_SECONDS = 3;
/** How long after the last send the receiver waits for stragglers. */
const DRAIN_MS = 150_000;
const SECRET = 'bench-webhook-secret-0123456789abcdef';
/**
 * The share of events that are new leads (each makes a task and a webhook); the others are
 * `Product Viewed` by 1 000 returning users, which the server stores, resolves and reads past.
 * 1 (the default): every event is a lead, 1 000 tasks and webhooks a second.
 */
const LEAD_SHARE = Math.min(1, Math.max(0, Number(process.env.EMPTYCHAIR_BENCH_FOLLOWUP_LEAD_SHARE ?? 1)));
/**
 * Who the leads are. 'new' (the default): each lead is a person never seen before, so identity
 * resolution creates a profile for every one. 'known': the leads come from 1 000 people the
 * warm-up made known, as when events of existing customers open tasks (a ticket, a detractor, a
 * failed payment): the same task, deadline and webhook per event, without a new profile each.
 */
const LEADS = process.env.EMPTYCHAIR_BENCH_FOLLOWUP_LEADS === 'known' ? 'known' : 'new';
if (LEADS === 'known' && WARM_SECONDS <= 0) throw new Error('EMPTYCHAIR_BENCH_FOLLOWUP_LEADS=known needs a warm-up (EMPTYCHAIR_BENCH_FOLLOWUP_WARM_SECONDS > 0) to make its people known');
/** Where the server runs its background jobs: 'thread' or 'inline'; unset, as `emptychair serve` does (a thread on SQLite only). */
const BACKGROUND = process.env.EMPTYCHAIR_BENCH_BACKGROUND;
const isLead = (n: number): boolean => Math.floor((n + 1) * LEAD_SHARE) > Math.floor(n * LEAD_SHARE);

/** What the child measured. */
interface Measured {
  sent: number;
  /** Of the events sent, the leads: the webhooks expected. */
  leads: number;
  failures: number;
  firstFailure?: string;
  delivered: number;
  duplicates: number;
  badSignatures: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** How late the generator itself sent (actual − scheduled), p99: a busy machine shows here first. */
  sendLagP99: number;
  /** Latency p50 over the second half of the run (steady state); the other quantiles are over all but the warm-up. */
  p50SecondHalf: number;
  p99SecondHalf: number;
  /** p99 latency of the events sent in each second of the run, in ms (where in the run the slow ones were). */
  p99BySecond: number[];
  /** Filled in by the parent: the server process's CPU ms per event sent (until the last delivery or the drain timeout). */
  serverCpuMsPerEvent?: number;
  /** Filled in by the parent, PostgreSQL on this machine only: its processes' CPU ms per event sent, over the same span. */
  databaseCpuMsPerEvent?: number;
  /** Filled in by the parent: the share of the run the server's event loop was busy (CPU, and waits such as fsync that block it). */
  serverLoopBusy?: number;
  /** The same for the server's background thread, when it has one. */
  backgroundLoopBusy?: number;
}

interface Go {
  server: string;
  writeKey: string;
  run: string;
}

const nowMs = () => performance.timeOrigin + performance.now();
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

// ---------------------------------------------------------------- child: receiver and generator

/** What the receiver records of one phase (the warm-up, the measured run): event n's times. */
interface Phase {
  run: string;
  total: number;
  leads: number;
  scheduled: Float64Array;
  actual: Float64Array;
  arrived: Float64Array;
  delivered: number;
  duplicates: number;
  failures: number;
  firstFailure?: string;
  allIn: Promise<void>;
  markAllIn(): void;
}

function phase(run: string, seconds: number): Phase {
  const total = Math.round(RATE * seconds);
  let leads = 0;
  for (let n = 0; n < total; n++) if (isLead(n)) leads++;
  let markAllIn: () => void = () => {};
  const allIn = new Promise<void>((resolve) => (markAllIn = resolve));
  if (leads === 0) markAllIn();
  return { run, total, leads, scheduled: new Float64Array(total), actual: new Float64Array(total), arrived: new Float64Array(total).fill(Number.NaN), delivered: 0, duplicates: 0, failures: 0, allIn, markAllIn };
}

/** Send a phase's events on its fixed schedule (open loop), then wait for its webhooks (at most DRAIN_MS). */
async function sendPhase(p: Phase, target: URL, auth: string): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const inflight: Promise<void>[] = [];
  const start = nowMs() + 50;
  const intervalMs = (BATCH * 1000) / RATE;
  for (let b = 0; b * BATCH < p.total; b++) {
    const at = start + b * intervalMs;
    const wait = at - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait - 0.5));
    while (nowMs() < at) {
      /* the last half millisecond */
    }
    const sentAt = nowMs();
    const iso = new Date(at).toISOString();
    const batch = [];
    for (let k = 0; k < BATCH && b * BATCH + k < p.total; k++) {
      const n = b * BATCH + k;
      p.scheduled[n] = at;
      p.actual[n] = sentAt;
      batch.push(
        isLead(n)
          ? { type: 'track', event: EVENT, userId: LEADS === 'new' ? `${p.run}:${n}` : `known-${n % 1000}`, messageId: `${p.run}-${n}`, timestamp: iso, properties: { plan: 'pro', source: 'bench', ref: `${p.run}:${n}` } }
          : { type: 'track', event: 'Product Viewed', userId: `${p.run}:returning-${n % 1000}`, messageId: `${p.run}-${n}`, timestamp: iso, properties: { sku: `sku-${n % 97}` } },
      );
    }
    const body = JSON.stringify({ batch, sentAt: iso });
    inflight.push(
      send(target, agent, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth, 'content-length': Buffer.byteLength(body) }, body }).then(
        (reply) => {
          if (reply.status !== 200) {
            p.failures++;
            p.firstFailure ??= `${reply.status}: ${reply.body.slice(0, 300)}`;
          }
        },
        (error: unknown) => {
          p.failures++;
          p.firstFailure ??= String(error);
        },
      ),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  await Promise.race([p.allIn, new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
}

async function child(): Promise<void> {
  const phases = new Map<string, Phase>();
  let badSignatures = 0;

  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = nowMs();
      const body = Buffer.concat(chunks).toString('utf8');
      const ok = verifyWebhook({ secret: SECRET, body, signature: req.headers[SIGNATURE_HEADER] as string | undefined, timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined, nowSeconds: Math.floor(Date.now() / 1000) });
      res.end('ok');
      if (!ok) return void badSignatures++;
      // The rule's message is the event's `ref` property: which phase and which event this is.
      const [r, i] = ((JSON.parse(body) as { text?: string }).text ?? '').split(':');
      const p = phases.get(r ?? '');
      const n = Number(i);
      if (!p || !Number.isInteger(n) || n < 0 || n >= p.total) return void badSignatures++;
      if (!Number.isNaN(p.arrived[n] as number)) return void p.duplicates++;
      p.arrived[n] = at;
      if (++p.delivered === p.leads) p.markAllIn();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ receiver: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` })}\n`);

  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const go = JSON.parse((await lines.next()).value as string) as Go;
  const target = new URL('/v1/batch', go.server);
  const auth = `Basic ${Buffer.from(`${go.writeKey}:`).toString('base64')}`;
  if (WARM_SECONDS > 0) {
    // The same load on a freshly started server first, until every webhook of it is in; then the parent starts its meters.
    const warm = phase(`${go.run}w`, WARM_SECONDS);
    phases.set(warm.run, warm);
    await sendPhase(warm, target, auth);
    process.stdout.write(`${JSON.stringify({ warmed: warm.delivered, of: warm.leads })}\n`);
    await lines.next();
  }
  const measured = phase(go.run, SECONDS);
  phases.set(measured.run, measured);
  await sendPhase(measured, target, auth);
  receiver.closeAllConnections();
  receiver.close();

  const { total, leads, scheduled, actual, arrived, delivered, duplicates, failures, firstFailure } = measured;
  const latencies: number[] = [];
  const second: number[] = [];
  const lag: number[] = [];
  for (let n = 0; n < total; n++) {
    lag.push((actual[n] as number) - (scheduled[n] as number));
    const a = arrived[n] as number;
    if (Number.isNaN(a)) continue;
    if (n >= RATE * WARMUP_SECONDS) latencies.push(a - (scheduled[n] as number));
    if (n >= total / 2) second.push(a - (scheduled[n] as number));
  }
  for (const xs of [latencies, second, lag]) xs.sort((x, y) => x - y);
  const bySecond: number[][] = Array.from({ length: Math.ceil(SECONDS) }, () => []);
  for (let n = 0; n < total; n++) {
    const a = arrived[n] as number;
    if (!Number.isNaN(a)) bySecond[Math.floor(n / RATE)]?.push(a - (scheduled[n] as number));
  }
  const out: Measured = {
    sent: total,
    leads,
    failures,
    ...(firstFailure ? { firstFailure } : {}),
    delivered,
    duplicates,
    badSignatures,
    p50: quantile(latencies, 0.5),
    p90: quantile(latencies, 0.9),
    p99: quantile(latencies, 0.99),
    max: quantile(latencies, 1),
    sendLagP99: quantile(lag, 0.99),
    p50SecondHalf: quantile(second, 0.5),
    p99SecondHalf: quantile(second, 0.99),
    p99BySecond: bySecond.map((xs) => Math.round(quantile(xs.sort((x, y) => x - y), 0.99))),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

// ---------------------------------------------------------------- parent: servers

interface Contender {
  url: string;
  writeKey: string;
  /** Point the pipeline at the receiver (the rule and target, or the bare handler's forward URL). */
  aim(receiverUrl: string): Promise<void>;
  /** Between the warm-up and the measured run. */
  afterWarmUp?(): Promise<void>;
  /** After the run: what the database says (tasks made, notifications delivered). */
  tally(): Promise<string>;
  /** CPU ms used so far by the database's own processes, where they can be read (a local PostgreSQL). */
  databaseCpuMs?: () => number | undefined;
  /** The background thread's event loop, when the jobs run on one. */
  backgroundLoop?: Pick<BackgroundThread, 'eventLoopUtilization'>;
  close(): Promise<void>;
}

async function seed(store: Store): Promise<{ writeKey: string; secretKey: string }> {
  await migrateToLatest(store);
  await store.db.insertInto('workspaces').values({ id: WORKSPACE, name: 'Bench', created_at: 0 }).execute();
  const actor = { workspaceId: WORKSPACE, callerRole: 'owner' as const, actor: SYSTEM_ACTOR };
  const writeKey = (await createKey({ store, clock: systemClock }, actor, { kind: 'write', name: 'bench' })).token;
  const secretKey = (await createKey({ store, clock: systemClock }, actor, { kind: 'secret', name: 'bench-admin' })).token;
  return { writeKey, secretKey };
}

/**
 * The server as `emptychair serve` runs it: buildApp, and the background jobs on a thread of
 * their own on SQLite (src/server/background-thread.ts), on the main thread on PostgreSQL
 * (src/server/background.ts); EMPTYCHAIR_BENCH_BACKGROUND=thread|inline picks either.
 */
async function emptyChair(dbUrl: string): Promise<Contender> {
  const store = openStore(dbUrl);
  const { writeKey, secretKey } = await seed(store);
  const logger = createLogger({ level: 'error', destination: process.stderr });
  const config = loadConfig({ databaseUrl: dbUrl, notifyAllowPrivate: true, logLevel: 'error', backgroundThread: BACKGROUND ? BACKGROUND === 'thread' : undefined }, {});
  const app = await buildApp({ store, config, logger });
  const url = await listen(app);
  const background = await startJobs(store, logger, config);
  const thread = background.thread;
  const api = async (path: string, payload: Record<string, unknown>) => {
    const res = await app.inject({ method: 'POST', url: `/api/workspaces/${WORKSPACE}${path}`, headers: { authorization: `Bearer ${secretKey}` }, payload });
    if (res.statusCode !== 201) throw new Error(`POST ${path}: ${res.statusCode} ${res.body}`);
    return res.json() as { id: string };
  };
  return {
    url,
    writeKey,
    async aim(receiverUrl) {
      const target = await api('/notification-targets', { kind: 'webhook', name: 'Bench receiver', url: receiverUrl, secret: SECRET });
      await api('/followups/policies', { name: 'Leads', triggerKind: 'lead', firstContactMinutes: 60 });
      await api('/followups/rules', {
        name: 'Call new leads',
        definition: {
          trigger: { kind: 'event', event: EVENT },
          actions: [
            { type: 'create_task', title: 'Call the new lead', slaKind: 'lead' },
            { type: 'notify', target: { targetId: target.id }, message: '{{event.properties.ref}}' },
          ],
        },
      });
    },
    async afterWarmUp() {
      // The database is minutes old: a server that has run for a while has planner statistics
      // (autovacuum analyzes a table once a tenth of it changed, checking every minute). Without
      // them PostgreSQL plans the growing tables as if empty, e.g. reads a record through the
      // (workspace, kind) index instead of its primary key, 30× slower. This machine's server
      // runs with autovacuum off, so the bench analyzes once, as autovacuum would have by now.
      if (store.dialect.name !== 'postgres') return;
      const { rows } = await sql<{ autovacuum: string }>`select current_setting('autovacuum') as autovacuum`.execute(store.db);
      await sql`analyze`.execute(store.db);
      console.log(`  analyzed after the warm-up (autovacuum ${rows[0]?.autovacuum ?? '?'} on this server)`);
    },
    async tally() {
      const tasks = await store.db.selectFrom('followup_tasks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const sent = await store.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'delivered').executeTakeFirst();
      const jobs = await store.db.selectFrom('jobs').select(['queue', 'status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('last_error').as('error')]).groupBy(['queue', 'status']).execute();
      const stuck = jobs.filter((j) => j.status !== 'succeeded' && j.queue !== 'followup.rules').map((j) => `${j.queue} ${j.status} ${Number(j.n)}${j.error ? ` (${j.error})` : ''}`);
      // Where the time went, stage by stage (event time → task → notification → delivery), p50/p99 in ms.
      const rows = await store.db
        .selectFrom('followup_tasks as t')
        .innerJoin('notifications as n', (j) => j.onRef('n.workspace_id', '=', 't.workspace_id').onRef('n.task_id', '=', 't.id'))
        .select(['t.started_at', 't.created_at as task_at', 'n.created_at as notification_at', 'n.delivered_at'])
        .execute();
      const stage = (f: (r: (typeof rows)[number]) => number) => {
        const xs = rows.map(f).filter(Number.isFinite).sort((a, b) => a - b);
        return `${Math.round(quantile(xs, 0.5))}/${Math.round(quantile(xs, 0.99))}`;
      };
      const stages = `event→task ${stage((r) => Number(r.task_at) - Number(r.started_at))}, task→notification ${stage((r) => Number(r.notification_at) - Number(r.task_at))}, notification→delivered ${stage((r) => (r.delivered_at === null ? Number.NaN : Number(r.delivered_at) - Number(r.notification_at)))} ms p50/p99`;
      // Identity resolution is off the measured path, but its backlog is part of the load's truth:
      // how many leads have a customer yet (their userId placed), how many task records are placed.
      const count = async (table: 'identities' | 'profile_records' | 'source_records') => Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
      const resolved = `resolution so far: ${await count('identities')} identifiers, ${await count('profile_records')} of ${await count('source_records')} task records placed`;
      return `${Number(tasks?.n ?? 0)} tasks, ${Number(sent?.n ?? 0)} notifications delivered (${stages}); ${resolved}${stuck.length ? `; jobs not done: ${stuck.join(', ')}` : ''}`;
    },
    ...(thread ? { backgroundLoop: thread } : {}),
    ...(store.dialect.name === 'postgres' && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(new URL(dbUrl).hostname) ? { databaseCpuMs: localPostgresCpuMs } : {}),
    async close() {
      await background.stop();
      await app.close();
      await store.close();
    },
  };
}

interface BareEvent {
  event: string;
  userId: string;
  messageId: string;
  properties: { ref: string };
}

/** The ceiling: answer the batch and POST each event's signed webhook straight from the handler. */
async function bare(): Promise<Contender> {
  let forward = '';
  let n = 0;
  const app = Fastify({ bodyLimit: 1_048_576 });
  const limits = { timeoutMs: 5000, maxResponseBytes: 65_536, allowPrivateTargets: true };
  app.post('/v1/batch', async (request) => {
    const events = (request.body as { batch: BareEvent[] }).batch.filter((e) => e.event === EVENT);
    await Promise.all(
      events.map(async (e) => {
        const id = `ntf_bare_${n++}`;
        const body = JSON.stringify({ id, event: 'task.created', createdAt: new Date().toISOString(), workspaceId: WORKSPACE, taskId: null, title: 'Call new leads', text: e.properties.ref, data: { respondent: { kind: 'user_id', value: e.userId } } });
        const ts = Math.floor(Date.now() / 1000);
        const result = await postJson(forward, body, { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(SECRET, ts, body), [TIMESTAMP_HEADER]: String(ts), [EVENT_HEADER]: 'task.created', [DELIVERY_HEADER]: id }, limits);
        if (result.status !== 200) throw new Error(`receiver answered ${result.status}`);
      }),
    );
    return { success: true };
  });
  const url = await listen(app);
  return {
    url,
    writeKey: 'ec_wk_bare',
    aim: async (receiverUrl) => void (forward = receiverUrl),
    tally: async () => `${n} webhooks posted`,
    close: () => app.close(),
  };
}

/** One run: start the child (receiver first), aim the contender at it, send, read the result. */
async function measureOnce(contender: Contender, run: string): Promise<Measured> {
  const script = fileURLToPath(import.meta.url);
  const proc = spawn(process.execPath, [script, '--child'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env } });
  const lines = createInterface({ input: proc.stdout });
  const next = () => new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`generator exited ${code}`)));
  });
  const first = JSON.parse(await next()) as { receiver: string };
  await contender.aim(first.receiver);
  proc.stdin.write(`${JSON.stringify({ server: contender.url, writeKey: contender.writeKey, run } satisfies Go)}\n`);
  if (WARM_SECONDS > 0) {
    const warmed = JSON.parse(await next()) as { warmed: number; of: number };
    console.log(`  warm-up: ${warmed.warmed} of ${warmed.of} webhooks in before the measured run`);
    await contender.afterWarmUp?.();
    proc.stdin.write('measure\n');
  }
  const result = next();
  const cpuBefore = process.cpuUsage();
  const databaseBefore = contender.databaseCpuMs?.();
  const loopBefore = performance.eventLoopUtilization();
  const backgroundBefore = contender.backgroundLoop?.eventLoopUtilization();
  const measured = JSON.parse(await result) as Measured;
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time of this process (the server under test) per event: what the machine's load moves least.
  measured.serverCpuMsPerEvent = (cpu.user + cpu.system) / 1000 / measured.sent;
  const databaseAfter = contender.databaseCpuMs?.();
  if (databaseBefore !== undefined && databaseAfter !== undefined) measured.databaseCpuMsPerEvent = (databaseAfter - databaseBefore) / measured.sent;
  measured.serverLoopBusy = performance.eventLoopUtilization(loopBefore).utilization;
  if (backgroundBefore) measured.backgroundLoopBusy = contender.backgroundLoop?.eventLoopUtilization(backgroundBefore)?.utilization;
  proc.stdin.end();
  // A refused batch (e.g. 408 from a server too busy to read it in time) is reported, not hidden: its events count as not delivered.
  if (measured.failures > 0) console.log(`  ${measured.failures} batches refused; first: ${measured.firstFailure}`);
  return measured;
}

function results(target: string, ours: Measured, ceiling: Measured, oursName: string, withCeiling: boolean): Result[] {
  const bareName = 'bare: answer + POST webhook from the handler';
  const pair = (what: string, unit: string, pick: (m: Measured) => number): Result => ({
    target,
    name: `${oursName}: ${what}`,
    unit,
    value: pick(ours),
    ceiling: { name: bareName, value: pick(ceiling) },
    ratio: pick(ours) / pick(ceiling),
  });
  return [
    ...(withCeiling
      ? [
          { target, name: `${bareName}, p50 latency`, unit: 'ms', value: ceiling.p50 },
          { target, name: `${bareName}, p99 latency`, unit: 'ms', value: ceiling.p99 },
        ]
      : []),
    pair('webhooks delivered of leads sent', '%', (m) => (100 * m.delivered) / m.leads),
    pair('p50 latency (lower is better)', 'ms', (m) => m.p50),
    pair('p90 latency (lower is better)', 'ms', (m) => m.p90),
    pair('p99 latency (lower is better)', 'ms', (m) => m.p99),
    pair('max latency (lower is better)', 'ms', (m) => m.max),
    pair('p99 latency, second half of the run', 'ms', (m) => m.p99SecondHalf),
    pair('generator send lag p99 (machine load)', 'ms', (m) => m.sendLagP99),
    pair('server CPU per event (lower is better)', 'ms', (m) => m.serverCpuMsPerEvent ?? Number.NaN),
    pair('server event loop busy (lower is better)', '%', (m) => 100 * (m.serverLoopBusy ?? Number.NaN)),
    // The other half of the machine's work on PostgreSQL; the bare handler has no database.
    ...(ours.databaseCpuMsPerEvent === undefined ? [] : [{ target, name: `${oursName}: PostgreSQL CPU per event, local server (lower is better)`, unit: 'ms', value: ours.databaseCpuMsPerEvent }]),
    // Against the bare server's one loop, as the main thread's is.
    ...(ours.backgroundLoopBusy === undefined ? [] : [pair('background thread event loop busy (lower is better)', '%', (m) => 100 * (m.backgroundLoopBusy ?? m.serverLoopBusy ?? Number.NaN))]),
  ];
}

async function measure(target: string, freshDb: () => Promise<{ url: string; drop(): Promise<void> }>): Promise<Result[]> {
  const ceilingServer = await bare();
  let ceiling: Measured;
  try {
    ceiling = await measureOnce(ceilingServer, `bare-${target}`);
    console.log(`  ${target} ceiling: ${await ceilingServer.tally()}; ${JSON.stringify(ceiling)}`);
  } finally {
    await ceilingServer.close();
  }
  const variant = 'as shipped';
  const db = await freshDb();
  let ours: Measured;
  try {
    const server = await emptyChair(db.url);
    try {
      ours = await measureOnce(server, `ec-${target}`);
      console.log(`  ${target} ${variant}: ${await server.tally()}; ${JSON.stringify(ours)}`);
    } finally {
      await server.close();
    }
  } finally {
    await db.drop();
  }
  if (ours.delivered !== ours.leads || ours.duplicates > 0 || ours.badSignatures > 0) {
    console.log(`  ${target} ${variant}: ${ours.leads - ours.delivered} not delivered within ${DRAIN_MS / 1000} s of the last send, ${ours.duplicates} duplicates, ${ours.badSignatures} bad signatures`);
  }
  return results(target, ours, ceiling, `track → task → webhook at ${RATE} events/s, ${Math.round(LEAD_SHARE * 100)} % of them ${LEADS} leads`, true);
}

export const followupLatency: Benchmark = {
  name: 'followup-latency',
  description: `event in → task → signed webhook at a steady ${RATE} events/s (${Math.round(LEAD_SHARE * 100)} % leads, ${LEADS === 'new' ? 'each a new person' : 'from 1 000 known people'}) for ${SECONDS} s (open loop) after ${WARM_SECONDS} s of the same load unmeasured, against a bare answer-and-forward handler`,
  async run() {
    const out: Result[] = [];
    // EMPTYCHAIR_BENCH_SQLITE=0: PostgreSQL only.
    if (process.env.EMPTYCHAIR_BENCH_SQLITE !== '0') {
      const dir = mkdtempSync(join(tmpdir(), 'emptychair-bench-followup-'));
      try {
        let n = 0;
        out.push(...(await measure('sqlite', async () => ({ url: join(dir, `latency-${n++}.db`), drop: async () => {} }))));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const server = await pgServerOrSkip();
    if (server) {
      out.push(
        ...(await measure('postgres', () => createTempDatabase(server))),
      );
    }
    return out;
  },
};

if (process.argv[2] === '--child') {
  child().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
