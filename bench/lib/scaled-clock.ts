import { performance } from 'node:perf_hooks';
import type { Clock } from '../../src/platform/clock.js';

/** Epoch ms with sub-millisecond precision, comparable across processes on one machine. */
export const realNow = (): number => performance.timeOrigin + performance.now();

/**
 * A clock that runs `factor` times faster than real time: at real instant `realStart` it reads
 * `start`. Two processes given the same three numbers read the same time. A scaled interval
 * divided by `factor` is the real interval.
 */
export class ScaledClock implements Clock {
  constructor(
    readonly start: number,
    readonly factor: number,
    readonly realStart: number = realNow(),
  ) {}

  get rate(): number {
    return this.factor;
  }

  now(): number {
    return Math.floor(this.start + (realNow() - this.realStart) * this.factor);
  }

  /** Real milliseconds until the scaled instant `at` (negative when it has passed). */
  realMsUntil(at: number): number {
    return (at - this.start) / this.factor - (realNow() - this.realStart);
  }
}
