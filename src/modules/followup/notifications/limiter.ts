/**
 * A counting semaphore for deliveries: at most `size` at once in this process, whoever starts
 * them (the job worker, the "send a test" endpoint), and at most `perKey` of them to one target.
 * A hung target holds its slots for at most the delivery timeout, and only its own share of
 * them: deliveries to other targets go on. Everything else waits in line, in order, and a freed
 * slot goes to the first in line that it can admit.
 */
interface Waiter {
  key: string;
  start(): void;
}

export class Limiter {
  private running = 0;
  private readonly byKey = new Map<string, number>();
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly size: number,
    readonly perKey: number = size,
  ) {
    for (const [name, n] of [['size', size], ['perKey', perKey]] as const) {
      if (!Number.isInteger(n) || n < 1) throw new Error(`a limiter needs a positive ${name}, got ${n}`);
    }
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Run `fn` when a slot is free for `key` (its target); the slot is taken before `fn` starts. */
  async run<T>(fn: () => Promise<T>, key = ''): Promise<T> {
    // Nobody in line can be admitted (every release admits whom it can), so a newcomer that fits jumps no one.
    if (this.admits(key)) this.take(key);
    else await new Promise<void>((start) => this.waiting.push({ key, start }));
    try {
      return await fn();
    } finally {
      this.release(key);
    }
  }

  private admits(key: string): boolean {
    return this.running < this.size && (this.byKey.get(key) ?? 0) < this.perKey;
  }

  private take(key: string): void {
    this.running++;
    this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1);
  }

  private release(key: string): void {
    this.running--;
    const left = (this.byKey.get(key) ?? 1) - 1;
    if (left === 0) this.byKey.delete(key);
    else this.byKey.set(key, left);
    for (;;) {
      const i = this.waiting.findIndex((w) => this.admits(w.key));
      if (i < 0) return;
      const [next] = this.waiting.splice(i, 1) as [Waiter];
      this.take(next.key);
      next.start();
    }
  }
}
