import { hostname } from 'node:os';
import { randomToken } from '../../platform/crypto.js';
import type { Logger } from '../../platform/logger.js';
import { seededRandom, type Random } from '../../platform/random.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { claimJobs, failAbandonedJobs } from './claim.js';
import type { JobQueue } from './queue.js';
import { completeJob, extendLease, failAttempt } from './settle.js';
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

export interface HandlerOptions<P> {
  /** Validate the payload before the handler sees it (e.g. a zod schema's parse); a throw fails the job for good. */
  parse?: (payload: unknown) => P;
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
  /** Jobs run at once by this worker. Default 4. */
  concurrency?: number;
  /** How often an idle worker looks for due jobs, in ms. Default 1000. */
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
  logger?: Logger;
}

interface Registration {
  handler: JobHandler<unknown>;
  parse?: (payload: unknown) => unknown;
}

/**
 * Polls the queue, runs due jobs with bounded concurrency, retries failures with
 * exponential backoff and jitter, extends leases of long jobs, and stops gracefully:
 * `stop()` claims nothing more and resolves once every claimed job has been settled.
 */
export class Worker {
  readonly id: string;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: Random;
  private readonly onlyRegistered: boolean;
  private readonly logger: Logger | undefined;
  private readonly handlers = new Map<string, Registration>();
  private readonly inflight = new Set<Promise<void>>();
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;
  private lastReapAt = Number.NEGATIVE_INFINITY;
  private stopping = new AbortController();

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
    this.logger = options.logger?.child({ worker: this.id });
  }

  register<P>(queue: string, handler: JobHandler<P>, options: HandlerOptions<P> = {}): this {
    if (this.handlers.has(queue)) throw new Error(`a handler for queue "${queue}" is already registered`);
    this.handlers.set(queue, { handler: handler as JobHandler<unknown>, ...(options.parse ? { parse: options.parse } : {}) });
    return this;
  }

  /** Jobs being run right now. */
  get active(): number {
    return this.inflight.size;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    this.logger?.info({ concurrency: this.concurrency, queues: [...this.handlers.keys()] }, 'job worker started');
    this.wake();
  }

  /** Stop claiming, then wait until every job this worker holds has finished and been settled. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (!this.started) return this.drain();
    this.started = false;
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
    const jobs = await this.claim(this.concurrency - this.inflight.size);
    await Promise.all(jobs.map((job) => this.execute(job)));
    return jobs.length;
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
    this.ticking = this.tick().finally(() => {
      this.ticking = undefined;
      if (!this.started) return;
      if (this.tickAgain) this.wake();
      else this.timer = setTimeout(() => this.wake(), this.pollIntervalMs);
    });
  }

  private async tick(): Promise<void> {
    try {
      do {
        this.tickAgain = false;
        await this.reap(false);
        const free = this.concurrency - this.inflight.size;
        if (free <= 0) return; // a finishing job wakes us
        const jobs = await this.claim(free);
        // Launched even if stop() was called meanwhile: they are ours now, and stop() waits for them.
        for (const job of jobs) this.launch(job);
        if (jobs.length === free) this.tickAgain = true; // the queue may hold more
      } while (this.tickAgain && this.started);
    } catch (error) {
      // The database may be away for a moment: log, and try again at the next poll.
      this.tickAgain = false;
      this.logger?.error({ err: error }, 'job worker could not claim jobs');
    }
  }

  private launch(job: Job): void {
    const run: Promise<void> = this.execute(job).finally(() => {
      this.inflight.delete(run);
      this.wake();
    });
    this.inflight.add(run);
  }

  private claim(limit: number): Promise<Job[]> {
    return claimJobs(this.queue.store, {
      workerId: this.id,
      limit,
      leaseMs: this.leaseMs,
      now: this.queue.clock.now(),
      ...(this.onlyRegistered ? { queues: [...this.handlers.keys()] } : {}),
    });
  }

  private async reap(always: boolean): Promise<void> {
    const now = this.queue.clock.now();
    if (!always && now - this.lastReapAt < this.pollIntervalMs) return;
    this.lastReapAt = now;
    const failed = await failAbandonedJobs(this.queue.store.db, now);
    if (failed > 0) this.logger?.warn({ failed }, 'failed jobs abandoned on their final attempt');
  }

  /** Run one claimed job and settle it. Never rejects: a settle that fails leaves the lease to expire. */
  private async execute(job: Job): Promise<void> {
    const db = this.queue.store.db;
    const clock = this.queue.clock;
    const log = this.logger?.child({ job: job.id, queue: job.queue, attempt: job.attempts });
    const registration = this.handlers.get(job.queue);
    try {
      if (!registration) {
        const error = new PermanentJobError(`no handler registered for queue "${job.queue}"`);
        log?.error({ err: error }, 'job failed: unknown queue');
        await failAttempt(db, job, error, clock.now(), null);
        return;
      }
      const controller = new AbortController();
      const heartbeat = setInterval(() => {
        const now = clock.now();
        extendLease(db, job, now + this.leaseMs, now).then(
          (held) => {
            if (!held && !controller.signal.aborted) controller.abort(new Error('job lease lost'));
          },
          (error: unknown) => log?.warn({ err: error }, 'could not extend job lease'),
        );
      }, Math.max(1, Math.floor(this.leaseMs / 3)));
      heartbeat.unref();
      let outcome: { ok: true } | { ok: false; error: unknown };
      try {
        let payload: unknown = job.payload;
        if (registration.parse) {
          try {
            payload = registration.parse(job.payload);
          } catch (error) {
            throw new PermanentJobError(`invalid payload: ${error instanceof Error ? error.message : String(error)}`, {
              cause: error,
            });
          }
        }
        await registration.handler({ ...job, payload }, { workerId: this.id, signal: controller.signal, stopping: this.stopping.signal });
        outcome = { ok: true };
      } catch (error) {
        outcome = { ok: false, error };
      } finally {
        clearInterval(heartbeat);
      }
      const now = clock.now();
      if (outcome.ok) {
        const held = await completeJob(db, job, now);
        if (held) log?.debug('job succeeded');
        else log?.warn('job finished after its lease was lost; another claim owns it now');
        return;
      }
      const final = outcome.error instanceof PermanentJobError || job.attempts >= job.maxAttempts;
      const retryAt = final ? null : now + backoffDelay(job.attempts, this.backoff, this.random);
      const held = await failAttempt(db, job, outcome.error, now, retryAt);
      if (!held) log?.warn({ err: outcome.error }, 'job failed after its lease was lost');
      else if (final) log?.error({ err: outcome.error }, 'job failed for good');
      else log?.warn({ err: outcome.error, retryAt }, 'job attempt failed; will retry');
    } catch (error) {
      log?.error({ err: error }, 'could not record the outcome of a job; it runs again when its lease expires');
    }
  }
}
