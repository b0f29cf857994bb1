/**
 * Group commit. Concurrent requests hand their writes to one committer; while a transaction
 * is committing, new writes queue up, and the next transaction takes them all. Each request
 * is answered only after the commit that holds its writes, so an acknowledgement means
 * durable, while the cost of a durable commit (an fsync) is shared by every request in it.
 *
 * When a shared commit fails, each request is retried alone, so one request that the
 * database refuses cannot fail the others.
 */
interface Waiting<Req, Out> {
  request: Req;
  resolve(outcome: Out): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions<Req> {
  /** How much of a commit's budget a request takes (rows, say); 1 when absent. */
  weight?: (request: Req) => number;
  /** A commit takes requests up to this total weight (at least one request). */
  maxWeight: number;
}

export class GroupCommit<Req, Out> {
  private queue: Waiting<Req, Out>[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  /** `commit` writes the requests in one transaction and returns one outcome per request, in order. */
  constructor(
    private readonly commit: (requests: Req[]) => Promise<Out[]>,
    private readonly options: GroupCommitOptions<Req>,
  ) {}

  write(request: Req): Promise<Out> {
    if (this.closed) return Promise.reject(new Error('the writer is closed'));
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.flushing ??= this.drainQueue();
    });
  }

  /** Wait for everything handed over so far to be committed (or failed). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
  }

  private async drainQueue(): Promise<void> {
    // Let requests that arrive in the same turn of the event loop join this commit.
    await new Promise<void>((r) => setImmediate(r));
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        try {
          const outcomes = await this.commit(group.map((w) => w.request));
          group.forEach((w, i) => w.resolve(outcomes[i] as Out));
        } catch (error) {
          if (group.length === 1) (group[0] as Waiting<Req, Out>).reject(error);
          else await this.commitEachAlone(group);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private takeGroup(): Waiting<Req, Out>[] {
    const weight = this.options.weight ?? (() => 1);
    let total = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || total + weight((this.queue[n] as Waiting<Req, Out>).request) <= this.options.maxWeight)) {
      total += weight((this.queue[n] as Waiting<Req, Out>).request);
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async commitEachAlone(group: Waiting<Req, Out>[]): Promise<void> {
    for (const w of group) {
      try {
        const [outcome] = await this.commit([w.request]);
        w.resolve(outcome as Out);
      } catch (error) {
        w.reject(error);
      }
    }
  }
}
