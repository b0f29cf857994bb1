/** How notifications behave on this server: limits, the SSRF stance, retries. */
import type { Logger } from '../../../platform/logger.js';
import { seededRandom, type Random } from '../../../platform/random.js';
import { DEFAULT_BACKOFF, type BackoffPolicy, type DialectName } from '../../../store/index.js';
import { Limiter } from './limiter.js';

export interface NotificationOptions {
  /**
   * Send to loopback, private and link-local addresses. Default: true on SQLite (one process,
   * one organisation: the intranet is theirs), false on PostgreSQL (the multi-process, possibly
   * multi-tenant setup, where a workspace must not reach the server's internal network).
   */
  allowPrivateTargets?: boolean;
  /** Plain http to any host; default false (http only to this machine). */
  allowHttp?: boolean;
  /** One deadline per delivery, connect to last byte read. Default 5000 ms. */
  timeoutMs?: number;
  /** Bytes of a target's answer read before the connection is dropped. Default 64 KiB. */
  maxResponseBytes?: number;
  /**
   * Deliveries at once in this process, and half of that (rounded up) to any one target.
   * Default 64 (32 a target); ignored when `limiter` is given. A delivery holds its slot for a
   * round trip to the target: eight slots carried only about a thousand webhooks a second to a
   * local receiver while the server was busy (bench/followup-latency.ts).
   */
  concurrency?: number;
  limiter?: Limiter;
  /** Attempts before a notification goes to the dead-letter list. Default 12 (about 1.5 to 3 hours). */
  maxAttempts?: number;
  /** Delays between attempts; the job queue's default (5 s doubling, at most 1 h, half jitter). */
  backoff?: Partial<BackoffPolicy>;
  /** Jitter source; seed it in tests. */
  random?: Random;
  logger?: Logger | undefined;
}

export interface NotificationSettings {
  allowPrivateTargets: boolean;
  allowHttp: boolean;
  timeoutMs: number;
  maxResponseBytes: number;
  limiter: Limiter;
  maxAttempts: number;
  backoff: BackoffPolicy;
  random: Random;
  logger: Logger | undefined;
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
export const DEFAULT_CONCURRENCY = 64;
export const DEFAULT_MAX_ATTEMPTS = 12;

/** One limiter per process (per size), shared by the worker and the HTTP routes. */
const shared = new Map<number, Limiter>();
function sharedLimiter(size: number): Limiter {
  let limiter = shared.get(size);
  if (!limiter) shared.set(size, (limiter = new Limiter(size, Math.ceil(size / 2))));
  return limiter;
}

export function notificationSettings(dialect: DialectName, options: NotificationOptions = {}): NotificationSettings {
  return {
    allowPrivateTargets: options.allowPrivateTargets ?? dialect === 'sqlite',
    allowHttp: options.allowHttp ?? false,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    limiter: options.limiter ?? sharedLimiter(options.concurrency ?? DEFAULT_CONCURRENCY),
    maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    random: options.random ?? seededRandom((Math.random() * 2 ** 32) >>> 0),
    logger: options.logger,
  };
}
