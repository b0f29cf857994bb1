/**
 * A per-key limit in one process (fixed one-minute windows): a token may submit this many
 * times a minute. Per-IP limits are @fastify/rate-limit's; this one keys on what the IP
 * limit cannot see, the token, so that one leaked link cannot be hammered from many addresses.
 */
import type { Clock } from '../../../platform/clock.js';

export class KeyThrottle {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly perMinute: number,
  ) {}

  /** Count one use of `key`; false once it is over its limit for this minute. */
  take(key: string): boolean {
    const window = Math.floor(this.clock.now() / 60_000);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n <= this.perMinute;
  }

  /** Seconds until the current window ends. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(((this.window + 1) * 60_000 - this.clock.now()) / 1000));
  }
}
