/**
 * The event writer: a group commit (store/group-commit) of events and request errors.
 * Event ids are assigned here, at flush time, so that they grow in commit order (the live tail).
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Database, Store } from '../../store/index.js';
import { IdSequence } from '../../platform/id-sequence.js';
import { GroupCommit } from '../../store/group-commit.js';
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

/** A transaction takes at most this many events; the rest wait for the next one. */
const MAX_EVENTS_PER_COMMIT = 5000;

export class EventWriter {
  private readonly ids = new IdSequence('evt');
  private readonly errorIds = new IdSequence('ier');
  private readonly group: GroupCommit<WriteRequest, WriteOutcome>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    this.group = new GroupCommit((requests) => this.commit(requests), { weight: (r) => r.events.length, maxWeight: MAX_EVENTS_PER_COMMIT });
  }

  write(request: WriteRequest): Promise<WriteOutcome> {
    return this.group.write(request);
  }

  /** Wait for everything handed over so far to be committed (or failed). */
  close(): Promise<void> {
    return this.group.close();
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
    // Followers of the event log (rules, resolution, triggers) look now rather than at their next poll.
    if (candidates.length > 0) this.store.changes.notify('events');
    for (const o of outcomes) o.duplicates.sort((a, b) => a - b);
    return outcomes;
  }
}
