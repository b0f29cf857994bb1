/** Time comes from an injected clock so that SLA, cohort and queue tests are exact. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Clock milliseconds that pass per real millisecond, for code that sleeps until a time on
   * this clock: 1 when absent (the system clock), 0 for a clock that moves only when told.
   */
  readonly rate?: number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to; for tests. */
export class ManualClock implements Clock {
  readonly rate = 0;
  constructor(private current: number = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export const toIso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
