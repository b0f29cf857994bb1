/**
 * In-process wake-ups: a writer says "I committed something on topic T" and whoever waits on T
 * (a log follower, the job worker) looks now instead of at its next poll. A hint only: the data
 * is in the database, and every waiter also polls, so a change made by another process (several
 * servers on one PostgreSQL) is still seen, just later. Nothing is queued: a notify with nobody
 * waiting is dropped, because the next look at the database finds the change anyway.
 */
export type ChangeTopic = 'events' | 'outbox' | 'jobs';

export class ChangeSignal {
  private readonly waiters = new Map<ChangeTopic, Set<() => void>>();
  private readonly relays = new Set<(topic: ChangeTopic) => void>();

  /**
   * After a commit: wake everyone waiting on `topic`, and pass it to the relays (another
   * thread's signal on the same database). `relayed`: it came from a relay, so it is not passed
   * back.
   */
  notify(topic: ChangeTopic, relayed = false): void {
    if (!relayed) for (const relay of this.relays) relay(topic);
    const set = this.waiters.get(topic);
    if (!set || set.size === 0) return;
    this.waiters.set(topic, new Set());
    for (const wake of set) wake();
  }

  /** Pass every local notify to `relay` until the returned function is called. */
  relayTo(relay: (topic: ChangeTopic) => void): () => void {
    this.relays.add(relay);
    return () => this.relays.delete(relay);
  }

  /** Subscribe until the returned function is called (the worker, for its whole life). */
  subscribe(topic: ChangeTopic, listener: () => void): () => void {
    let active = true;
    const arm = () => this.add(topic, fire);
    const fire = () => {
      if (!active) return;
      arm();
      listener();
    };
    arm();
    return () => {
      active = false;
      this.waiters.get(topic)?.delete(fire);
    };
  }

  /**
   * Resolve when one of `topics` changes (true), or false after `timeoutMs` or when `signal`
   * aborts, whichever comes first. Never rejects.
   */
  wait(topics: readonly ChangeTopic[], timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      if (signal?.aborted) return resolve(false);
      const finish = (changed: boolean) => {
        clearTimeout(timer);
        for (const t of topics) this.waiters.get(t)?.delete(onChange);
        signal?.removeEventListener('abort', onAbort);
        resolve(changed);
      };
      const onChange = () => finish(true);
      const onAbort = () => finish(false);
      const timer = setTimeout(onAbort, timeoutMs);
      timer.unref();
      for (const t of topics) this.add(t, onChange);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private add(topic: ChangeTopic, wake: () => void): void {
    let set = this.waiters.get(topic);
    if (!set) this.waiters.set(topic, (set = new Set()));
    set.add(wake);
  }
}
