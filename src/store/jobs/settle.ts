import type { Kysely } from 'kysely';
import type { Store } from '../database.js';
import { GroupCommit } from '../group-commit.js';
import { internalTransaction } from '../internal-transaction.js';
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

/** Many successes in one statement, each fenced on its own claim; returns the ids whose claim held. */
export async function completeJobs(db: Kysely<Database>, claims: readonly Claim[], now: number): Promise<Set<string>> {
  const held = new Set<string>();
  // A few hundred fences a statement keeps well inside every engine's parameter limit.
  for (let i = 0; i < claims.length; i += 300) {
    const part = claims.slice(i, i + 300);
    const rows = await completeStatement(db, part, now).returning('id').execute();
    for (const r of rows) held.add(r.id);
  }
  return held;
}

/**
 * completeJobs' UPDATE for one part (exported for its query-plan test). The plain id list makes
 * it a primary-key seek; the row-value fence alone walked every running job.
 */
export function completeStatement(db: Kysely<Database>, claims: readonly Claim[], now: number) {
  return db
    .updateTable('jobs')
    .set({ status: 'succeeded', locked_by: null, locked_until: null, finished_at: now, updated_at: now })
    .where('id', 'in', claims.map((c) => c.id))
    .where('status', '=', 'running')
    .where((eb) => eb(eb.refTuple('id', 'locked_by', 'attempts'), 'in', claims.map((c) => eb.tuple(c.id, c.lockedBy ?? '', c.attempts))));
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

  constructor(store: Store) {
    this.group = new GroupCommit<Settlement, boolean>(
      (settlements) =>
        // Recording an outcome tells nobody outside anything: the next durable commit carries it.
        internalTransaction(store, async (trx) => {
          const completes = settlements.filter((s) => s.kind === 'complete');
          const now = Math.max(...completes.map((s) => s.now));
          const completed = completes.length > 0 ? await completeJobs(trx, completes.map((s) => s.claim), now) : new Set<string>();
          const held: boolean[] = [];
          for (const s of settlements) held.push(s.kind === 'complete' ? completed.has(s.claim.id) : await failAttempt(trx, s.claim, s.error, s.now, s.retryAt));
          return held;
        }),
      { maxWeight: 500 },
    );
  }

  settle(settlement: Settlement): Promise<boolean> {
    return this.group.write(settlement);
  }
}
