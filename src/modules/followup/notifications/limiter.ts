/**
 * A counting semaphore: at most `size` deliveries at once in this process, whoever starts them
 * (the job worker, the "send a test" endpoint). A hung target holds one slot, for at most the
 * delivery timeout; everything else waits in line, in order.
 */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a limiter needs a positive size, got ${size}`);
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line; `running` stays the same.
      if (next) next();
      else this.running--;
    }
  }
}
