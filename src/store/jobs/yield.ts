/**
 * Between the slices of background throughput work (identity resolution catching up with an
 * import or a flood of new people): let the waiting work of this process go first. One turn of
 * the event loop lets ready callbacks run (requests, other jobs' queries); when that turn took
 * long, the process is busy with them, so the throughput work pauses and looks again, up to
 * `maxPauseMs`. Under a load that keeps the process busy, latency-bound work (ingestion, rules,
 * notifications) keeps the loop and the throughput work takes what is left (at least one slice
 * per `maxPauseMs`, so it never stops); on a quiet process it runs slice after slice.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

export interface YieldOptions {
  /** A loop turn longer than this means others are busy (default 4 ms). */
  busyMs?: number;
  /** Pause while they are (default 25 ms, a slice's length). */
  pauseMs?: number;
  /** Never pause longer than this in all (default 500 ms). */
  maxPauseMs?: number;
}

export async function yieldToForeground(options: YieldOptions = {}): Promise<void> {
  const { busyMs = 4, pauseMs = 25, maxPauseMs = 500 } = options;
  for (let paused = 0; ; paused += pauseMs) {
    const before = performance.now();
    await nextTurn();
    if (performance.now() - before < busyMs || paused >= maxPauseMs) return;
    await sleep(pauseMs);
  }
}
