/**
 * Slowed retries after wrong passwords, per e-mail address (known or not, so the
 * answer says nothing about which accounts exist): three free tries, then a wait
 * that doubles from one second up to five minutes. Pure, so the policy is tested alone.
 */
const FREE_FAILURES = 3;
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;

export function retryDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - FREE_FAILURES), MAX_DELAY_MS);
}

/** Milliseconds until the next attempt is allowed (0 when allowed now). */
export function waitBeforeRetry(state: { failures: number; last_failed_at: number } | undefined, now: number): number {
  if (!state) return 0;
  return Math.max(0, state.last_failed_at + retryDelayMs(state.failures) - now);
}
