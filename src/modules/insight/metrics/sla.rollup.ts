/**
 * Keeping the SLA rollup exact: a batch of follow-up tasks (named by `records.upserted` facts of
 * task records, which follow-up appends on every change of a task, or walked by the backfill)
 * is read as it is now, turned into its ledger row and compared with the row it was last
 * counted as; the difference goes into the daily rows and the ledger takes the new row, all in
 * the caller's transaction. A task counted again as it already was changes nothing; a task that
 * is gone is taken out.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';
import { ledgerRowOf, sameSlaRow, SlaDelta, type SlaLedgerRow } from './sla.delta.js';
import { applySlaDays, deleteSlaLedger, readSlaLedger, slaTasks, writeSlaLedger } from './sla.store.js';

/** Bring these tasks' contributions up to date; returns how many changed. */
export async function applyTasks(db: Kysely<Database>, workspaceId: string, ids: readonly string[], now: number): Promise<number> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return 0;
  const [tasks, ledger] = await Promise.all([slaTasks(db, workspaceId, unique), readSlaLedger(db, workspaceId, unique)]);
  const current = new Map(tasks.map((t) => [t.id, ledgerRowOf(t)]));
  const delta = new SlaDelta();
  const writes: SlaLedgerRow[] = [];
  const gone: string[] = [];
  for (const id of unique) {
    const next = current.get(id) ?? null;
    const previous = ledger.get(id) ?? null;
    if (sameSlaRow(previous, next)) continue;
    delta.change(previous, next);
    if (next) writes.push(next);
    else gone.push(id);
  }
  if (writes.length === 0 && gone.length === 0) return 0;
  await applySlaDays(db, workspaceId, delta.cells());
  await writeSlaLedger(db, workspaceId, writes, now);
  await deleteSlaLedger(db, workspaceId, gone);
  return writes.length + gone.length;
}

/** Of these ledger ids, those whose task no longer exists. */
export async function goneTasks(db: Kysely<Database>, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  const present = new Set((await slaTasks(db, workspaceId, ids)).map((t) => t.id));
  return ids.filter((id) => !present.has(id));
}
