import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.js';

describe('Limiter', () => {
  it('runs at most `size` tasks at once, the rest in order as slots free up, also after failures', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = Array.from({ length: 5 }, (_, i) =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        await new Promise<void>((r) => releases.push(r));
        running--;
        if (i === 1) throw new Error('boom');
        return i;
      }).then(
        () => 'fulfilled',
        () => 'rejected',
      ),
    );
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 1));
      expect(limiter.active).toBeLessThanOrEqual(2);
      releases.shift()?.();
    }
    const results = await Promise.all(tasks);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(results).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(limiter.active).toBe(0);
    expect(limiter.queued).toBe(0);
  });
});
