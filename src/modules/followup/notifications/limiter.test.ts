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

/** Deliveries that record when they start and run until released by name. */
function deliveries(limiter: Limiter) {
  const started: string[] = [];
  const releases = new Map<string, () => void>();
  const task = (key: string, name: string) =>
    limiter.run(async () => {
      started.push(name);
      await new Promise<void>((r) => releases.set(name, r));
    }, key);
  return { started, releases, task };
}

describe('Limiter per target', () => {
  it('lets one target hold at most `perKey` slots while deliveries to other targets go on', async () => {
    const limiter = new Limiter(4, 2);
    const { started, releases, task } = deliveries(limiter);
    // A hung target: four deliveries queued for it, then one for another target.
    const all = [task('hung', 'h1'), task('hung', 'h2'), task('hung', 'h3'), task('hung', 'h4'), task('other', 'o1')];
    await new Promise((r) => setTimeout(r, 1));
    expect(started).toEqual(['h1', 'h2', 'o1']);
    expect(limiter.active).toBe(3);
    expect(limiter.queued).toBe(2);
    // The other target finishing frees a slot, but not one the hung target may take.
    releases.get('o1')?.();
    await new Promise((r) => setTimeout(r, 1));
    expect(started).toEqual(['h1', 'h2', 'o1']);
    // One of the hung target's own slots freeing lets its next delivery in, in order.
    releases.get('h1')?.();
    await new Promise((r) => setTimeout(r, 1));
    expect(started).toEqual(['h1', 'h2', 'o1', 'h3']);
    for (const name of ['h2', 'h3']) releases.get(name)?.();
    await new Promise((r) => setTimeout(r, 1));
    releases.get('h4')?.();
    await Promise.all(all);
    expect(started).toEqual(['h1', 'h2', 'o1', 'h3', 'h4']);
    expect(limiter.active).toBe(0);
    expect(limiter.queued).toBe(0);
  });

  it('gives a freed slot to the earliest waiter it can admit, across targets, through a long line', async () => {
    const limiter = new Limiter(2, 1);
    const { started, releases, task } = deliveries(limiter);
    // a1 and b1 run; then a line of 3 000 for a, with c1 arriving after the first of them.
    const all = [task('a', 'a1'), task('b', 'b1'), task('a', 'a2'), task('c', 'c1')];
    for (let i = 3; i <= 3000; i++) all.push(task('a', `a${i}`));
    await new Promise((r) => setTimeout(r, 1));
    expect(limiter.queued).toBe(3000);
    // b's slot frees: a may not take it (a1 holds a's one slot), so c1 does, ahead of a's line.
    releases.get('b1')?.();
    await new Promise((r) => setTimeout(r, 1));
    expect(started).toEqual(['a1', 'b1', 'c1']);
    // Then a's line runs in order, one at a time.
    for (let i = 1; i < 3000; i++) {
      releases.get(`a${i}`)?.();
      await new Promise((r) => setImmediate(r));
    }
    releases.get('c1')?.();
    releases.get('a3000')?.();
    await Promise.all(all);
    expect(started.filter((n) => n.startsWith('a'))).toEqual(Array.from({ length: 3000 }, (_, i) => `a${i + 1}`));
    expect(limiter.active).toBe(0);
    expect(limiter.queued).toBe(0);
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() => new Limiter(0)).toThrow(/positive size/);
    expect(() => new Limiter(4, 1.5)).toThrow(/positive perKey/);
  });
});
