import type { Random } from '../../platform/random.js';

export interface BackoffPolicy {
  /** Delay before the second attempt, in ms. */
  baseMs: number;
  /** No delay exceeds this, in ms. */
  maxMs: number;
  /**
   * Share of the delay that is random, in [0, 1]: 0 is plain exponential, 0.5 draws
   * each delay uniformly from [d/2, d]. Jitter spreads out jobs that failed together
   * (a downstream outage) so that they do not all retry in the same instant.
   */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 60 * 60_000, jitter: 0.5 };

/**
 * Delay before the next attempt after `failedAttempts` failures (1 for the first):
 * min(maxMs, baseMs · 2^(failedAttempts-1)), of which a `jitter` share is random.
 * Pure; with a seeded Random it is exact.
 */
export function backoffDelay(failedAttempts: number, policy: BackoffPolicy, random: Random): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const full = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 52));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(full * (1 - jitter * random.next()));
}
