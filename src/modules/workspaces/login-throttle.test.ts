import { describe, expect, it } from 'vitest';
import { retryDelayMs, waitBeforeRetry } from './login-throttle.js';

describe('slowed login retries', () => {
  it('allows three free failures, then doubles the wait up to five minutes', () => {
    expect([0, 1, 2].map(retryDelayMs)).toEqual([0, 0, 0]);
    expect([3, 4, 5, 6].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(40)).toBe(300_000);
  });

  it('counts the wait from the last failure', () => {
    expect(waitBeforeRetry(undefined, 10_000)).toBe(0);
    expect(waitBeforeRetry({ failures: 4, last_failed_at: 10_000 }, 10_500)).toBe(1500);
    expect(waitBeforeRetry({ failures: 4, last_failed_at: 10_000 }, 12_000)).toBe(0);
  });
});
