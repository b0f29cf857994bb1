import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../platform/random.js';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from baseMs and stops at maxMs without jitter', () => {
    const policy = { baseMs: 1000, maxMs: 10_000, jitter: 0 };
    const random = seededRandom(1);
    expect([1, 2, 3, 4, 5, 6, 60].map((n) => backoffDelay(n, policy, random))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
  });

  it('draws jittered delays from [d·(1-jitter), d], reproducibly for a seed', () => {
    const policy = { baseMs: 1000, maxMs: 60_000, jitter: 0.5 };
    const first = seededRandom(42);
    const delays = Array.from({ length: 200 }, () => backoffDelay(3, policy, first));
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
    // Spread out, not one value: jobs that failed together retry apart.
    expect(new Set(delays).size).toBeGreaterThan(100);
    const again = seededRandom(42);
    expect(Array.from({ length: 200 }, () => backoffDelay(3, policy, again))).toEqual(delays);
  });
});
