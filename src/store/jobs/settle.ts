import type { Kysely } from 'kysely';
import { GroupCommit } from '../group-commit.js';
import type { Database } from '../schema.js';
import type { Job } from './types.js';
import { errorText } from './types.js';

/**
 * How a claim ends. Every update is fenced on (id, locked_by, attempts): a worker
 * whose lease expired and whose job was claimed again cannot overwrite the new
 * claim's outcome. Each returns false when the claim was lost.
 */
type Claim = Pick<Job, 'id' | 'lockedBy' | 'attempts'>;

function fenced(db: Kysely<Database>, claim: Claim) {
  return db
    .updateTable('jobs')
    .where('id', '=', claim.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', claim.lockedBy)
    .where('attempts', '=', claim.attempts);
}

const updated = (r: { numUpdatedRows: bigint }): boolean => r.numUpdatedRows > 0n;

export async function completeJob(db: Kysely<Database>, claim: Claim, now: number): Promise<boolean> {
  return updated(
    await fenced(db, claim)
      .set({ status: 'succeeded', locked_by: null, locked_until: null, finished_at: now, updated_at: now })
      .executeTakeFirst(),
  );
}

/** A failed attempt: queued again at `retryAt`, or failed for good when `retryAt` is null. */
export async function failAttempt(
  db: Kysely<Database>,
  claim: Claim,
  error: unknown,
  now: number,
  retryAt: number | null,
): Promise<boolean> {
  const common = { locked_by: null, locked_until: null, last_error: errorText(error), updated_at: now };
  const change =
    retryAt === null
      ? { ...common, status: 'failed', finished_at: now }
      : { ...common, status: 'queued', run_at: retryAt };
  return updated(await fenced(db, claim).set(change).executeTakeFirst());
}

/** Push the lease of a long-running job forward (the worker's heartbeat). */
export async function extendLease(db: Kysely<Database>, claim: Claim, lockedUntil: number, now: number): Promise<boolean> {
  return updated(await fenced(db, claim).set({ locked_until: lockedUntil, updated_at: now }).executeTakeFirst());
}

/** One outcome for the settler: a success, or a failed attempt (queued again at retryAt, or failed for good when null). */
export type Settlement =
  | { kind: 'complete'; claim: Claim; now: number }
  | { kind: 'fail'; claim: Claim; error: unknown; now: number; retryAt: number | null };

/**
 * Outcomes settled by group commit: the outcomes of jobs that finish together share one
 * transaction (one fsync on SQLite) instead of one commit each. Each is still fenced on its
 * own claim and answers whether the claim was held.
 */
export class Settler {
  private readonly group: GroupCommit<Settlement, boolean>;

  constructor(db: Kysely<Database>) {
    this.group = new GroupCommit<Settlement, boolean>(
      (settlements) =>
        db.transaction().execute(async (trx) => {
          const held: boolean[] = [];
          for (const s of settlements) {
            held.push(s.kind === 'complete' ? await completeJob(trx, s.claim, s.now) : await failAttempt(trx, s.claim, s.error, s.now, s.retryAt));
          }
          return held;
        }),
      { maxWeight: 500 },
    );
  }

  settle(settlement: Settlement): Promise<boolean> {
    return this.group.write(settlement);
  }
}
