/**
 * Keeping the customer and revenue rollups exact as billing records arrive and change: the
 * records named by a batch (of `records.upserted` facts, or of the backfill's walk) are read as
 * they are now into billing items; every billing customer whose items changed gets their
 * monthly state recomputed from all their items; the difference between the new state and the
 * stored one goes into the monthly tables, and the new state is stored, in the caller's
 * transaction. A record read again as it already was changes nothing (idempotent), a re-sent
 * record with a cancellation changes its customer's state from then on, and a record that
 * moves to another customer moves its contribution with it.
 *
 * A customer is the billing silo's customer (`<source>/contact/<customerId>`, the key the
 * identity graph gives that contact record), not the merged profile: see the design note in
 * index.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';
import { externalKey } from '../../customers/index.js';
import { billingItem, isBillingKind } from './billing.items.js';
import { customerState, RetentionDelta } from './retention.maths.js';
import {
  applyRetentionRows,
  deleteItems,
  deleteStates,
  itemsOfCustomers,
  readItems,
  readStates,
  refKey,
  sourceRecords,
  writeItems,
  writeStates,
  type RecordRef,
  type StoredItem,
} from './retention.store.js';

export const customerKeyOf = (source: string, customerId: string): string => externalKey(source, 'contact', customerId);

/** Bring these records' items, their customers' states and the monthly tables up to date; returns the customers changed. */
export async function applyRecords(db: Kysely<Database>, workspaceId: string, refs: readonly RecordRef[], now: number): Promise<number> {
  const wanted = [...new Map(refs.filter((r) => isBillingKind(r.kind)).map((r) => [refKey(r), r])).values()];
  if (wanted.length === 0) return 0;
  const [records, previous] = await Promise.all([sourceRecords(db, workspaceId, wanted), readItems(db, workspaceId, wanted)]);
  const writes: StoredItem[] = [];
  const gone: RecordRef[] = [];
  const customers = new Set<string>();
  for (const ref of wanted) {
    const key = refKey(ref);
    const before = previous.get(key) ?? null;
    const record = records.get(key);
    const item = record ? billingItem(ref.kind, record.data, record.updatedAt, before?.item ?? null) : null;
    const after = item ? { ...ref, customerKey: customerKeyOf(ref.source, item.customerId), item } : null;
    if (before && after && before.customerKey === after.customerKey && JSON.stringify(before.item) === JSON.stringify(after.item)) continue;
    if (!before && !after) continue;
    if (before) customers.add(before.customerKey);
    if (after) {
      customers.add(after.customerKey);
      writes.push(after);
    } else gone.push(ref);
  }
  if (customers.size === 0) return 0;
  await writeItems(db, workspaceId, writes, now);
  await deleteItems(db, workspaceId, gone);
  return recomputeCustomers(db, workspaceId, [...customers], now);
}

/** Recompute these customers' states from their items and add the difference to the rollups. */
export async function recomputeCustomers(db: Kysely<Database>, workspaceId: string, keys: readonly string[], now: number): Promise<number> {
  const [items, states] = await Promise.all([itemsOfCustomers(db, workspaceId, keys), readStates(db, workspaceId, keys)]);
  const delta = new RetentionDelta();
  const writes: { key: string; state: NonNullable<ReturnType<typeof customerState>> }[] = [];
  const gone: string[] = [];
  for (const key of keys) {
    const before = states.get(key) ?? null;
    const after = customerState(items.get(key) ?? []);
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    delta.change(before, after);
    if (after) writes.push({ key, state: after });
    else gone.push(key);
  }
  await applyRetentionRows(db, workspaceId, delta.rows());
  await writeStates(db, workspaceId, writes, now);
  await deleteStates(db, workspaceId, gone);
  return writes.length + gone.length;
}
