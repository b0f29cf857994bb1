/**
 * The insight-home benchmark's database: a company at the size issue 7 names (1 000 000
 * customers, 20 000 000 events, 2 000 000 answers on SQLite), written straight into the tables
 * with prepared multi-row INSERTs (secondary indexes dropped during the load and built after
 * it, as bench/lib/customer-graph.ts does), then the insight rollups built from it with the
 * product's own backfill (`rebuildRollups`, timed on its own). Built once into bench/.data and
 * reused while its parameters and generator version match. A rollup added to the product after
 * a file was built (bench_meta lists the rollups it holds) is backfilled into the file on its
 * own, timed and printed, rather than generating everything again.
 *
 * Who is in it, over the two years before T_END:
 * - customers: one profile each (a user id and the billing customer's identity, a `plan`
 *   trait: free 60 %, starter 25 %, pro 10 %, team 5 %), first purchase skewed to recent months
 *   (the company grows); 30 % subscribe (five plans, four currencies, ~2.5 % cancel a month, 8 %
 *   change plan once), everyone orders (about 2.5 orders each, silent dropout after each);
 * - answers: relationship NPS (50 %), after-support CSAT attributed to one of 2 000 agents in
 *   40 teams (35 %), CES (15 %), by e-mail, link or widget, from random customers;
 * - events: page and track calls of random customers, with realistic JSON;
 * - follow-up tasks (10 % of the answers' count): half on a 24/7 one-hour policy, half on a
 *   London business-hours four-hour policy; 85 % contacted, log-normal speed.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rebuildRollups } from '../../src/modules/insight/index.js';
import { ROLLUPS } from '../../src/modules/insight/metrics/backfill.js';
import { dueAt, planOf } from '../../src/modules/followup/clock/sla.js';
import { TWENTY_FOUR_SEVEN, type Calendar } from '../../src/modules/followup/clock/calendar.js';
import { openSqlite } from '../../src/store/dialect/sqlite.js';
import { migrateToLatest, openStore } from '../../src/store/index.js';
import { Bulk, idAt, rng, Transactions } from './customer-graph.js';

export const WORKSPACE = 'ws_bench_insight';
/** Bump when what is generated changes (or the schema it is built on): cached files are then rebuilt. */
const GENERATOR_VERSION = 2;
const DAY = 86_400_000;
const MONTH = 30.44 * DAY;
/** The data ends here; the measured server's clock is frozen at it. */
export const T_END = Date.UTC(2026, 9, 1, 12);
const SPAN = 730 * DAY;
const T_START = T_END - SPAN;

export interface InsightParams {
  customers: number;
  events: number;
  answers: number;
  tasks: number;
  seed: number;
}

export interface InsightInfo {
  path: string;
  reused: boolean;
  generationSeconds: number;
  backfill: { seconds: number; responses: number; records: number };
  /** Rollups backfilled into a file built before they existed (name → seconds, tasks walked). */
  added?: Record<string, { seconds: number; tasks: number }>;
  rows: Record<string, number>;
  fileBytes: number;
}

type R = ReturnType<typeof rng>;

const PLANS = [16, 29, 54, 99, 249];
const CURRENCIES = ['USD', 'USD', 'USD', 'EUR', 'EUR', 'GBP', 'AUD'];
const TRAIT_PLANS: [string, number][] = [
  ['free', 0.6],
  ['starter', 0.25],
  ['pro', 0.1],
  ['team', 0.05],
];
export const TEAMS = 40;
export const AGENTS = 2000;
const NPS_WEIGHTS = [2, 1, 1, 2, 2, 4, 5, 9, 14, 22, 38];
const CSAT_WEIGHTS = [0, 6, 6, 10, 28, 50];
const CES_WEIGHTS = [0, 3, 4, 6, 12, 22, 28, 25];
const CHANNELS = ['email', 'email', 'email', 'link', 'widget'];

function weighted(r: R, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = r.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  return weights.length - 1;
}
const expo = (r: R, mean: number) => -Math.log(1 - r.next()) * mean;
const traitPlan = (r: R) => {
  let u = r.next();
  for (const [p, w] of TRAIT_PLANS) if ((u -= w) < 0) return p;
  return 'free';
};
/** Recent times more often: the company grows. */
const grownAt = (r: R) => Math.floor(T_START + SPAN * Math.pow(r.next(), 1 / 1.4));

function fileName(p: InsightParams): string {
  const size = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n));
  return `insight-${size(p.customers)}-${size(p.events)}ev-${size(p.answers)}ans.db`;
}

export const insightPath = (dir: string, p: InsightParams): string => `${dir}/${fileName(p)}`;

interface Meta {
  params: InsightParams;
  version: number;
  info: Omit<InsightInfo, 'path' | 'reused' | 'fileBytes'>;
  /** The rollups the file holds; absent: satisfaction and retention (files built before the SLA rollup). */
  rollups?: string[];
}

function writeMeta(path: string, meta: Meta): void {
  const { raw } = openSqlite(path);
  raw.exec('create table if not exists bench_meta (key text primary key, value text not null)');
  raw.prepare(`insert or replace into bench_meta (key, value) values ('insight', ?)`).run(JSON.stringify(meta));
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
}

/** Bring a reused file to the current schema and backfill the rollups it lacks, each timed. */
async function addMissingRollups(path: string, meta: Meta, log: (line: string) => void): Promise<Meta> {
  const held = new Set(meta.rollups ?? ['satisfaction', 'retention']);
  const missing = ROLLUPS.filter((r) => !held.has(r));
  if (missing.length === 0) return meta;
  const store = openStore(path);
  const added = { ...meta.info.added };
  try {
    await migrateToLatest(store);
    for (const what of missing) {
      log(`  ${path}: built before the ${what} rollup; backfilling it with the product backfill (rebuildRollups, only ${what})…`);
      const report = await rebuildRollups({ store, clock: { now: () => T_END } }, WORKSPACE, { only: [what] });
      log(`  backfill of the ${what} rollup: ${report.tasks.toLocaleString('en')} tasks in ${report.seconds.toFixed(1)} s`);
      added[what] = { seconds: report.seconds, tasks: report.tasks };
    }
  } finally {
    await store.close();
  }
  const next: Meta = { ...meta, info: { ...meta.info, added }, rollups: [...ROLLUPS] };
  writeMeta(path, next);
  return next;
}

function readMeta(path: string): Meta | undefined {
  if (!existsSync(path)) return undefined;
  const { raw } = openSqlite(path);
  try {
    const row = raw.prepare(`select value from bench_meta where key = 'insight'`).get() as { value: string } | undefined;
    return row ? JSON.parse(row.value) : undefined;
  } catch {
    return undefined;
  } finally {
    raw.close();
  }
}

/** The database for these parameters at `path`: reused when it matches, else built (and the rollups backfilled). */
export async function insightData(path: string, params: InsightParams, log: (line: string) => void): Promise<InsightInfo> {
  const meta = readMeta(path);
  if (meta && meta.version === GENERATOR_VERSION && JSON.stringify(meta.params) === JSON.stringify(params)) {
    const current = await addMissingRollups(path, meta, log);
    return { path, reused: true, ...current.info, fileBytes: statSync(path).size };
  }
  if (existsSync(path)) log(`${path}: built with other parameters; building again`);
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
  const started = performance.now();
  const rows = await generate(partial, params, log);
  const generationSeconds = (performance.now() - started) / 1000;

  log('  building the insight rollups with the product backfill (rebuildRollups)…');
  const store = openStore(partial);
  let lastLog = performance.now();
  const report = await rebuildRollups({ store, clock: { now: () => T_END } }, WORKSPACE, {
    onProgress: (phase, done) => {
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(`    ${phase}: ${done.toLocaleString('en')}`);
      }
    },
  });
  await store.close();
  log(`  backfill: ${report.responses.toLocaleString('en')} answers, ${report.records.toLocaleString('en')} billing records and ${report.tasks.toLocaleString('en')} follow-up tasks in ${report.seconds.toFixed(0)} s`);
  const info = { generationSeconds, backfill: { seconds: report.seconds, responses: report.responses, records: report.records }, rows };
  writeMeta(partial, { params, version: GENERATOR_VERSION, info, rollups: [...ROLLUPS] });
  renameSync(partial, path);
  return { path, reused: false, ...info, fileBytes: statSync(path).size };
}

async function generate(path: string, params: InsightParams, log: (line: string) => void): Promise<Record<string, number>> {
  const store = openStore(path);
  await migrateToLatest(store);
  await store.db.insertInto('workspaces').values({ id: WORKSPACE, name: 'Bench insight', created_at: T_START }).execute();
  await store.close();

  const { raw } = openSqlite(path);
  raw.unsafeMode(true);
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('foreign_keys = OFF');
  raw.pragma('cache_size = -1048576');
  raw.pragma('threads = 2');
  const tables = ['events', 'profiles', 'identities', 'profile_traits', 'source_records', 'survey_responses', 'followup_tasks', 'insight_answer_attribution'];
  const indexes = raw.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => '?').join(',')})`).all(...tables) as { name: string; sql: string }[];
  for (const i of indexes) raw.exec(`drop index ${i.name}`);

  const r = rng(params.seed);
  const t0 = performance.now();
  const lap = (what: string) => log(`  ${what} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  raw.exec('begin');

  // ---- customers: profiles, identities, traits, orders and subscriptions
  const profiles = new Bulk(raw, 'profiles', ['workspace_id', 'id', 'root_id', 'parent_id', 'features', 'name', 'email', 'phone', 'created_at', 'updated_at']);
  const identities = new Bulk(raw, 'identities', ['workspace_id', 'kind', 'value', 'profile_id', 'source', 'first_seen_at', 'last_seen_at']);
  const traits = new Bulk(raw, 'profile_traits', ['workspace_id', 'profile_id', 'key', 'source', 'value', 'observed_at']);
  const records = new Bulk(raw, 'source_records', ['workspace_id', 'source', 'kind', 'external_id', 'data', 'occurred_at', 'imported_at', 'updated_at']);
  for (let i = 0; i < params.customers; i++) {
    const first = grownAt(r);
    const id = idAt(r, 'prf', first);
    const customerId = `cus-${i}`;
    profiles.add(WORKSPACE, id, id, null, '{}', `Customer ${i}`, null, null, first, first);
    identities.add(WORKSPACE, 'user_id', `u-${i}`, id, 'events:key_web', first, first);
    identities.add(WORKSPACE, 'external', `billing/contact/${customerId}`, id, 'billing', first, first);
    traits.add(WORKSPACE, id, 'plan', 'billing', JSON.stringify(traitPlan(r)), first);
    const currency = CURRENCIES[r.int(CURRENCIES.length)] as string;
    if (r.chance(0.3)) {
      const start = first + Math.floor(expo(r, 10 * DAY));
      if (start < T_END) {
        let plan = r.int(PLANS.length);
        const startMrr = PLANS[plan] as number;
        const months = Math.floor(expo(r, 40));
        const cancel = start + months * MONTH + r.int(20) * DAY;
        const canceledAt = cancel < T_END ? cancel : null;
        const changes: { at: number; mrr: number }[] = [];
        const end = canceledAt ?? T_END;
        if (r.chance(0.08) && end - start > 2 * MONTH) {
          plan = Math.min(PLANS.length - 1, Math.max(0, plan + (r.chance(0.6) ? 1 : -1)));
          changes.push({ at: start + Math.floor(r.next() * (end - start)), mrr: PLANS[plan] as number });
        }
        const data = { customerId, plan: `plan-${plan}`, mrr: PLANS[plan], currency, interval: 'month', status: canceledAt === null ? 'active' : 'canceled', startedAt: start, canceledAt, startMrr, changes };
        records.add(WORKSPACE, 'billing', 'subscription', `sub-${i}`, JSON.stringify(data), start, T_END, T_END);
      }
    }
    let at = first;
    for (let n = 1; n <= 30 && at < T_END; n++) {
      records.add(WORKSPACE, 'billing', 'order', `ord-${i}-${n}`, JSON.stringify({ customerId, orderNumber: n, placedAt: at, total: 5 + r.int(20000) / 100, currency, status: r.chance(0.02) ? 'refunded' : 'paid', channel: 'web' }), at, T_END, T_END);
      if (r.chance(0.3)) break;
      at += Math.floor(expo(r, 50 * DAY));
    }
    if ((i + 1) % 250_000 === 0) lap(`${(i + 1).toLocaleString('en')} customers`);
  }

  // ---- surveys and answers (CSAT attributed to an agent and team, as the demo does)
  for (const [sid, name] of [
    ['srv_bench_nps', 'Relationship NPS'],
    ['srv_bench_csat', 'After support (CSAT)'],
    ['srv_bench_ces', 'Customer effort'],
  ]) {
    raw.prepare(`insert into surveys (workspace_id, id, name, status, definition, created_by, created_at, updated_at) values (?, ?, ?, 'active', '{}', null, ?, ?)`).run(WORKSPACE, sid, name, T_START, T_START);
  }
  const responses = new Bulk(raw, 'survey_responses', ['workspace_id', 'id', 'survey_id', 'delivery_id', 'channel', 'respondent_kind', 'respondent_value', 'respondent_key', 'language', 'answers', 'nps', 'csat', 'ces', 'complete', 'revision', 'created_at', 'updated_at']);
  const attribution = new Bulk(raw, 'insight_answer_attribution', ['workspace_id', 'response_id', 'team_id', 'agent_id', 'origin', 'created_at']);
  // Answers and events are stored as they arrive: in time order.
  const answerTimes = Float64Array.from({ length: params.answers }, () => grownAt(r)).sort();
  for (let i = 0; i < params.answers; i++) {
    const at = answerTimes[i] as number;
    const id = idAt(r, 'rsp', at);
    const user = `u-${r.int(params.customers)}`;
    const u = r.next();
    const channel = CHANNELS[r.int(CHANNELS.length)] as string;
    if (u < 0.5) {
      const s = weighted(r, NPS_WEIGHTS);
      responses.add(WORKSPACE, id, 'srv_bench_nps', `dlv_${id}`, channel, 'user_id', user, user, 'en', `{"nps":${s}}`, s, null, null, 1, 1, at, at);
    } else if (u < 0.85) {
      const s = weighted(r, CSAT_WEIGHTS);
      responses.add(WORKSPACE, id, 'srv_bench_csat', `dlv_${id}`, channel, 'user_id', user, user, 'en', `{"csat":${s}}`, null, s, null, 1, 1, at, at);
      const agent = r.int(AGENTS);
      attribution.add(WORKSPACE, id, `team-${agent % TEAMS}`, `agent-${agent}`, 'bench', at);
    } else {
      const s = weighted(r, CES_WEIGHTS);
      responses.add(WORKSPACE, id, 'srv_bench_ces', `dlv_${id}`, channel, 'user_id', user, user, 'en', `{"ces":${s}}`, null, null, s, 1, 1, at, at);
    }
  }
  lap(`${params.answers.toLocaleString('en')} answers`);

  // ---- events
  const contexts = Array.from({ length: 256 }, (_, k) => JSON.stringify({ library: { name: 'analytics.js', version: `next-1.${60 + (k % 15)}.0` }, ip: `203.0.${k}.${(k * 7) % 256}`, locale: ['en-GB', 'en-US', 'de-DE', 'fr-FR'][k % 4], userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15' }));
  const props = Array.from({ length: 1024 }, (_, k) => JSON.stringify({ product_id: `sku-${1000 + k}`, name: `${['Ethiopia', 'Colombia', 'Kenya', 'Brazil'][k % 4]} ${['250 g', '500 g', '1 kg'][k % 3]}`, price: 5 + (k % 400) / 10, currency: 'EUR' }));
  const NAMES = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed', 'Signed In', 'Home', 'Pricing', 'Product'];
  const events = new Bulk(raw, 'events', ['workspace_id', 'id', 'message_id', 'type', 'name', 'user_id', 'anonymous_id', 'source', 'properties', 'traits', 'context', 'integrations', 'timestamp', 'original_timestamp', 'sent_at', 'received_at']);
  const eventTimes = Float64Array.from({ length: params.events }, () => grownAt(r)).sort();
  for (let i = 0; i < params.events; i++) {
    const at = eventTimes[i] as number;
    const k = r.int(NAMES.length);
    events.add(WORKSPACE, idAt(r, 'evt', at), r.uuid(), k < 5 ? 'track' : 'page', NAMES[k], `u-${r.int(params.customers)}`, null, 'key_web', props[r.int(props.length)], null, contexts[r.int(contexts.length)], '{}', at, at, at, at);
    if ((i + 1) % 5_000_000 === 0) lap(`${(i + 1).toLocaleString('en')} events`);
  }

  // ---- follow-up tasks on two SLA policies
  const business: Calendar = { timeZone: 'Europe/London', hours: { mon: [['09:00', '17:30']], tue: [['09:00', '17:30']], wed: [['09:00', '17:30']], thu: [['09:00', '17:30']], fri: [['09:00', '17:30']], sat: [], sun: [] }, holidays: [] };
  const policies = [
    { id: 'sla_bench_fast', name: 'Leads within the hour', kind: 'new_lead', firstContactMs: 3_600_000, calendar: TWENTY_FOUR_SEVEN },
    { id: 'sla_bench_biz', name: 'Detractors in 4 working hours', kind: 'detractor', firstContactMs: 4 * 3_600_000, calendar: business },
  ].map((p) => ({ ...p, plan: planOf({ id: p.id, firstContactMs: p.firstContactMs, resolutionMs: null, pauseWhenWaiting: true, escalation: [] }, p.calendar) }));
  for (const p of policies) {
    raw
      .prepare(`insert into sla_policies (workspace_id, id, name, trigger_kind, first_contact_ms, resolution_ms, team_id, pause_when_waiting, escalation, created_at, updated_at) values (?, ?, ?, ?, ?, null, null, 1, '[]', ?, ?)`)
      .run(WORKSPACE, p.id, p.name, p.kind, p.firstContactMs, T_START, T_START);
  }
  const tasks = new Bulk(raw, 'followup_tasks', [
    'workspace_id', 'id', 'rule_id', 'policy_id', 'trigger_kind', 'title', 'priority', 'status', 'respondent_kind', 'respondent_value', 'customer_id', 'owner_user_id', 'team_id',
    'source_type', 'source_id', 'sla_plan', 'started_at', 'first_contact_due_at', 'resolution_due_at', 'contacted_at', 'contacted_by', 'resolved_at', 'paused_at', 'paused_ms',
    'first_breached_at', 'resolution_breached_at', 'escalation_level', 'clock_generation', 'created_at', 'updated_at',
  ]);
  const planJson = policies.map((p) => JSON.stringify(p.plan));
  // Tasks are created as triggers happen: in time order, as the table would hold them.
  const starts = Float64Array.from({ length: params.tasks }, () => grownAt(r)).sort();
  for (let i = 0; i < params.tasks; i++) {
    const started = starts[i] as number;
    const which = r.int(2);
    const p = policies[which] as (typeof policies)[number];
    const due = dueAt(p.plan, 'first_contact', { startedAt: started, pausedMs: 0 }) as number;
    const contacted = r.chance(0.85) ? started + Math.floor(Math.exp(Math.log(40 * 60_000) + 1.2 * r.normal())) : null;
    const breached = (contacted === null ? due < T_END : contacted > due) ? due : null;
    tasks.add(
      WORKSPACE, idAt(r, 'tsk', started), 'rul_bench', p.id, p.kind, 'Call back', 'normal', contacted === null ? 'open' : 'contacted', 'user_id', `u-${r.int(params.customers)}`, null, null, `team-${r.int(TEAMS)}`,
      'event', `evt_task_${i}`, planJson[which], started, due, null, contacted !== null && contacted < T_END ? contacted : null, null, null, null, 0,
      breached, null, breached === null ? 0 : 1, 0, started, started,
    );
  }
  lap(`${params.tasks.toLocaleString('en')} follow-up tasks`);

  for (const b of [profiles, identities, traits, records, responses, attribution, events, tasks]) b.flush();
  raw.exec('commit');
  Transactions.pending = 0;
  lap('rows written');
  for (const i of indexes) raw.exec(i.sql);
  lap(`${indexes.length} indexes built`);
  raw.pragma('journal_mode = WAL');
  raw.unsafeMode(false);
  raw.close();
  return {
    customers: params.customers,
    profiles: profiles.rows,
    identities: identities.rows,
    profile_traits: traits.rows,
    'orders and subscriptions': records.rows,
    survey_responses: responses.rows,
    attributions: attribution.rows,
    events: events.rows,
    followup_tasks: tasks.rows,
  };
}
