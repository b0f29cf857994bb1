/**
 * insightHome: the home dashboard's API at the size issue 7 names (goal: p95 ≤ 100 ms on SQLite
 * with 1 000 000 customers, 20 000 000 events and 2 000 000 answers), on a database built once
 * into bench/.data/ by bench/lib/insight-data.ts (the rollups built there by the product's own
 * backfill, whose time is printed).
 *
 * GET /api/workspaces/:ws/insight/home?from=…&to=… for the home page's three periods (the last
 * 30 days, 90 days, 12 months), over loopback HTTP from a load generator in a second process
 * (bench/lib/load.ts), keep-alive, one request in flight: p50, p95, p99. The server's clock is
 * frozen at the data's end. Ceiling, on the same file, through the same generator, in the same
 * interleaved rounds: a bare Fastify handler that reads the same rollup rows with prepared
 * statements (two periods of daily histograms, the month rows, the retention pairs, 12 cohorts,
 * and the SLA rollup's day rows of both periods and their first week with the overdue open
 * clocks, their first-contact histograms summed and the median taken, in JS), and returns them
 * as JSON: the least any server must read for this page, without authentication, the metrics'
 * maths or the response schema.
 *
 * Printed beside the table: where the time goes in-process (the satisfaction read, the customer
 * and revenue read, the SLA rollup read; and for comparison follow-up's SLA report and
 * first-contact times, which scan the period's tasks, which the home read before the SLA
 * rollup), and the home with a segment (`plan:team`, 5 % of customers), which the rollups
 * cannot answer: over HTTP for each period, and in-process the segment's evaluation, its
 * answers and its billing items apart. A cached file built before the SLA rollup gets it backfilled (timed, printed).
 *
 * Sizes: BENCH_CUSTOMERS (default 1 000 000), BENCH_EVENTS (20 per customer), BENCH_ANSWERS (2
 * per customer), BENCH_TASKS (a tenth of the answers).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { firstContactSpeed, slaReport, speedReport } from '../src/modules/followup/index.js';
import { loadCube } from '../src/modules/insight/metrics/customers.service.js';
import { bucketStart, completeMonths, dayOf, monthOf, previousSpan, spanLength } from '../src/modules/insight/metrics/periods.js';
import { DenseHistogram } from '../src/modules/insight/metrics/sla.histogram.js';
import { SlaDays, slaSpan } from '../src/modules/insight/metrics/sla.service.js';
import { dailyHistograms, evaluateSegment, SATISFACTION_METRICS } from '../src/modules/insight/metrics/satisfaction.service.js';
import { createKey, SYSTEM_ACTOR } from '../src/modules/workspaces/index.js';
import { buildApp } from '../src/server/app.js';
import { openSqlite } from '../src/store/dialect/sqlite.js';
import { openStore } from '../src/store/index.js';
import { insightData, insightPath, T_END, WORKSPACE, type InsightInfo } from './lib/insight-data.js';
import { answerAsChild, drive, listen, runChild, send, type LoadRun } from './lib/load.js';
import type { Benchmark, Result } from './lib/types.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? CUSTOMERS * 20);
const ANSWERS = Number(process.env.BENCH_ANSWERS ?? CUSTOMERS * 2);
const TASKS = Number(process.env.BENCH_TASKS ?? Math.round(ANSWERS / 10));
const SEED = 7;
const DATA_DIR = process.env.BENCH_DATA_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../bench/.data');

const ROUNDS = 3;
/** 5 % of the customers (bench/lib/insight-data.ts). */
const SEGMENT = [{ key: 'plan', value: 'team' }];
const SEGMENT_TEXT = 'plan:team';
const REQUESTS = 200;
const SEGMENT_REQUESTS = 20;
const DAY = 86_400_000;
const PERIODS = [30, 90, 365] as const;
const clock = { now: () => T_END };

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The home page's period: the last `days` UTC days, today included (web/src/pages/home/periods.ts). */
function period(days: number): { from: string; to: string } {
  const today = Math.floor(T_END / DAY) * DAY;
  return { from: isoDay(today - (days - 1) * DAY), to: isoDay(today) };
}
const homePath = (days: number, extra = '') => {
  const p = period(days);
  return `/api/workspaces/${WORKSPACE}/insight/home?from=${p.from}&to=${p.to}${extra}`;
};

// ---------------------------------------------------------------- load generator (child)

async function generateLoad(url: string, token: string, listFile: string): Promise<LoadRun> {
  const paths = JSON.parse(readFileSync(listFile, 'utf8')) as string[];
  const headers = { authorization: `Bearer ${token}` };
  return drive(paths.length, 1, (i, agent) => send(new URL(paths[i] as string, url), agent, { method: 'GET', headers }), (i) => paths[i] as string);
}

const runGenerator = (url: string, token: string, listFile: string): Promise<LoadRun> => runChild(fileURLToPath(import.meta.url), ['--load-insight', url, token, listFile]);

// ---------------------------------------------------------------- servers

interface Server {
  url: string;
  token: string;
  close(): Promise<void>;
}

async function emptyChair(path: string): Promise<Server> {
  const store = openStore(path);
  const { token } = await createKey({ store, clock }, { workspaceId: WORKSPACE, callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'secret', name: `bench ${new Date().toISOString()}`, role: 'viewer' });
  const app = await buildApp({ store, clock, config: { bodyLimitBytes: 1_048_576, publicUrl: undefined } });
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

interface SlaDayRow {
  day: number;
  tasks: number;
  met: number;
  missed: number;
  open: number;
  contacted: number;
  contact_hist: Uint8Array;
}

/** Tasks, met %, and the median time to first contact of [fromDay, toDay), as the least the SLA section needs. */
function slaCounts(rows: SlaDayRow[], overdue: Map<number, number>, fromDay: number, toDay: number) {
  let tasks = 0;
  let met = 0;
  let missed = 0;
  const hist = new DenseHistogram();
  for (const r of rows) {
    if (r.day < fromDay || r.day >= toDay) continue;
    tasks += r.tasks;
    met += r.met;
    missed += r.missed + (overdue.get(r.day) ?? 0);
    hist.addEncoded(r.contact_hist);
  }
  return { tasks, met, missed, median: hist.quantiles().medianMs };
}

const SUMS = Array.from({ length: 11 }, (_, s) => `sum(s${s}) as s${s}`).join(', ');

async function bare(path: string): Promise<Server> {
  const { raw } = openSqlite(path);
  const days = raw.prepare(`select metric, day, ${SUMS} from insight_satisfaction_days where workspace_id = ? and metric in ('nps', 'csat', 'ces') and day >= ? and day < ? group by metric, day`);
  const months = raw.prepare('select month, currency, active, active_tail, new_customers, mrr, mrr_tail from insight_customer_months where workspace_id = ?');
  const pairs = raw.prepare('select month, lag_months, currency, retained, kept, net from insight_retention where workspace_id = ? and month between ? and ? and lag_months in (1, ?)');
  const cohorts = raw.prepare('select cohort, age, active, active_tail from insight_cohorts where workspace_id = ? and cohort between ? and ?');
  const slaDays = raw.prepare('select day, tasks, met, missed, "open", contacted, contact_hist from insight_sla_days where workspace_id = ? and day >= ? and day < ?');
  const overdue = raw.prepare('select day, count(*) as n from insight_sla_tasks where workspace_id = ? and day >= ? and day < ? and open_due_at is not null and open_due_at <= ? group by day');
  const app = Fastify({ logger: false });
  app.get('/api/workspaces/:workspaceId/insight/home', async (request) => {
    const { workspaceId } = request.params as { workspaceId: string };
    const q = request.query as { from: string; to: string };
    const from = Date.parse(`${q.from}T00:00:00Z`);
    const to = Date.parse(`${q.to}T00:00:00Z`) + DAY;
    const length = to - from;
    const span = completeMonths(from, to, T_END);
    const before = previousSpan(span);
    const [fromDay, toDay] = [dayOf(from), dayOf(to)];
    const slaFrom = Math.min(fromDay - (toDay - fromDay), dayOf(bucketStart('week', fromDay)));
    const sla = slaDays.all(workspaceId, slaFrom, toDay) as SlaDayRow[];
    const late = new Map((overdue.all(workspaceId, slaFrom, toDay, T_END) as { day: number; n: number }[]).map((r) => [r.day, r.n]));
    const weeks: ReturnType<typeof slaCounts>[] = [];
    for (let w = dayOf(bucketStart('week', fromDay)); w < toDay; w += 7) weeks.push(slaCounts(sla, late, w, w + 7));
    return {
      days: days.all(workspaceId, dayOf(from - length - 7 * DAY), dayOf(to)),
      months: months.all(workspaceId),
      pairs: pairs.all(workspaceId, Math.min(before.first, span.last - 11) - 1, span.last - 1, spanLength(span)),
      cohorts: cohorts.all(workspaceId, span.last - 11, span.last),
      sla: slaCounts(sla, late, fromDay, toDay),
      previousSla: slaCounts(sla, late, fromDay - (toDay - fromDay), fromDay),
      slaWeeks: weeks,
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

// ---------------------------------------------------------------- where the time goes (in-process)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function breakdown(path: string, log: (s: string) => void): Promise<void> {
  const store = openStore(path);
  const deps = { store, clock };
  try {
    for (const days of PERIODS) {
      const p = period(days);
      const from = Date.parse(`${p.from}T00:00:00Z`);
      const to = Date.parse(`${p.to}T00:00:00Z`) + DAY;
      const span = completeMonths(from, to, T_END);
      const time = async (work: () => Promise<unknown>) => {
        const out: number[] = [];
        for (let i = 0; i < 11; i++) {
          const t = performance.now();
          await work();
          if (i > 0) out.push(performance.now() - t);
        }
        return median(out).toFixed(1);
      };
      const satisfaction = await time(() => dailyHistograms(deps, WORKSPACE, { from: from - (to - from) - 7 * DAY, to, metrics: SATISFACTION_METRICS }));
      const customers = await time(() => loadCube(deps, WORKSPACE, undefined, { pairsFrom: Math.min(previousSpan(span).first, span.last - 11) - 1, pairsTo: span.last - 1, lags: [1, spanLength(span)], cohortsFrom: span.last - 11, cohortsTo: span.last }));
      const q = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      const previous = { from: from - (to - from), to: from };
      const rollup = await time(async () => {
        const d = await SlaDays.read(store.db, WORKSPACE, slaSpan({ from, to }, previous), T_END);
        return [d.figures(from, to), d.figures(previous.from, previous.to), d.weeks(from, to)];
      });
      const sla = await time(() => slaReport(deps, WORKSPACE, q));
      const wall = await time(() => firstContactSpeed(deps, WORKSPACE, { from, to }));
      const speed = await time(() => speedReport(deps, WORKSPACE, q));
      const n = await store.db.selectFrom('followup_tasks').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', WORKSPACE).where('started_at', '>=', from).where('started_at', '<', to).executeTakeFirstOrThrow();
      // With a segment the rollups cannot answer: the segment once, then the answers and the billing items of its customers.
      const members = await evaluateSegment(deps, WORKSPACE, SEGMENT);
      const evaluate = await time(() => evaluateSegment(deps, WORKSPACE, SEGMENT));
      const segAnswers = await time(() => dailyHistograms(deps, WORKSPACE, { from: from - (to - from) - 7 * DAY, to, metrics: SATISFACTION_METRICS, segment: members }));
      const segItems = await time(() => loadCube(deps, WORKSPACE, members, { pairsFrom: Math.min(previousSpan(span).first, span.last - 11) - 1, pairsTo: span.last - 1, lags: [1, spanLength(span)], cohortsFrom: span.last - 11, cohortsTo: span.last }));
      log(`  last ${days} days with the segment ${SEGMENT_TEXT}: evaluating it ${evaluate} ms (${[...(members?.byKind.values() ?? [])].reduce((n, l) => n + l.length, 0).toLocaleString('en')} identifiers), its answers ${segAnswers} ms, its customers' counted states and retention ${segItems} ms`);
      log(`  last ${days} days: satisfaction rollup read ${satisfaction} ms, customers/revenue rollup read ${customers} ms, SLA rollup read ${rollup} ms (both periods and the weekly trend; the home reads these three); instead of follow-up's SLA report ${sla} ms and first-contact times ${wall} ms per period (${Number(n.n).toLocaleString('en')} tasks in the period); its full speed report with working time ${speed} ms`);
    }
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------- the benchmark

function describe(info: InsightInfo, log: (s: string) => void): void {
  log(`data: ${info.path} (${(info.fileBytes / 1e9).toFixed(1)} GB), ${info.reused ? 'reused; generated' : 'generated'} in ${info.generationSeconds.toFixed(0)} s`);
  log(`rows: ${Object.entries(info.rows).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);
  const b = info.backfill;
  log(`rollups built by the product backfill in ${b.seconds.toFixed(0)} s: ${b.responses.toLocaleString('en')} answers and ${b.records.toLocaleString('en')} orders and subscriptions (${((b.responses + b.records) / b.seconds).toFixed(0)} rows/s)`);
  for (const [what, a] of Object.entries(info.added ?? {})) log(`${what} rollup backfilled into the cached file afterwards in ${a.seconds.toFixed(1)} s: ${a.tasks.toLocaleString('en')} follow-up tasks (${(a.tasks / a.seconds).toFixed(0)} tasks/s)`);
}

async function measureHttp(path: string, dir: string, log: (s: string) => void): Promise<Result[]> {
  const ours = await emptyChair(path);
  const base = await bare(path);
  const results = new Map<number, { ours: LoadRun[]; bare: LoadRun[] }>(PERIODS.map((d) => [d, { ours: [], bare: [] }]));
  try {
    const probe = await fetch(`${ours.url}${homePath(30)}`, { headers: { authorization: `Bearer ${ours.token}` } });
    const body = (await probe.json()) as { satisfaction?: { nps: { current: { n: number; value: number } } }; customers?: { current: { activeEnd: number; logoChurnPct: number } }; revenue?: { current: { nrrPct: number } | null }; sla?: { current: { tasks: number; metPct: number | null } } };
    if (probe.status !== 200 || !body.satisfaction) throw new Error(`GET home: ${probe.status} ${JSON.stringify(body).slice(0, 300)}`);
    log(`probe (last 30 days): NPS ${body.satisfaction.nps.current.value.toFixed(1)} (n ${body.satisfaction.nps.current.n}), active customers ${body.customers?.current.activeEnd}, logo churn ${body.customers?.current.logoChurnPct.toFixed(2)} %, NRR ${body.revenue?.current?.nrrPct.toFixed(1)} %, ${body.sla?.current.tasks} tasks, SLA met ${body.sla?.current.metPct?.toFixed(1)} %`);
    for (let round = 0; round <= ROUNDS; round++) {
      for (const days of PERIODS) {
        const file = join(dir, `home-${days}.json`);
        writeFileSync(file, JSON.stringify(Array.from({ length: REQUESTS }, () => homePath(days))));
        const order: ['ours' | 'bare', Server][] = round % 2 === 0 ? [['bare', base], ['ours', ours]] : [['ours', ours], ['bare', base]];
        for (const [who, server] of order) {
          const r = await runGenerator(server.url, server.token, file);
          if (round > 0) results.get(days)?.[who].push(r);
          log(`  round ${round}${round === 0 ? ' (warm-up)' : ''} last ${String(days).padStart(3)} days ${who.padEnd(4)}: p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(1)} ms, ${(r.meanBytes / 1024).toFixed(1)} KiB/response`);
        }
      }
    }
    for (const days of PERIODS) {
      const segFile = join(dir, `segment-${days}.json`);
      writeFileSync(segFile, JSON.stringify(Array.from({ length: SEGMENT_REQUESTS }, () => homePath(days, `&segment=${encodeURIComponent(SEGMENT_TEXT)}`))));
      const seg = await runGenerator(ours.url, ours.token, segFile);
      log(`  with a segment (${SEGMENT_TEXT}, 5 % of customers; read from the responses and the customers' counted states, not the rollups), last ${String(days).padStart(3)} days: p50 ${seg.p50.toFixed(0)} ms, p95 ${seg.p95.toFixed(0)} ms (${SEGMENT_REQUESTS} requests)`);
    }
  } finally {
    await ours.close();
    await base.close();
  }
  const BARE = 'bare: same rollup rows, prepared';
  const out: Result[] = [];
  for (const days of PERIODS) {
    const got = results.get(days) as { ours: LoadRun[]; bare: LoadRun[] };
    const figure = (q: 'p50' | 'p95' | 'p99', goal = ''): Result => ({
      target: 'sqlite',
      name: `GET insight/home ${q}, last ${days} days, 1 in flight${goal}`,
      unit: 'ms',
      value: median(got.ours.map((r) => r[q])),
      ceiling: { name: `${BARE}, ${q}`, value: median(got.bare.map((r) => r[q])) },
      ratio: median(got.ours.map((r, i) => r[q] / (got.bare[i] as LoadRun)[q])),
    });
    out.push(figure('p50'), figure('p95', ' (goal ≤ 100 ms)'), figure('p99'));
  }
  return out;
}

export const insightHome: Benchmark = {
  name: 'insight-home',
  description: `GET insight/home latency on ${CUSTOMERS.toLocaleString('en')} customers, ${EVENTS.toLocaleString('en')} events and ${ANSWERS.toLocaleString('en')} answers (SQLite), against a bare handler reading the same rows`,
  async run() {
    const log = (s: string) => console.log(s);
    log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
    const params = { customers: CUSTOMERS, events: EVENTS, answers: ANSWERS, tasks: TASKS, seed: SEED };
    const info = await insightData(insightPath(DATA_DIR, params), params, log);
    describe(info, log);
    const { raw } = openSqlite(info.path);
    const rollupRows = ['insight_satisfaction_days', 'insight_satisfaction_people_days', 'insight_customer_months', 'insight_retention', 'insight_cohorts', 'insight_customers', 'insight_sla_days', 'insight_sla_tasks'].map(
      (t) => `${t} ${(raw.prepare(`select count(*) as n from ${t} where workspace_id = ?`).get(WORKSPACE) as { n: number }).n.toLocaleString('en')}`,
    );
    raw.close();
    log(`rollup rows: ${rollupRows.join(', ')}; months of history ${monthOf(T_END) - monthOf(T_END - 730 * DAY) + 1}`);
    log('\nwhere the time goes (in-process, median of 10):');
    await breakdown(info.path, log);
    const dir = mkdtempSync(join(tmpdir(), 'emptychair-bench-insight-'));
    try {
      log('\nGET /api/workspaces/:ws/insight/home');
      const results = await measureHttp(info.path, dir, log);
      log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(', ')}\n`);
      return results;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

if (process.argv[2] === '--load-insight') {
  const [url, token, listFile] = process.argv.slice(3) as [string, string, string];
  answerAsChild(generateLoad(url, token, listFile));
}
