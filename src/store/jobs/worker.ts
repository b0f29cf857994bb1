import { hostname } from 'node:os';
import { randomToken } from '../../platform/crypto.js';
import type { Logger } from '../../platform/logger.js';
import { seededRandom, type Random } from '../../platform/random.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { claimJobs, failAbandonedJobs, nextDueAfter, requeueExpiredLeases } from './claim.js';
import type { JobQueue } from './queue.js';
import { extendLease, Settler } from './settle.js';
import type { Job } from './types.js';

export interface JobContext {
  workerId: string;
  /** Aborted when this worker lost the job's lease (another worker may be running it now): stop early if you can. */
  signal: AbortSignal;
  /** Aborted when the worker is asked to stop: a long-running job should wind up and return. */
  stopping: AbortSignal;
}

/**
 * A handler runs one job. The contract: handlers MUST be idempotent. Delivery is at
 * least once: a worker can die (kill -9, power loss) after the handler's effects but
 * before the job is marked succeeded, and the job then runs again once its lease
 * expires. Key effects on something stable (the job id, a business key in the
 * payload) and make them upserts or "insert if absent". Throw to fail the attempt:
 * it is retried with backoff; throw PermanentJobError when retrying cannot help.
 */
export type JobHandler<P = unknown> = (job: Job<P>, context: JobContext) => Promise<void>;

/**
 * A batch handler runs several jobs of one queue at once (one transaction for all, say), under
 * the same contract as JobHandler. It returns one entry per job, in order: undefined when the
 * job succeeded, the error when its attempt failed; returning nothing means all succeeded, and
 * a throw fails every job's attempt.
 */
export type BatchHandler<P = unknown> = (jobs: Job<P>[], context: JobContext) => Promise<readonly unknown[] | void>;

export interface HandlerOptions<P> {
  /** Validate the payload before the handler sees it (e.g. a zod schema's parse); a throw fails the job for good. */
  parse?: (payload: unknown) => P;
  /**
   * The queue's jobs run for minutes (a log follower): the queue gets a slot of its own, so it
   * never waits behind short jobs and never keeps them waiting. One of its jobs runs at a time
   * in this worker.
   */
  longRunning?: boolean;
}

export interface BatchOptions<P> {
  parse?: (payload: unknown) => P;
  /** Jobs per batch (default 100). */
  maxBatch?: number;
}

/** Thrown by a handler when the job can never succeed: no more attempts, straight to `failed`. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

export interface WorkerOptions {
  /** Written to locked_by; default host:pid:random. */
  id?: string;
  /** Short jobs (or batches) run at once by this worker; long-running queues have slots of their own. Default 4. */
  concurrency?: number;
  /**
   * How often an idle worker looks for due jobs, in ms. Default 1000. Between looks it also
   * wakes when a job is enqueued in this process, and when the next known job falls due.
   */
  pollIntervalMs?: number;
  /** How long a claim lasts without a heartbeat, in ms; a dead worker's jobs are claimable after this. Default 60000. */
  leaseMs?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Jitter source for backoff; seed it in tests. */
  random?: Random;
  /**
   * Claim only queues that have a handler here. Default false: this worker claims every
   * queue, and a job whose queue has no handler fails visibly instead of waiting forever.
   * Set it when processes with different handler sets share one database.
   */
  onlyRegisteredQueues?: boolean;
  /** Queues another worker of this process handles (the other thread's): not claimed here, not failed as unknown. */
  handledElsewhere?: readonly string[];
  logger?: Logger;
}

type Kind = 'single' | 'batch' | 'long';

interface Registration {
  kind: Kind;
  run: BatchHandler<unknown>;
  parse?: ((payload: unknown) => unknown) | undefined;
  maxBatch: number;
}

/** Jobs claimed together and run by one handler call: one slot. */
interface Unit {
  queue: string;
  jobs: Job[];
}

const UNKNOWN: Registration = {
  kind: 'single',
  maxBatch: 1,
  run: async (jobs) => jobs.map((j) => new PermanentJobError(`no handler registered for queue "${j.queue}"`)),
};

/**
 * Polls the queue, runs due jobs with bounded concurrency, retries failures with
 * exponential backoff and jitter, extends leases of long jobs, and stops gracefully:
 * `stop()` claims nothing more and resolves once every claimed job has been settled.
 *
 * Slots: `concurrency` slots for short jobs, where a batch of a batch queue takes one slot,
 * and one slot per long-running queue. Outcomes are group-committed (settle.ts).
 */
export class Worker {
  readonly id: string;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: Random;
  private readonly onlyRegistered: boolean;
  private readonly handledElsewhere: readonly string[];
  private readonly logger: Logger | undefined;
  private readonly settler: Settler;
  private readonly handlers = new Map<string, Registration>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly runningLong = new Set<string>();
  private shortUnits = 0;
  private jobsRunning = 0;
  private rotation = 0;
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;
  private lastReapAt = Number.NEGATIVE_INFINITY;
  private stopping = new AbortController();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly queue: JobQueue,
    options: WorkerOptions = {},
  ) {
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomToken(4)}`;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
    this.pollIntervalMs = Math.max(1, options.pollIntervalMs ?? 1000);
    this.leaseMs = Math.max(1, options.leaseMs ?? 60_000);
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.random = options.random ?? seededRandom((Math.random() * 2 ** 32) >>> 0);
    this.onlyRegistered = options.onlyRegisteredQueues ?? false;
    this.handledElsewhere = options.handledElsewhere ?? [];
    this.logger = options.logger?.child({ worker: this.id });
    this.settler = new Settler(queue.store);
  }

  register<P>(queue: string, handler: JobHandler<P>, options: HandlerOptions<P> = {}): this {
    const run: BatchHandler<unknown> = async (jobs, context) => {
      for (const job of jobs) await handler(job as Job<P>, context);
    };
    return this.add(queue, { kind: options.longRunning ? 'long' : 'single', run, parse: options.parse, maxBatch: 1 });
  }

  /** Register a queue whose due jobs are claimed and handled up to `maxBatch` at a time. */
  registerBatch<P>(queue: string, handler: BatchHandler<P>, options: BatchOptions<P> = {}): this {
    const maxBatch = Math.max(1, Math.floor(options.maxBatch ?? 100));
    return this.add(queue, { kind: 'batch', run: handler as BatchHandler<unknown>, parse: options.parse, maxBatch });
  }

  private add(queue: string, registration: Registration): this {
    if (this.handlers.has(queue)) throw new Error(`a handler for queue "${queue}" is already registered`);
    this.handlers.set(queue, registration);
    return this;
  }

  /** Jobs being run right now. */
  get active(): number {
    return this.jobsRunning;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    this.unsubscribe = this.queue.store.changes.subscribe('jobs', () => this.wake());
    this.logger?.info({ concurrency: this.concurrency, queues: [...this.handlers.keys()] }, 'job worker started');
    this.wake();
  }

  /** Stop claiming, then wait until every job this worker holds has finished and been settled. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (!this.started) return this.drain();
    this.started = false;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    await this.drain();
    this.logger?.info('job worker stopped');
  }

  /**
   * One pass, for tests, scripts and benchmarks (do not mix with start()): fail abandoned
   * jobs, claim as many due jobs as there are free slots, run them, wait. Returns how many ran.
   */
  async runOnce(): Promise<number> {
    await this.reap(true);
    const units = await this.claimUnits(true);
    await Promise.all(units.map((unit) => this.execute(unit)));
    return units.reduce((n, u) => n + u.jobs.length, 0);
  }

  private async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  private wake(): void {
    if (!this.started) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.ticking = this.tick().then(
      (sleepMs) => this.afterTick(sleepMs),
      () => this.afterTick(this.pollIntervalMs),
    );
  }

  private afterTick(sleepMs: number): void {
    this.ticking = undefined;
    if (!this.started) return;
    if (this.tickAgain) this.wake();
    else this.timer = setTimeout(() => this.wake(), sleepMs);
  }

  /** Claim and launch what the free slots take; returns how long to sleep before looking again. */
  private async tick(): Promise<number> {
    try {
      do {
        this.tickAgain = false;
        const swept = await this.reap(false);
        const units = await this.claimUnits(swept);
        // Launched even if stop() was called meanwhile: they are ours now, and stop() waits for them.
        for (const unit of units) this.launch(unit);
        if (units.length > 0 && this.freeShort() > 0) this.tickAgain = true; // the queue may hold more
      } while (this.tickAgain && this.started);
      return await this.sleepMs();
    } catch (error) {
      // The database may be away for a moment: log, and try again at the next poll.
      this.tickAgain = false;
      this.logger?.error({ err: error }, 'job worker could not claim jobs');
      return this.pollIntervalMs;
    }
  }

  /** Until the next known due time (in real ms: the clock may run faster), at most one poll interval. */
  private async sleepMs(): Promise<number> {
    const clock = this.queue.clock;
    const rate = clock.rate ?? 1;
    if (rate <= 0) return this.pollIntervalMs;
    const now = clock.now();
    const next = await nextDueAfter(this.queue.store.db, now);
    if (next === undefined) return this.pollIntervalMs;
    return Math.min(this.pollIntervalMs, Math.max(1, Math.ceil((next - now) / rate)));
  }

  private freeShort(): number {
    return this.concurrency - this.shortUnits;
  }

  private launch(unit: Unit): void {
    const kind = this.handlers.get(unit.queue)?.kind ?? 'single';
    if (kind === 'long') this.runningLong.add(unit.queue);
    else this.shortUnits++;
    this.jobsRunning += unit.jobs.length;
    const run: Promise<void> = this.execute(unit).finally(() => {
      this.inflight.delete(run);
      if (kind === 'long') this.runningLong.delete(unit.queue);
      else this.shortUnits--;
      this.jobsRunning -= unit.jobs.length;
      this.wake();
    });
    this.inflight.add(run);
  }

  private claim(limit: number, scope: { queues?: readonly string[]; exceptQueues?: readonly string[] }): Promise<Job[]> {
    return claimJobs(this.queue.store, { workerId: this.id, limit, leaseMs: this.leaseMs, now: this.queue.clock.now(), ...scope });
  }

  /**
   * What the free slots take: a job for each idle long-running queue, then, taking turns from
   * one pass to the next so that none starves the others, a batch of each batch queue and
   * the single jobs of every other queue.
   */
  private async claimUnits(sweep: boolean): Promise<Unit[]> {
    const units: Unit[] = [];
    const byKind = (kind: Kind) => [...this.handlers].filter(([, r]) => r.kind === kind).map(([q]) => q);
    for (const queue of byKind('long')) {
      if (this.runningLong.has(queue) || units.some((u) => u.queue === queue)) continue;
      const [job] = await this.claim(1, { queues: [queue] });
      if (job) units.push({ queue, jobs: [job] });
    }
    const batchQueues = byKind('batch');
    const singles = { queues: byKind('single') };
    const turns: (string | null)[] = [...batchQueues, null];
    const first = this.rotation++ % turns.length;
    let free = this.freeShort();
    for (let i = 0; i < turns.length && free > 0; i++) {
      const queue = turns[(first + i) % turns.length] ?? null;
      if (queue === null) {
        for (const job of await this.claim(free, singles)) units.push({ queue: job.queue, jobs: [job] });
      } else {
        const { maxBatch } = this.handlers.get(queue) as Registration;
        // Full batches mean more may be waiting: take another while slots are free.
        for (let full = true; full && free > 0; free--) {
          const jobs = await this.claim(maxBatch, { queues: [queue] });
          if (jobs.length > 0) units.push({ queue, jobs });
          full = jobs.length === maxBatch;
        }
      }
      free = this.freeShort() - units.filter((u) => this.handlers.get(u.queue)?.kind !== 'long').length;
    }
    // Jobs of queues nobody here handles (a renamed queue, an older build's job) fail visibly.
    // That claim walks past every due job of the known queues, so it runs only with the reaper.
    if (sweep && !this.onlyRegistered && free > 0) {
      for (const job of await this.claim(free, { exceptQueues: [...this.handlers.keys(), ...this.handledElsewhere] })) units.push({ queue: job.queue, jobs: [job] });
    }
    return units;
  }

  /** Requeue expired leases and fail abandoned jobs, at most once a poll interval unless `always`; true when it ran. */
  private async reap(always: boolean): Promise<boolean> {
    const now = this.queue.clock.now();
    if (!always && now - this.lastReapAt < this.pollIntervalMs) return false;
    this.lastReapAt = now;
    const db = this.queue.store.db;
    const requeued = await requeueExpiredLeases(db, now);
    if (requeued > 0) this.logger?.warn({ requeued }, 'jobs whose lease expired are queued again');
    const failed = await failAbandonedJobs(db, now);
    if (failed > 0) this.logger?.warn({ failed }, 'failed jobs abandoned on their final attempt');
    return true;
  }

  /** Run one claimed unit and settle each of its jobs. Never rejects: a settle that fails leaves the lease to expire. */
  private async execute(unit: Unit): Promise<void> {
    const registration = this.handlers.get(unit.queue) ?? UNKNOWN;
    const outcomes = new Map<string, unknown>();
    const runnable: Job[] = [];
    for (const job of unit.jobs) {
      try {
        runnable.push(registration.parse ? { ...job, payload: registration.parse(job.payload) } : job);
      } catch (error) {
        outcomes.set(job.id, new PermanentJobError(`invalid payload: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
      }
    }
    if (runnable.length > 0) {
      const errors = await this.runHandler(registration, runnable);
      runnable.forEach((job, i) => outcomes.set(job.id, errors[i]));
    }
    await Promise.all(unit.jobs.map((job) => this.settle(job, outcomes.get(job.id))));
  }

  /** Call the handler with a heartbeat on every lease; one error (or undefined) per job. */
  private async runHandler(registration: Registration, jobs: Job[]): Promise<unknown[]> {
    const db = this.queue.store.db;
    const clock = this.queue.clock;
    const controller = new AbortController();
    const heartbeat = setInterval(() => {
      const now = clock.now();
      for (const job of jobs) {
        extendLease(db, job, now + this.leaseMs, now).then(
          (held) => {
            if (!held && !controller.signal.aborted) controller.abort(new Error('job lease lost'));
          },
          (error: unknown) => this.logger?.warn({ err: error, job: job.id }, 'could not extend job lease'),
        );
      }
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
    heartbeat.unref();
    try {
      const errors = await registration.run(jobs, { workerId: this.id, signal: controller.signal, stopping: this.stopping.signal });
      return errors ? jobs.map((_, i) => errors[i]) : jobs.map(() => undefined);
    } catch (error) {
      return jobs.map(() => error ?? new Error('job failed'));
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async settle(job: Job, error: unknown): Promise<void> {
    const log = this.logger?.child({ job: job.id, queue: job.queue, attempt: job.attempts });
    try {
      const now = this.queue.clock.now();
      if (error === undefined) {
        const held = await this.settler.settle({ kind: 'complete', claim: job, now });
        if (held) log?.debug('job succeeded');
        else log?.warn('job finished after its lease was lost; another claim owns it now');
        return;
      }
      const final = error instanceof PermanentJobError || job.attempts >= job.maxAttempts;
      const retryAt = final ? null : now + backoffDelay(job.attempts, this.backoff, this.random);
      const held = await this.settler.settle({ kind: 'fail', claim: job, error, now, retryAt });
      if (!held) log?.warn({ err: error }, 'job failed after its lease was lost');
      else if (final) log?.error({ err: error }, 'job failed for good');
      else log?.warn({ err: error, retryAt }, 'job attempt failed; will retry');
    } catch (settleError) {
      log?.error({ err: settleError }, 'could not record the outcome of a job; it runs again when its lease expires');
    }
  }
}
