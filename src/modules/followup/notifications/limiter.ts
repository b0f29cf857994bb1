/**
 * A counting semaphore for deliveries: at most `size` at once in this process, whoever starts
 * them (the job worker, the "send a test" endpoint), and at most `perKey` of them to one target.
 * A hung target holds its slots for at most the delivery timeout, and only its own share of
 * them: deliveries to other targets go on. Everything else waits in line, in order, and a freed
 * slot goes to the first in line that it can admit.
 */
interface Waiter {
  /** Arrival order across all targets: a freed slot goes to the earliest waiter it can admit. */
  seq: number;
  start(): void;
}

/** A first-in-first-out line whose take is O(1) (Array#shift copies, and a busy target's line holds thousands). */
class Line {
  private items: Waiter[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  get first(): Waiter | undefined {
    return this.items[this.head];
  }

  push(w: Waiter): void {
    this.items.push(w);
  }

  take(): Waiter | undefined {
    const w = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return w;
  }
}

export class Limiter {
  private running = 0;
  private readonly byKey = new Map<string, number>();
  /** Who waits, one line per target (a release looks at each target's first, not at everyone). */
  private readonly lines = new Map<string, Line>();
  private waiting = 0;
  private arrivals = 0;

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
    return this.waiting;
  }

  /** Run `fn` when a slot is free for `key` (its target); the slot is taken before `fn` starts. */
  async run<T>(fn: () => Promise<T>, key = ''): Promise<T> {
    // Nobody in line can be admitted (every release admits whom it can), so a newcomer that fits jumps no one.
    if (this.admits(key)) this.take(key);
    else await new Promise<void>((start) => this.enqueue(key, start));
    try {
      return await fn();
    } finally {
      this.release(key);
    }
  }

  private enqueue(key: string, start: () => void): void {
    let line = this.lines.get(key);
    if (!line) this.lines.set(key, (line = new Line()));
    line.push({ seq: this.arrivals++, start });
    this.waiting++;
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
    while (this.running < this.size) {
      // The earliest waiter among the targets that may take another slot.
      let pick: string | undefined;
      let earliest = Infinity;
      for (const [k, line] of this.lines) {
        const first = line.first as Waiter;
        if (first.seq < earliest && (this.byKey.get(k) ?? 0) < this.perKey) {
          pick = k;
          earliest = first.seq;
        }
      }
      if (pick === undefined) return;
      const line = this.lines.get(pick) as Line;
      const next = line.take() as Waiter;
      if (line.size === 0) this.lines.delete(pick);
      this.waiting--;
      this.take(pick);
      next.start();
    }
  }
}
