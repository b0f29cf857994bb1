/**
 * Ids that only grow within this process, for time-ordered logs (events, the outbox):
 * readers take "ids after the cursor", so an id assigned later must never sort before one
 * assigned earlier. `newId` is sortable by millisecond; within one, we step the last id up
 * by one instead of drawing at random. (A commit stores hundreds of events in the same
 * millisecond: only its first id costs random bytes, the others are one increment each.)
 *
 * Across processes sharing one PostgreSQL there is no such order: each process's ids follow
 * its own clock, and a commit can land after another process's later ids were read. Followers
 * of the logs cover that with the transaction horizon (store/log-horizon.ts); the live tail of
 * the event list (ingest/event.reader.ts) with a settle window behind the newest id.
 */
import { newId, type IdPrefix } from './ids.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** The next id in base-32 order after `id` (the prefix never carries). */
function increment(id: string): string {
  for (let i = id.length - 1; i >= 0; i--) {
    const pos = ALPHABET.indexOf(id[i] as string);
    if (pos < 0) break;
    if (pos < ALPHABET.length - 1) return id.slice(0, i) + (ALPHABET[pos + 1] as string) + '0'.repeat(id.length - i - 1);
  }
  throw new Error('id space exhausted');
}

export class IdSequence {
  private last = '';
  private lastMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly prefix: IdPrefix) {}

  next(now: number): string {
    if (now <= this.lastMs) {
      // Same millisecond (or a clock that stepped back): any fresh id would have to be
      // compared with, and usually replaced by, this increment anyway.
      this.last = increment(this.last);
      return this.last;
    }
    const id = newId(this.prefix, now);
    this.last = id > this.last ? id : increment(this.last);
    this.lastMs = now;
    return this.last;
  }
}
