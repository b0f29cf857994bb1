import { describe, expect, it } from 'vitest';
import { yieldToForeground } from './yield.js';

/** Keep the event loop busy: a timer that burns `ms` of CPU every turn, until stopped. */
function busyLoop(ms: number): () => void {
  let on = true;
  const tick = () => {
    if (!on) return;
    const until = performance.now() + ms;
    while (performance.now() < until) {
      /* others' work */
    }
    setImmediate(tick);
  };
  setImmediate(tick);
  return () => void (on = false);
}

describe('yieldToForeground', () => {
  it('returns after one turn on a quiet loop', async () => {
    const started = performance.now();
    await yieldToForeground({ busyMs: 50, pauseMs: 1000, maxPauseMs: 1000 });
    // One pause would have taken a second.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('pauses while the loop is busy with other work, and never longer than maxPauseMs', async () => {
    const stop = busyLoop(60);
    try {
      const started = performance.now();
      await yieldToForeground({ busyMs: 50, pauseMs: 100, maxPauseMs: 300 });
      const waited = performance.now() - started;
      // Four looks (after 0, 100, 200 and 300 ms of pauses) each found the loop busy.
      expect(waited).toBeGreaterThanOrEqual(300);
      expect(waited).toBeLessThan(3000);
    } finally {
      stop();
    }
  });
});
