/**
 * Reads a batch of background work shares (a workspace's policies, teams, targets, members):
 * each read once per batch, inside the batch's transaction, and its answer reused by every item
 * of the batch. Only for what the batch itself does not change.
 */
export class BatchReads {
  private readonly answers = new Map<string, Promise<unknown>>();

  /** The answer of `load` for `key`, loaded on first use. A failed load is not kept. */
  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.answers.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.answers.set(key, p);
      p.catch(() => this.answers.delete(key));
    }
    return p;
  }
}

/** `reads.once(key, load)` when a batch shares its reads, else `load()`. */
export const readOnce = <T>(reads: BatchReads | undefined, key: string, load: () => Promise<T>): Promise<T> => (reads ? reads.once(key, load) : load());
