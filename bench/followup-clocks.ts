/**
 * followup-clocks: 100 000 open tasks whose first-contact deadlines fall evenly over ten minutes,
 * fired by the real deadline jobs (`followup.deadline`, registerDeadlines' batches) from the durable queue
 * with the real Worker, on a clock that runs SCALE times faster than real time (ScaledClock,
 * injected into the queue, the worker and the deadline step). Then, from the database: every
 * task breached exactly once (one `breached` task event and one `followup.breached` fact per
 * task, `first_breached_at` set on all, escalation level 1), no task escalated twice, no job
 * failed; and the lateness (fire time − due time) p50/p99/max, measured on the scaled clock and
 * divided by SCALE to give real milliseconds.
 *
 * On SQLite one worker fires them (one process serves SQLite). On PostgreSQL two workers in two
 * processes (this file with `--worker` is the second) claim from the same queue: exactly once
 * across processes.
 *
 * Set-up is not timed and bypasses the rule consumer: the tasks and their deadline jobs are
 * bulk-inserted (500 rows a statement) as `createTask` and `scheduleClock` would write them —
 * the plan from `planOf` (a stored policy, its calendar), the due instants from `dueAt` and
 * `stepDueAt`, the job's payload, unique key and attempts as in `scheduleClock`.
 *
 * Ceiling, in the same run, with the same clock and the same deadlines: a bare loop over an
 * in-memory sorted array that sleeps until the next deadline (setTimeout) and marks every due
 * one — the best any scheduler could do on this machine at this moment.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { dueAt, planOf, stepDueAt } from '../src/modules/followup/clock/sla.js';
import { DEADLINE_QUEUE, registerDeadlines, TASK_BREACHED, type DeadlinePayload } from '../src/modules/followup/index.js';
import { createRule } from '../src/modules/followup/rules/rule.store.js';
import { calendarOf, createPolicy } from '../src/modules/followup/teams/team.store.js';
import { newId } from '../src/platform/ids.js';
import { JobQueue, migrateToLatest, openStore, toJson, Worker, type Store } from '../src/store/index.js';
import { chunk } from './lib/measure.js';
import { createTempDatabase, pgServerOrSkip } from './lib/postgres.js';
import { realNow, ScaledClock } from './lib/scaled-clock.js';
import type { Benchmark, Result } from './lib/types.js';

const WORKSPACE = 'ws_bench';
const TASKS = Number(process.env.EMPTYCHAIR_BENCH_CLOCK_TASKS ?? 100_000);
/** How much faster than real time the clock runs. */
const SCALE = Number(process.env.EMPTYCHAIR_BENCH_CLOCK_SCALE ?? 10);
const MINUTE = 60_000;
/** The deadlines fall evenly over this much scaled time. */
const SPREAD_MS = 10 * MINUTE;
/** First-contact target of the policy. */
const TARGET_MINUTES = 60;
/** Scaled time between the start of the clock and the first deadline. */
const LEAD_MS = 10_000;
const BASE = Date.UTC(2026, 10, 30, 9);

const quantile = (sorted: ArrayLike<number>, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

// ---------------------------------------------------------------- set-up

/** The tasks and their step-1 deadline jobs, as createTask and scheduleClock write them. Returns the due instants. */
async function seed(store: Store): Promise<Float64Array> {
  await migrateToLatest(store);
  const db = store.db;
  const now = BASE - TARGET_MINUTES * MINUTE;
  await db.insertInto('workspaces').values({ id: WORKSPACE, name: 'Bench', created_at: 0 }).execute();
  const policy = await createPolicy(db, WORKSPACE, { name: 'Leads', triggerKind: 'lead', firstContactMinutes: TARGET_MINUTES, resolutionMinutes: null, teamId: null, pauseWhenWaiting: true, escalation: [] }, now);
  const rule = await createRule(db, WORKSPACE, { name: 'Call new leads', enabled: true, definition: { trigger: { kind: 'event', event: 'Lead Created' }, actions: [{ type: 'create_task', title: 'Call the lead', slaKind: 'lead' }] } }, now);
  const plan = planOf(policy, await calendarOf(db, WORKSPACE, null));
  const planJson = JSON.stringify(plan);
  const dues = new Float64Array(TASKS);
  for (const ids of chunk(Array.from({ length: TASKS }, (_, i) => i), 500)) {
    const tasks = [];
    const jobs = [];
    for (const i of ids) {
      const due = BASE + LEAD_MS + Math.floor((i * SPREAD_MS) / TASKS);
      const clock = { startedAt: due - TARGET_MINUTES * MINUTE, pausedMs: 0 };
      const id = newId('tsk', clock.startedAt);
      const firstDue = dueAt(plan, 'first_contact', clock) as number;
      dues[i] = firstDue;
      tasks.push({
        workspace_id: WORKSPACE, id, rule_id: rule.id, policy_id: policy.id, trigger_kind: 'lead', title: 'Call the lead', priority: 'normal', status: 'open',
        respondent_kind: 'user_id', respondent_value: `lead-${i}`, customer_id: null, owner_user_id: null, team_id: null, source_type: 'event', source_id: `evt_bench_${i}`,
        sla_plan: planJson, started_at: clock.startedAt, first_contact_due_at: firstDue, resolution_due_at: null, contacted_at: null, contacted_by: null, resolved_at: null,
        paused_at: null, paused_ms: 0, first_breached_at: null, resolution_breached_at: null, escalation_level: 0, clock_generation: 0, created_at: clock.startedAt, updated_at: clock.startedAt,
      });
      const payload: DeadlinePayload = { workspaceId: WORKSPACE, taskId: id, generation: 0, step: 1 };
      jobs.push({
        id: newId('job', clock.startedAt), workspace_id: WORKSPACE, queue: DEADLINE_QUEUE, payload: toJson(payload), status: 'queued', run_at: stepDueAt(plan, 1, clock),
        max_attempts: 10, unique_key: `task:${id}:g0:s1`, created_at: clock.startedAt, updated_at: clock.startedAt,
      });
    }
    await db.insertInto('followup_tasks').values(tasks).execute();
    await db.insertInto('jobs').values(jobs).execute();
  }
  if (store.dialect.name === 'postgres') await sql`analyze`.execute(db);
  return dues;
}

// ---------------------------------------------------------------- workers

interface Tally {
  ran: number;
  breached: number;
}

/** A worker for the deadline queue with registerDeadlines' batch handler, its outcomes counted. */
function deadlineWorker(store: Store, clock: ScaledClock, tally: Tally): Worker {
  const queue = new JobQueue(store, { clock });
  const worker = new Worker(queue, { onlyRegisteredQueues: true });
  registerDeadlines(worker, queue, { store, clock }, (outcome) => {
    tally.ran++;
    tally.breached += outcome.breached.length;
  });
  return worker;
}

/** In the second process: run a worker until told to stop on stdin, then print its tally. */
async function workerChild(url: string, start: number, realStart: number): Promise<void> {
  const store = openStore(url);
  const tally: Tally = { ran: 0, breached: 0 };
  const worker = deadlineWorker(store, new ScaledClock(start, SCALE, realStart), tally);
  worker.start();
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));
  await worker.stop();
  await store.close();
  process.stdout.write(`${JSON.stringify(tally)}\n`);
}

async function unfinished(store: Store): Promise<number> {
  const row = await store.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('queue', '=', DEADLINE_QUEUE).where('status', 'in', ['queued', 'running']).executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ---------------------------------------------------------------- checks

interface Checked {
  tasks: number;
  breachedOnce: number;
  breachedTwice: number;
  neverBreached: number;
  firstBreachedSet: number;
  escalatedTwice: number;
  breachFacts: number;
  failedJobs: number;
  /** Real ms, sorted. */
  lateness: Float64Array;
}

async function check(store: Store): Promise<Checked> {
  const db = store.db;
  const perTask = await db
    .selectFrom('followup_tasks as t')
    .leftJoin('task_events as e', (j) => j.onRef('e.workspace_id', '=', 't.workspace_id').onRef('e.task_id', '=', 't.id').on('e.type', '=', 'breached'))
    .select(['t.id', (eb) => eb.fn.count<number>('e.id').as('n')])
    .where('t.workspace_id', '=', WORKSPACE)
    .groupBy('t.id')
    .execute();
  const escalated = await db
    .selectFrom('task_events')
    .select(['task_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', WORKSPACE)
    .where('type', '=', 'escalated')
    .groupBy('task_id')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  const facts = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', WORKSPACE).where('topic', '=', TASK_BREACHED).executeTakeFirst();
  const failed = await db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('queue', '=', DEADLINE_QUEUE).where('status', '=', 'failed').executeTakeFirst();
  const rows = await db.selectFrom('followup_tasks').select(['first_breached_at', 'first_contact_due_at', 'escalation_level']).where('workspace_id', '=', WORKSPACE).execute();
  const late = rows.filter((r) => r.first_breached_at !== null).map((r) => (Number(r.first_breached_at) - Number(r.first_contact_due_at)) / SCALE);
  const n = (k: number) => perTask.filter((t) => Number(t.n) === k).length;
  return {
    tasks: rows.length,
    breachedOnce: n(1),
    breachedTwice: perTask.filter((t) => Number(t.n) > 1).length,
    neverBreached: n(0),
    firstBreachedSet: late.length,
    escalatedTwice: escalated.length,
    breachFacts: Number(facts?.n ?? 0),
    failedJobs: Number(failed?.n ?? 0),
    lateness: Float64Array.from(late).sort(),
  };
}

// ---------------------------------------------------------------- the ceiling

/** Sleep until the next deadline of a sorted array, mark every one that is due; lateness in real ms, sorted. */
function timerWheel(dues: Float64Array): Promise<Float64Array> {
  const clock = new ScaledClock(BASE, SCALE);
  const lateness = new Float64Array(dues.length);
  let i = 0;
  return new Promise((resolve) => {
    const step = () => {
      const now = clock.now();
      while (i < dues.length && (dues[i] as number) <= now) {
        lateness[i] = (now - (dues[i] as number)) / SCALE;
        i++;
      }
      if (i < dues.length) setTimeout(step, Math.max(0, clock.realMsUntil(dues[i] as number)));
      else resolve(lateness.sort());
    };
    step();
  });
}

// ---------------------------------------------------------------- measurement

async function measure(target: string, url: string): Promise<Result[]> {
  const store = openStore(url);
  const t0 = realNow();
  let dues: Float64Array;
  let checked: Checked;
  const tallies: Tally[] = [];
  try {
    dues = await seed(store);
    console.log(`  ${target}: ${TASKS} tasks and deadline jobs inserted in ${((realNow() - t0) / 1000).toFixed(1)} s; clock ×${SCALE}, deadlines over ${SPREAD_MS / 1000 / SCALE} s real`);
    const clock = new ScaledClock(BASE, SCALE);
    const own: Tally = { ran: 0, breached: 0 };
    tallies.push(own);
    const worker = deadlineWorker(store, clock, own);
    const other =
      store.dialect.name === 'postgres'
        ? spawn(process.execPath, [fileURLToPath(import.meta.url), '--worker', url, String(clock.start), String(clock.realStart)], { stdio: ['pipe', 'pipe', 'inherit'] })
        : undefined;
    worker.start();
    const last = dues[dues.length - 1] as number;
    const limit = realNow() + clock.realMsUntil(last) + 120_000;
    await new Promise((r) => setTimeout(r, Math.max(0, clock.realMsUntil(last))));
    while ((await unfinished(store)) > 0 && realNow() < limit) await new Promise((r) => setTimeout(r, 250));
    await worker.stop();
    if (other) {
      // The tally line, or the process's exit without one (reported, not waited on for ever: the checks below read the database).
      const line = new Promise<string | undefined>((resolve) => {
        let read = false;
        createInterface({ input: other.stdout }).once('line', (text) => {
          read = true;
          resolve(text);
        });
        // 'close' comes after the child's stdout has ended, so a tally it wrote has been read by then.
        other.once('close', (code, signal) => {
          if (read) return;
          console.log(`  ${target}: the second worker process exited (${signal ?? `code ${code}`}) without its tally`);
          resolve(undefined);
        });
      });
      other.stdin.end('stop\n');
      const tally = await line;
      if (tally) tallies.push(JSON.parse(tally) as Tally);
    }
    checked = await check(store);
  } finally {
    await store.close();
  }
  const wheel = await timerWheel(dues);
  const { lateness } = checked;
  console.log(
    `  ${target}: ${checked.tasks} tasks; breached once ${checked.breachedOnce}, twice or more ${checked.breachedTwice}, never ${checked.neverBreached}; first_breached_at set ${checked.firstBreachedSet}; escalated twice ${checked.escalatedTwice}; ${checked.breachFacts} breach facts; ${checked.failedJobs} failed jobs; jobs run per worker ${tallies.map((t) => `${t.ran} (${t.breached} breaches)`).join(' + ')}`,
  );
  const wheelName = 'bare timer wheel (sorted array + setTimeout)';
  const pair = (what: string, pick: (xs: Float64Array) => number): Result => ({
    target,
    name: `deadline jobs (${tallies.length} worker${tallies.length > 1 ? 's in 2 processes' : ''}), lateness ${what} (real ms; lower is better)`,
    unit: 'ms',
    value: pick(lateness),
    ceiling: { name: wheelName, value: pick(wheel) },
    ratio: pick(lateness) / Math.max(pick(wheel), 0.001),
  });
  return [
    { target, name: `${wheelName}, lateness p99 (real ms)`, unit: 'ms', value: quantile(wheel, 0.99) },
    { target, name: `tasks breached exactly once, of ${TASKS} (goal: all)`, unit: 'tasks', value: checked.breachedOnce },
    { target, name: 'tasks breached twice or more, or escalated twice (goal: 0)', unit: 'tasks', value: checked.breachedTwice + checked.escalatedTwice },
    { target, name: `${TASK_BREACHED} facts (goal: one per task)`, unit: 'facts', value: checked.breachFacts },
    pair('p50', (xs) => quantile(xs, 0.5)),
    pair('p99', (xs) => quantile(xs, 0.99)),
    pair('max', (xs) => quantile(xs, 1)),
  ];
}

export const followupClocks: Benchmark = {
  name: 'followup-clocks',
  description: `${TASKS} SLA deadlines over ${SPREAD_MS / MINUTE} min of a ×${SCALE} clock: each breached exactly once, lateness against a bare timer wheel`,
  async run() {
    const out: Result[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'emptychair-bench-clocks-'));
    try {
      out.push(...(await measure('sqlite', join(dir, 'clocks.db'))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const server = await pgServerOrSkip();
    if (!server) return out;
    const database = await createTempDatabase(server);
    try {
      out.push(...(await measure('postgres', database.url)));
    } finally {
      await database.drop();
    }
    return out;
  },
};

if (process.argv[2] === '--worker') {
  const [url, start, realStart] = process.argv.slice(3) as [string, string, string];
  workerChild(url, Number(start), Number(realStart)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
