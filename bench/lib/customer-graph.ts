/**
 * A large, realistic identity graph for the customer-360 benchmark, written straight into
 * SQLite (prepared multi-row INSERTs in big transactions, secondary indexes dropped during
 * the load and built again after it) rather than through the resolver, which would take
 * hours at this size. What it writes is what resolution would have written for the same
 * people and events: the same tables, keys, normalised identifiers, search terms and
 * blocking keys (computed with the module's own pure functions).
 *
 * The file is built once and reused while its recorded parameters match.
 *
 * Who is in it (shares of `profiles`, each a row of `profiles`):
 * - 75 % app customers: userId, one or two anonymousIds (more devices the more active),
 *   e-mail, often a phone, identify traits; 30 % of them also a CRM contact (more traits,
 *   an account for some). Events: log-normal (σ = 1.6) activity, so most people have a few
 *   events and some have thousands; 15 % of their events are anonymous (before login).
 * - 10 % CRM-only contacts (never used the app): external id, e-mail, phone; no events.
 * - 10 % anonymous visitors (one anonymousId, a few page views, never identified).
 * - 5 % anonymous leaves already merged into an app customer (profile_merges, a tree of two).
 * Silo records: orders (about 2 per app customer, more for active ones), support tickets,
 * contacts and accounts, each linked through profile_records. 1 % of customers have an
 * open merge suggestion. The events cursor of resolution is at the last event.
 *
 * A side table `bench_people` (not read by the product) remembers who is who, for
 * sampling requests and making up new events.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import { comparable } from '../../src/modules/customers/matcher.js';
import { createMatcher, normaliseEmail, normalisePhone } from '../../src/modules/customers/index.js';
import { isPlaceholder, type Identifier } from '../../src/modules/customers/identifiers.js';
import { syntheticRecords } from '../../src/modules/customers/matching/synthetic.js';
import type { PersonFields } from '../../src/modules/customers/matching/types.js';
import { displayName, termsFor } from '../../src/modules/customers/terms.js';
import { idFloor, type IdPrefix } from '../../src/platform/ids.js';
import { seededRandom, type Random } from '../../src/platform/random.js';
import { openSqlite } from '../../src/store/dialect/sqlite.js';
import { migrateToLatest, openStore } from '../../src/store/index.js';

export const WORKSPACE = 'ws_bench';
/** Bump when what is generated changes: cached files with another version are rebuilt. */
const GENERATOR_VERSION = 1;
const DAY = 86_400_000;
/** Events span the year before this instant. */
export const T_END = Date.UTC(2026, 9, 1);
const SPAN = 365 * DAY;
const T_START = T_END - SPAN;
export const SOURCE_KEY = 'key_web';
export const EVENT_SOURCE = `events:${SOURCE_KEY}`;

export interface GraphParams {
  profiles: number;
  events: number;
  seed: number;
}

export interface GraphInfo {
  path: string;
  params: GraphParams;
  reused: boolean;
  generationSeconds: number;
  /** Rows per table, as generated. */
  rows: Record<string, number>;
  /** Events per app customer at these quantiles. */
  eventsPerCustomer: { p50: number; p90: number; p99: number; max: number };
  fileBytes: number;
}

// ---------------------------------------------------------------- randomness

class Rng {
  constructor(private readonly r: Random) {}
  next(): number {
    return this.r.next();
  }
  int(n: number): number {
    return Math.floor(this.r.next() * n);
  }
  chance(p: number): boolean {
    return this.r.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  normal(): number {
    const u = 1 - this.r.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.r.next());
  }
  /** `n` characters of the id alphabet (Crockford base32, as platform/ids). */
  idChars(n: number): string {
    const A = '0123456789abcdefghjkmnpqrstvwxyz';
    let out = '';
    while (out.length < n) {
      let x = (this.r.next() * 1073741824) >>> 0; // 30 bits = 6 chars
      for (let i = 0; i < 6 && out.length < n; i++, x >>>= 5) out += A[x & 31];
    }
    return out;
  }
  uuid(): string {
    const h = () => ((this.r.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    const [a, b, c, d] = [h(), h(), h(), h()];
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${'89ab'[this.int(4)]}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
  }
}

export const rng = (seed: number) => new Rng(seededRandom(seed));

/** An id as `newId` makes them (`prefix_` + time + 16 random chars), from the seeded source. */
export const idAt = (r: Rng, prefix: IdPrefix, ms: number) => `${idFloor(prefix, ms)}${r.idChars(16)}`;

// ---------------------------------------------------------------- bulk writing

/** Rows buffered into multi-row INSERTs of `perStatement` rows; commits every `perTxn` rows. */
export class Bulk {
  private readonly values: unknown[] = [];
  private readonly full: BetterSqlite3.Statement;
  rows = 0;
  ms = 0;
  constructor(
    private readonly raw: BetterSqlite3.Database,
    readonly table: string,
    private readonly columns: readonly string[],
    private readonly perStatement = 500,
  ) {
    this.full = raw.prepare(this.sql(perStatement));
  }
  private sql(n: number): string {
    const tuple = `(${this.columns.map(() => '?').join(',')})`;
    return `insert into ${this.table} (${this.columns.join(',')}) values ${Array.from({ length: n }, () => tuple).join(',')}`;
  }
  add(...row: unknown[]): void {
    for (const v of row) this.values.push(v);
    this.rows++;
    if (this.values.length === this.perStatement * this.columns.length) {
      const t = performance.now();
      this.full.run(this.values);
      this.values.length = 0;
      Transactions.tick(this.raw, this.perStatement);
      this.ms += performance.now() - t;
    }
  }
  flush(): void {
    if (this.values.length === 0) return;
    this.raw.prepare(this.sql(this.values.length / this.columns.length)).run(this.values);
    this.values.length = 0;
  }
}

export const Transactions = {
  pending: 0,
  tick(raw: BetterSqlite3.Database, rows: number) {
    this.pending += rows;
    if (this.pending >= 200_000) {
      raw.exec('commit; begin');
      this.pending = 0;
    }
  },
};

// ---------------------------------------------------------------- the people

type Role = 'app' | 'crm' | 'visitor' | 'leaf';

interface Person {
  n: number;
  role: Role;
  id: string;
  rootId: string;
  createdAt: number;
  features: PersonFields;
  userId?: string;
  anon: string[];
  email?: string;
  phone?: string;
  crmId?: string;
  accountId?: string;
  weight: number;
  events: number;
}

const PLANS = ['free', 'free', 'starter', 'pro', 'pro', 'team'];
const STAGES = ['lead', 'prospect', 'customer', 'customer', 'customer', 'churned'];
const COMPANIES = 'Acme Globex Initech Umbrella Hooli Vandelay Stark Wayne Wonka Soylent Tyrell Cyberdyne Massive Dynamic Aperture Oscorp Gringotts Monarch Nakatomi Pied'.split(' ');
const TRACKS = ['Product Viewed', 'Product Viewed', 'Product Viewed', 'Product Added', 'Cart Viewed', 'Checkout Started', 'Order Completed', 'Products Searched', 'Signed In', 'Coupon Applied', 'Video Played', 'Feature Used'];
const PAGES = ['Home', 'Pricing', 'Product', 'Product', 'Product', 'Category', 'Blog', 'Docs', 'Account', 'Cart', 'Checkout', 'Help'];
const SUBJECTS = ['Where is my order?', 'Refund request', 'Cannot log in', 'Wrong item received', 'Change of address', 'Invoice needed', 'Subscription cancel', 'Damaged parcel'];

/** Pools of JSON, so that 20M events need no JSON.stringify each (values still vary). */
function eventPools(r: Rng) {
  const agents = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  ];
  const context = Array.from({ length: 512 }, () =>
    JSON.stringify({
      library: { name: 'analytics.js', version: `next-1.${60 + r.int(15)}.0` },
      ip: `203.0.${r.int(256)}.${r.int(256)}`,
      locale: r.pick(['en-GB', 'en-US', 'de-DE', 'fr-FR']),
      userAgent: r.pick(agents),
      timezone: r.pick(['Europe/London', 'America/New_York', 'Europe/Berlin']),
    }),
  );
  const track = Array.from({ length: 2048 }, () => {
    const sku = `sku-${1000 + r.int(9000)}`;
    return JSON.stringify({ product_id: sku, name: `${r.pick(['Ethiopia', 'Colombia', 'Kenya', 'Brazil', 'Sumatra'])} ${r.pick(['250 g', '500 g', '1 kg'])}`, price: 5 + r.int(4000) / 100, currency: r.pick(['EUR', 'GBP', 'USD']), quantity: 1 + r.int(3) });
  });
  const page = Array.from({ length: 2048 }, () => {
    const path = r.pick(['/', '/pricing', `/products/sku-${1000 + r.int(9000)}`, `/blog/post-${r.int(300)}`, '/account', '/cart', `/docs/${r.int(80)}`]);
    return JSON.stringify({ path, url: `https://shop.example.org${path}`, title: r.pick(PAGES), referrer: r.pick(['', 'https://www.google.com/', 'https://news.example.net/']) });
  });
  return { context, track, page };
}

export interface Traits {
  [k: string]: string | undefined;
}

/** The identify traits that state these person fields (what `featuresOf` reads back). */
export function traitsFor(f: PersonFields, extra: Record<string, string> = {}): Traits {
  const t: Traits = {};
  for (const [k, v] of Object.entries(f) as [keyof PersonFields, string | null | undefined][]) if (v) t[k] = v;
  return { ...t, ...extra };
}

// ---------------------------------------------------------------- generation

function fileName(params: GraphParams): string {
  const size = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n));
  return `customer360-${size(params.profiles)}${params.events === params.profiles * 20 ? '' : `-${size(params.events)}ev`}.db`;
}

export function graphPath(dir: string, params: GraphParams): string {
  return `${dir}/${fileName(params)}`;
}

function readMeta(path: string): { params: GraphParams; version: number; generationSeconds: number; rows: Record<string, number>; eventsPerCustomer: GraphInfo['eventsPerCustomer'] } | undefined {
  if (!existsSync(path)) return undefined;
  const { raw } = openSqlite(path);
  try {
    const row = raw.prepare(`select value from bench_meta where key = 'graph'`).get() as { value: string } | undefined;
    return row ? JSON.parse(row.value) : undefined;
  } catch {
    return undefined;
  } finally {
    raw.close();
  }
}

/** The graph for these parameters at `path`: reused when it exists and matches, else built. */
export async function customerGraph(path: string, params: GraphParams, log: (line: string) => void): Promise<GraphInfo> {
  const meta = readMeta(path);
  if (meta && meta.version === GENERATOR_VERSION && JSON.stringify(meta.params) === JSON.stringify(params)) {
    return { path, params, reused: true, generationSeconds: meta.generationSeconds, rows: meta.rows, eventsPerCustomer: meta.eventsPerCustomer, fileBytes: statSync(path).size };
  }
  if (existsSync(path)) log(`${path}: built with other parameters; building again`);
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`, path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  const started = performance.now();
  const { rows, eventsPerCustomer } = await generate(partial, params, log);
  const generationSeconds = (performance.now() - started) / 1000;
  const { raw } = openSqlite(partial);
  raw.prepare(`insert into bench_meta (key, value) values ('graph', ?)`).run(JSON.stringify({ params, version: GENERATOR_VERSION, generationSeconds, rows, eventsPerCustomer }));
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  renameSync(partial, path);
  return { path, params, reused: false, generationSeconds, rows, eventsPerCustomer, fileBytes: statSync(path).size };
}

async function generate(path: string, params: GraphParams, log: (line: string) => void) {
  const store = openStore(path);
  await migrateToLatest(store);
  await store.db.insertInto('workspaces').values({ id: WORKSPACE, name: 'Bench 360', created_at: T_START }).execute();
  await store.close();

  const { raw } = openSqlite(path);
  // No journal while loading (better-sqlite3 allows that only in its unsafe mode): a failed
  // build leaves a `.partial` file that the next run deletes.
  raw.unsafeMode(true);
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('foreign_keys = OFF');
  raw.pragma('cache_size = -1048576');
  raw.pragma('threads = 2');
  raw.exec(`create table bench_meta (key text primary key, value text not null)`);
  raw.exec(`create table bench_people (n integer primary key, profile_id text not null, role text not null, root_id text not null,
    user_id text, anon1 text, anon2 text, email text, crm_id text, events integer not null, used integer not null default 0)`);
  raw.exec(`create table bench_placements (workspace_id text not null, event_id text not null, profile_id text, primary key (workspace_id, event_id))`);

  // The secondary indexes go during the load and come back, identical, after it.
  const tables = ['events', 'profiles', 'identities', 'profile_traits', 'profile_records', 'source_records', 'profile_terms', 'profile_blocks', 'profile_merges', 'merge_suggestions'];
  const indexes = raw
    .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => '?').join(',')})`)
    .all(...tables) as { name: string; sql: string }[];
  for (const i of indexes) raw.exec(`drop index ${i.name}`);

  const r = rng(params.seed);
  const matcher = createMatcher();
  const P = params.profiles;
  const t0 = performance.now();
  const lap = (what: string) => log(`  ${what} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);

  // ---- people
  const people: Person[] = [];
  const appIdx: number[] = [];
  const records = syntheticRecords({ random: seededRandom(params.seed + 1), people: P, duplicateRate: 0, householdRate: 0 });
  const takenPhones = new Set<string>();
  const takenEmails = new Set<string>();
  let accounts = 0;
  for (let n = 0; n < P; n++) {
    const createdAt = T_START + Math.floor((n * SPAN * 0.9) / P);
    let role: Role;
    const u = r.next();
    role = u < 0.75 ? 'app' : u < 0.85 ? 'crm' : u < 0.95 ? 'visitor' : 'leaf';
    if (role === 'leaf' && appIdx.length === 0) role = 'visitor';
    const id = idAt(r, 'prf', createdAt);
    const p: Person = { n, role, id, rootId: id, createdAt, features: {}, anon: [], weight: 0, events: 0 };
    if (role === 'app' || role === 'crm') {
      const rec = records.next();
      const f = rec.done ? {} : rec.value.fields;
      p.features = f;
      const email = f.email ? normaliseEmail(f.email) : undefined;
      if (email && !takenEmails.has(email) && !isPlaceholder({ kind: 'email', value: email })) {
        takenEmails.add(email);
        p.email = email;
      }
      const phone = f.phone ? normalisePhone(f.phone, f.country ?? undefined) : undefined;
      if (phone && !takenPhones.has(phone) && !isPlaceholder({ kind: 'phone', value: phone })) {
        takenPhones.add(phone);
        p.phone = phone;
      }
    }
    if (role === 'app') {
      const z = r.normal();
      p.weight = Math.exp(1.6 * z);
      p.userId = `user-${(1_000_000 + n).toString(36)}`;
      p.anon.push(r.uuid());
      if (r.chance(Math.min(0.8, 0.15 + 0.12 * Math.max(0, z + 1)))) p.anon.push(r.uuid());
      if (r.chance(0.3)) p.crmId = `c-${String(n).padStart(8, '0')}`;
      appIdx.push(n);
    } else if (role === 'crm') {
      p.crmId = `c-${String(n).padStart(8, '0')}`;
    } else {
      p.anon.push(r.uuid());
      p.weight = (role === 'visitor' ? 0.15 : 0.3) * Math.exp(0.7 * r.normal());
      if (role === 'leaf') p.rootId = (people[r.pick(appIdx)] as Person).id;
    }
    if (p.crmId && r.chance(1 / 3)) p.accountId = `a-${String(Math.floor(n / 50)).padStart(7, '0')}`;
    people.push(p);
  }
  lap(`${P.toLocaleString('en')} people`);

  // ---- events, in id (= time) order
  const cumulative = new Float64Array(P);
  let total = 0;
  for (let n = 0; n < P; n++) cumulative[n] = total += (people[n] as Person).weight;
  const pools = eventPools(r);
  const eventColumns = ['workspace_id', 'id', 'message_id', 'type', 'name', 'user_id', 'anonymous_id', 'source', 'properties', 'traits', 'context', 'integrations', 'timestamp', 'original_timestamp', 'sent_at', 'received_at'];
  const events = new Bulk(raw, 'events', eventColumns, 500);
  raw.exec('begin');
  let lastEventId = '';
  const E = params.events;
  const traitCache = new Map<number, string>();
  for (let k = 0; k < E; k++) {
    const x = r.next() * total;
    let lo = 0;
    let hi = P - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    const p = people[lo] as Person;
    p.events++;
    const received = T_START + Math.floor((k * SPAN) / E) + 250;
    const ts = received - 50 - r.int(2000);
    const id = idAt(r, 'evt', received);
    lastEventId = id;
    const anon = p.anon.length > 1 && r.chance(0.4) ? (p.anon[1] as string) : (p.anon[0] as string);
    const userId = p.userId !== undefined && !r.chance(0.15) ? p.userId : null;
    let type: string;
    let name: string | null = null;
    let properties: string | null = null;
    let traits: string | null = null;
    if (userId !== null && r.chance(0.03)) {
      type = 'identify';
      let t = traitCache.get(p.n);
      if (t === undefined) {
        t = JSON.stringify(traitsFor(p.features, { plan: r.pick(PLANS) }));
        if (traitCache.size > 100_000) traitCache.clear();
        traitCache.set(p.n, t);
      }
      traits = t;
    } else if (r.chance(0.45)) {
      type = 'page';
      name = r.pick(PAGES);
      properties = pools.page[r.int(pools.page.length)] as string;
    } else {
      type = 'track';
      name = r.pick(TRACKS);
      properties = pools.track[r.int(pools.track.length)] as string;
    }
    events.add(WORKSPACE, id, r.uuid(), type, name, userId, anon, SOURCE_KEY, properties, traits, pools.context[r.int(pools.context.length)], '{}', ts, ts, ts + 20, received);
    if ((k + 1) % 2_000_000 === 0) lap(`${(k + 1).toLocaleString('en')} events`);
  }
  events.flush();
  raw.exec('commit');
  lap(`${E.toLocaleString('en')} events`);

  // ---- profiles, identities, traits, terms, blocks, merges
  raw.exec('begin');
  const profiles = new Bulk(raw, 'profiles', ['workspace_id', 'id', 'root_id', 'parent_id', 'features', 'name', 'email', 'phone', 'created_at', 'updated_at']);
  const identities = new Bulk(raw, 'identities', ['workspace_id', 'kind', 'value', 'profile_id', 'source', 'conflicts', 'shared_reason', 'first_seen_at', 'last_seen_at']);
  const traits = new Bulk(raw, 'profile_traits', ['workspace_id', 'profile_id', 'key', 'source', 'value', 'observed_at']);
  const terms = new Bulk(raw, 'profile_terms', ['workspace_id', 'term', 'profile_id']);
  const blocks = new Bulk(raw, 'profile_blocks', ['workspace_id', 'key', 'profile_id']);
  const merges = new Bulk(raw, 'profile_merges', ['workspace_id', 'id', 'survivor_id', 'absorbed_id', 'rule', 'score', 'evidence', 'actor', 'created_at', 'undone_at', 'undone_by']);
  const sources = new Bulk(raw, 'source_records', ['workspace_id', 'source', 'kind', 'external_id', 'data', 'occurred_at', 'imported_at', 'updated_at']);
  const links = new Bulk(raw, 'profile_records', ['workspace_id', 'source', 'kind', 'external_id', 'profile_id', 'occurred_at']);
  const suggestions = new Bulk(raw, 'merge_suggestions', ['workspace_id', 'id', 'profile_a', 'profile_b', 'reason', 'score', 'evidence', 'status', 'created_at', 'decided_at', 'decided_by']);
  const benchPeople = new Bulk(raw, 'bench_people', ['n', 'profile_id', 'role', 'root_id', 'user_id', 'anon1', 'anon2', 'email', 'crm_id', 'events']);
  const meanAppWeight = appIdx.reduce((s, n) => s + (people[n] as Person).weight, 0) / Math.max(1, appIdx.length);
  const accountsMade = new Set<string>();
  let orderNo = 0;
  let ticketNo = 0;
  for (const p of people) {
    const updatedAt = p.createdAt + r.int(30 * DAY);
    const lastSeen = T_END - r.int(60 * DAY);
    const ids: Identifier[] = [];
    const idSource = p.role === 'crm' ? 'crm' : EVENT_SOURCE;
    if (p.userId) ids.push({ kind: 'user_id', value: p.userId });
    if (p.crmId) ids.push({ kind: 'external', value: `crm/contact/${p.crmId}` });
    for (const a of p.anon) ids.push({ kind: 'anonymous_id', value: a });
    if (p.email) ids.push({ kind: 'email', value: p.email });
    if (p.phone) ids.push({ kind: 'phone', value: p.phone });
    for (const i of ids) identities.add(WORKSPACE, i.kind, i.value, p.id, i.kind === 'external' ? 'crm' : idSource, 0, null, p.createdAt, lastSeen);
    const f = p.features;
    const isRoot = p.rootId === p.id;
    profiles.add(
      WORKSPACE,
      p.id,
      p.rootId,
      isRoot ? null : p.rootId,
      JSON.stringify(f),
      isRoot ? displayName(f) : null,
      isRoot ? (f.email ?? p.email ?? null) : null,
      isRoot ? (f.phone ?? p.phone ?? null) : null,
      p.createdAt,
      updatedAt,
    );
    for (const t of termsFor(f, ids, (tok) => matcher.phonetic(tok))) terms.add(WORKSPACE, t, p.id);
    if (comparable(f)) for (const key of new Set(matcher.keys(f))) blocks.add(WORKSPACE, key, p.id);
    if (p.role === 'app') {
      for (const [key, value] of Object.entries(traitsFor(f, { plan: r.pick(PLANS) }))) traits.add(WORKSPACE, p.id, key, EVENT_SOURCE, JSON.stringify(value), updatedAt);
    }
    if (p.crmId) {
      const data = { email: f.email ?? null, firstName: f.firstName ?? null, lastName: f.lastName ?? null, phone: f.phone ?? null, company: r.pick(COMPANIES), country: f.country ?? null, lifecycleStage: r.pick(STAGES), accountId: p.accountId ?? null };
      const at = p.createdAt + r.int(10 * DAY);
      sources.add(WORKSPACE, 'crm', 'contact', p.crmId, JSON.stringify(data), at, at, at);
      links.add(WORKSPACE, 'crm', 'contact', p.crmId, p.id, at);
      for (const key of ['firstName', 'lastName', 'email', 'company', 'lifecycleStage', 'accountId'] as const) {
        if (data[key]) traits.add(WORKSPACE, p.id, key, 'crm', JSON.stringify(data[key]), at);
      }
      if (p.accountId && !accountsMade.has(p.accountId)) {
        accountsMade.add(p.accountId);
        accounts++;
        sources.add(WORKSPACE, 'crm', 'account', p.accountId, JSON.stringify({ name: `${r.pick(COMPANIES)} ${r.pick(['Ltd', 'GmbH', 'Inc', 'LLC'])}`, plan: r.pick(PLANS) }), at, at, at);
      }
    }
    if (p.role === 'app' || p.role === 'crm') {
      const orders = p.role === 'app' ? Math.min(200, Math.floor(-Math.log(1 - r.next()) * 2 * (p.weight / meanAppWeight) ** 0.7)) : r.chance(0.3) ? 1 : 0;
      for (let o = 0; o < orders; o++) {
        const ext = `SO-${String(++orderNo).padStart(9, '0')}`;
        const at = p.createdAt + r.int(Math.max(1, T_END - p.createdAt));
        const items = Array.from({ length: 1 + r.int(3) }, () => ({ sku: `sku-${1000 + r.int(9000)}`, qty: 1 + r.int(3), price: 5 + r.int(4000) / 100 }));
        const data = { orderNumber: ext, total: Math.round(items.reduce((s, i) => s + i.qty * i.price, 0) * 100) / 100, currency: 'EUR', status: r.chance(0.95) ? 'paid' : 'refunded', email: f.email ?? null, items };
        sources.add(WORKSPACE, 'shop', 'order', ext, JSON.stringify(data), at, at, at);
        links.add(WORKSPACE, 'shop', 'order', ext, p.id, at);
      }
      const tickets = r.chance(0.15) ? 1 + r.int(3) : 0;
      for (let t = 0; t < tickets; t++) {
        const ext = `T-${String(++ticketNo).padStart(8, '0')}`;
        const at = p.createdAt + r.int(Math.max(1, T_END - p.createdAt));
        const data = { subject: r.pick(SUBJECTS), status: r.pick(['open', 'solved', 'solved', 'closed']), priority: r.pick(['low', 'normal', 'high']), requesterEmail: f.email ?? null };
        sources.add(WORKSPACE, 'support', 'ticket', ext, JSON.stringify(data), at, at, at);
        links.add(WORKSPACE, 'support', 'ticket', ext, p.id, at);
      }
      if (p.role === 'app' && r.chance(0.01) && appIdx.length > 1) {
        const other = people[r.pick(appIdx)] as Person;
        if (other.id !== p.id) {
          const [a, b] = p.id < other.id ? [p.id, other.id] : [other.id, p.id];
          suggestions.add(WORKSPACE, idAt(r, 'sug', updatedAt), a, b, 'probabilistic', 0.7, JSON.stringify({ summary: 'match probability 70.0 % from lastName, city', pair: [a, b] }), 'open', updatedAt, null, null);
        }
      }
    }
    if (p.role === 'leaf') {
      const anon = p.anon[0] as string;
      merges.add(WORKSPACE, idAt(r, 'mrg', p.createdAt + DAY), p.rootId, p.id, 'shared-identifier', null, JSON.stringify({ summary: `both hold anonymous_id ${anon}`, identifiers: [{ kind: 'anonymous_id', value: anon }] }), 'system', p.createdAt + DAY, null, null);
    }
    benchPeople.add(p.n, p.id, p.role, p.rootId, p.userId ?? null, p.anon[0] ?? null, p.anon[1] ?? null, p.email ?? null, p.crmId ?? null, p.events);
    if ((p.n + 1) % 200_000 === 0) lap(`${(p.n + 1).toLocaleString('en')} profiles with identities, traits, terms, records`);
  }
  for (const b of [profiles, identities, traits, terms, blocks, merges, sources, links, suggestions, benchPeople]) b.flush();
  raw.prepare(`insert into consumer_cursors (workspace_id, consumer, position, updated_at) values (?, 'customers.events', ?, ?), (?, 'customers.records', '', ?)`).run(WORKSPACE, lastEventId, T_END, WORKSPACE, T_END);
  raw.exec('commit');
  lap('graph written');
  for (const b of [events, profiles, identities, traits, terms, blocks, merges, sources, links, suggestions, benchPeople]) log(`    ${b.table}: ${(b.ms / 1000).toFixed(1)} s in inserts`);

  for (const i of indexes) raw.exec(i.sql);
  lap(`${indexes.length} indexes built`);
  raw.pragma('journal_mode = WAL');
  raw.unsafeMode(false);
  raw.close();

  const counts = people.filter((p) => p.role === 'app').map((p) => p.events).sort((a, b) => a - b);
  const q = (x: number) => counts[Math.min(counts.length - 1, Math.floor(x * counts.length))] ?? 0;
  const rows: Record<string, number> = {
    profiles: profiles.rows,
    'app customers': appIdx.length,
    events: E,
    identities: identities.rows,
    profile_traits: traits.rows,
    profile_terms: terms.rows,
    profile_blocks: blocks.rows,
    profile_merges: merges.rows,
    source_records: sources.rows,
    profile_records: links.rows,
    accounts,
    merge_suggestions: suggestions.rows,
  };
  return { rows, eventsPerCustomer: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: counts[counts.length - 1] ?? 0 } };
}
