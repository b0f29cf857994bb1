/**
 * Group commit. Concurrent requests hand their rows to one writer; while a transaction is
 * committing, new rows queue up, and the next transaction takes them all. Each request is
 * answered only after the commit that holds its rows, so a 200 means durable, while the cost
 * of a durable commit (an fsync) is shared by every request in it.
 *
 * Event ids are assigned here, at flush time, so that they grow in commit order (the live tail).
 * When a shared transaction fails, each request's rows are retried alone, so one request that
 * the database refuses cannot fail the others.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Database, Store } from '../../store/index.js';
import { IdSequence } from '../../platform/id-sequence.js';
import {
  appendEvents,
  bumpDailyCounts,
  bumpSourceTotals,
  claimMessageIds,
  dedupeKey,
  recordErrors,
  type ErrorRow,
  type EventRow,
} from './event.store.js';
import { LIMITS } from './limits.js';
import { dailyCounts, sourceTotals } from './rollup.js';

/** What a request hands over: rows without ids yet (the writer assigns them). */
export type PendingEvent = Omit<EventRow, 'id'>;

export interface WriteRequest {
  events: PendingEvent[];
  errors: Omit<ErrorRow, 'id'>[];
}

export interface WriteOutcome {
  /** Newly stored events, in the order given. */
  stored: { index: number; id: string }[];
  /** Indexes of events whose messageId was already stored (a retry). */
  duplicates: number[];
}

interface Waiting {
  request: WriteRequest;
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

/** A transaction takes at most this many events; the rest wait for the next one. */
const MAX_EVENTS_PER_COMMIT = 5000;

export class EventWriter {
  private queue: Waiting[] = [];
  private flushing: Promise<void> | undefined;
  private readonly ids = new IdSequence('evt');
  private readonly errorIds = new IdSequence('ier');
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  write(request: WriteRequest): Promise<WriteOutcome> {
    if (this.closed) return Promise.reject(new Error('the event writer is closed'));
    return new Promise<WriteOutcome>((resolve, reject) => {
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
          group.forEach((w, i) => w.resolve(outcomes[i] as WriteOutcome));
        } catch (error) {
          if (group.length === 1) (group[0] as Waiting).reject(error);
          else await this.commitEachAlone(group);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private takeGroup(): Waiting[] {
    let events = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || events + (this.queue[n] as Waiting).request.events.length <= MAX_EVENTS_PER_COMMIT)) {
      events += (this.queue[n] as Waiting).request.events.length;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async commitEachAlone(group: Waiting[]): Promise<void> {
    for (const w of group) {
      try {
        const [outcome] = await this.commit([w.request]);
        w.resolve(outcome as WriteOutcome);
      } catch (error) {
        w.reject(error);
      }
    }
  }

  private async commit(requests: WriteRequest[]): Promise<WriteOutcome[]> {
    const now = this.clock.now();
    const outcomes: WriteOutcome[] = requests.map(() => ({ stored: [], duplicates: [] }));
    // First occurrence of a messageId in this commit wins; later ones are duplicates already.
    const seen = new Set<string>();
    const candidates: { req: number; index: number; row: EventRow }[] = [];
    requests.forEach((request, req) => {
      request.events.forEach((event, index) => {
        const key = dedupeKey(event.workspace_id, event.message_id);
        if (seen.has(key)) {
          outcomes[req]?.duplicates.push(index);
          return;
        }
        seen.add(key);
        // The writer owns the rows handed to it: the id is set in place (and set anew if this
        // commit fails and the request is retried alone), rather than copying every row.
        const row = event as EventRow;
        row.id = this.ids.next(Math.max(now, event.received_at));
        candidates.push({ req, index, row });
      });
    });
    const errors = requests.flatMap((r) => r.errors.map((e) => ({ ...e, id: this.errorIds.next(now) })));

    await this.store.db.transaction().execute(async (trx: Kysely<Database>) => {
      const fresh = candidates.length ? await claimMessageIds(trx, this.store.dialect.name, candidates.map((c) => c.row)) : new Set<string>();
      const rows: EventRow[] = [];
      for (const c of candidates) {
        if (fresh.has(dedupeKey(c.row.workspace_id, c.row.message_id))) {
          rows.push(c.row);
          outcomes[c.req]?.stored.push({ index: c.index, id: c.row.id });
        } else {
          outcomes[c.req]?.duplicates.push(c.index);
        }
      }
      if (rows.length) {
        await appendEvents(trx, this.store.dialect.name, rows);
        await bumpDailyCounts(trx, this.store.dialect.name, dailyCounts(rows));
        await bumpSourceTotals(trx, this.store.dialect.name, sourceTotals(rows));
      }
      await recordErrors(trx, errors, LIMITS.recentErrors);
    });
    for (const o of outcomes) o.duplicates.sort((a, b) => a - b);
    return outcomes;
  }
}
