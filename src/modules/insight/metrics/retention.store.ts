/**
 * The customer and revenue rollup tables: billing items as read, each billing customer's state
 * as last counted, and the monthly tables those states sum into (applied as adding upserts).
 * Written once with Kysely for both dialects.
 */
import { sql, type Kysely } from 'kysely';
import { fromJson, inValues, type Database, type DialectName } from '../../../store/index.js';
import type { SegmentMembers } from '../../customers/index.js';
import type { BillingItem } from './billing.items.js';
import type { CohortRow, CustomerState, MonthRow, RetentionRow } from './retention.maths.js';

type Db = Kysely<Database>;

export interface RecordRef {
  source: string;
  kind: string;
  externalId: string;
}

export interface StoredItem extends RecordRef {
  customerKey: string;
  item: BillingItem;
}

const CHUNK = 400;
export const refKey = (r: RecordRef): string => `${r.source}\u0000${r.kind}\u0000${r.externalId}`;

/** Refs grouped by (source, kind), ids in chunks: one indexed IN per group and chunk. */
function* grouped(refs: readonly RecordRef[]): Generator<{ source: string; kind: string; ids: string[] }> {
  const groups = new Map<string, { source: string; kind: string; ids: string[] }>();
  for (const r of refs) {
    const key = `${r.source}\u0000${r.kind}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { source: r.source, kind: r.kind, ids: [] }));
    g.ids.push(r.externalId);
  }
  for (const g of groups.values()) {
    const ids = [...new Set(g.ids)];
    for (let i = 0; i < ids.length; i += CHUNK) yield { source: g.source, kind: g.kind, ids: ids.slice(i, i + CHUNK) };
  }
}

/** The silo records behind these refs that exist: their data and when they last changed. */
export async function sourceRecords(db: Db, workspaceId: string, refs: readonly RecordRef[]): Promise<Map<string, { data: unknown; updatedAt: number }>> {
  const out = new Map<string, { data: unknown; updatedAt: number }>();
  for (const g of grouped(refs)) {
    const rows = await db
      .selectFrom('source_records')
      .select(['external_id', 'data', 'updated_at'])
      .where('workspace_id', '=', workspaceId)
      .where('source', '=', g.source)
      .where('kind', '=', g.kind)
      .where('external_id', 'in', g.ids)
      .execute();
    for (const r of rows) out.set(refKey({ source: g.source, kind: g.kind, externalId: r.external_id }), { data: fromJson(r.data), updatedAt: Number(r.updated_at) });
  }
  return out;
}

/** Which of these refs still have a silo record (their ids only). */
export async function existingRecords(db: Db, workspaceId: string, refs: readonly RecordRef[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const g of grouped(refs)) {
    const rows = await db
      .selectFrom('source_records')
      .select('external_id')
      .where('workspace_id', '=', workspaceId)
      .where('source', '=', g.source)
      .where('kind', '=', g.kind)
      .where('external_id', 'in', g.ids)
      .execute();
    for (const r of rows) out.add(refKey({ source: g.source, kind: g.kind, externalId: r.external_id }));
  }
  return out;
}

/** Existing record ids of a source and kind after `after`, in key order (to walk every record). */
export async function recordIdsAfter(db: Db, workspaceId: string, source: string, kind: string, after: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('source_records')
    .select('external_id')
    .where('workspace_id', '=', workspaceId)
    .where('source', '=', source)
    .where('kind', '=', kind)
    .where('external_id', '>', after)
    .orderBy('external_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.external_id);
}

/** The sources that hold records of a kind. */
export async function sourcesOf(db: Db, workspaceId: string, kind: string): Promise<string[]> {
  const rows = await db.selectFrom('source_records').select('source').distinct().where('workspace_id', '=', workspaceId).where('kind', '=', kind).execute();
  return rows.map((r) => r.source).sort();
}

const toStored = (r: { source: string; kind: string; external_id: string; customer_key: string; item: string }): StoredItem => ({
  source: r.source,
  kind: r.kind,
  externalId: r.external_id,
  customerKey: r.customer_key,
  item: JSON.parse(r.item) as BillingItem,
});

export async function readItems(db: Db, workspaceId: string, refs: readonly RecordRef[]): Promise<Map<string, StoredItem>> {
  const out = new Map<string, StoredItem>();
  for (const g of grouped(refs)) {
    const rows = await db
      .selectFrom('insight_billing_items')
      .select(['source', 'kind', 'external_id', 'customer_key', 'item'])
      .where('workspace_id', '=', workspaceId)
      .where('source', '=', g.source)
      .where('kind', '=', g.kind)
      .where('external_id', 'in', g.ids)
      .execute();
    for (const r of rows) out.set(refKey({ source: r.source, kind: r.kind, externalId: r.external_id }), toStored(r));
  }
  return out;
}

/** Item refs after `after` (a ref key), in key order: to find items whose record is gone. */
export async function itemsAfter(db: Db, workspaceId: string, after: RecordRef | null, limit: number): Promise<RecordRef[]> {
  let q = db.selectFrom('insight_billing_items').select(['source', 'kind', 'external_id']).where('workspace_id', '=', workspaceId);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('source', '>', after.source),
        eb.and([eb('source', '=', after.source), eb('kind', '>', after.kind)]),
        eb.and([eb('source', '=', after.source), eb('kind', '=', after.kind), eb('external_id', '>', after.externalId)]),
      ]),
    );
  }
  const rows = await q.orderBy('source').orderBy('kind').orderBy('external_id').limit(limit).execute();
  return rows.map((r) => ({ source: r.source, kind: r.kind, externalId: r.external_id }));
}

export async function writeItems(db: Db, workspaceId: string, items: readonly StoredItem[], now: number): Promise<void> {
  for (let i = 0; i < items.length; i += 100) {
    await db
      .insertInto('insight_billing_items')
      .values(items.slice(i, i + 100).map((x) => ({ workspace_id: workspaceId, source: x.source, kind: x.kind, external_id: x.externalId, customer_key: x.customerKey, item: JSON.stringify(x.item), updated_at: now })))
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'source', 'kind', 'external_id']).doUpdateSet((eb) => ({ customer_key: eb.ref('excluded.customer_key'), item: eb.ref('excluded.item'), updated_at: eb.ref('excluded.updated_at') })),
      )
      .execute();
  }
}

export async function deleteItems(db: Db, workspaceId: string, refs: readonly RecordRef[]): Promise<void> {
  for (const g of grouped(refs)) {
    await db.deleteFrom('insight_billing_items').where('workspace_id', '=', workspaceId).where('source', '=', g.source).where('kind', '=', g.kind).where('external_id', 'in', g.ids).execute();
  }
}

/** Every item of these customers, by customer key. */
export async function itemsOfCustomers(db: Db, workspaceId: string, keys: readonly string[]): Promise<Map<string, BillingItem[]>> {
  const out = new Map<string, BillingItem[]>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await db
      .selectFrom('insight_billing_items')
      .select(['customer_key', 'item'])
      .where('workspace_id', '=', workspaceId)
      .where('customer_key', 'in', keys.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) {
      const list = out.get(r.customer_key);
      const item = JSON.parse(r.item) as BillingItem;
      if (list) list.push(item);
      else out.set(r.customer_key, [item]);
    }
  }
  return out;
}

export async function readStates(db: Db, workspaceId: string, keys: readonly string[]): Promise<Map<string, CustomerState>> {
  const out = new Map<string, CustomerState>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await db.selectFrom('insight_customers').select(['customer_key', 'state']).where('workspace_id', '=', workspaceId).where('customer_key', 'in', keys.slice(i, i + CHUNK)).execute();
    for (const r of rows) out.set(r.customer_key, JSON.parse(r.state) as CustomerState);
  }
  return out;
}

export async function writeStates(db: Db, workspaceId: string, states: readonly { key: string; state: CustomerState }[], now: number): Promise<void> {
  for (let i = 0; i < states.length; i += 100) {
    await db
      .insertInto('insight_customers')
      .values(states.slice(i, i + 100).map((s) => ({ workspace_id: workspaceId, customer_key: s.key, state: JSON.stringify(s.state), updated_at: now })))
      .onConflict((oc) => oc.columns(['workspace_id', 'customer_key']).doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
  }
}

export async function deleteStates(db: Db, workspaceId: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += CHUNK) await db.deleteFrom('insight_customers').where('workspace_id', '=', workspaceId).where('customer_key', 'in', keys.slice(i, i + CHUNK)).execute();
}

const add = (table: string, column: string) => sql<number>`${sql.ref(`${table}.${column}`)} + ${sql.ref(`excluded.${column}`)}`;

/** Add a batch's changes to the monthly tables. */
export async function applyRetentionRows(db: Db, workspaceId: string, rows: { months: readonly MonthRow[]; retention: readonly RetentionRow[]; cohorts: readonly CohortRow[] }): Promise<void> {
  for (let i = 0; i < rows.months.length; i += 100) {
    const t = 'insight_customer_months';
    await db
      .insertInto(t)
      .values(rows.months.slice(i, i + 100).map((r) => ({ workspace_id: workspaceId, ...r })))
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'month', 'currency']).doUpdateSet({ active: add(t, 'active'), active_tail: add(t, 'active_tail'), new_customers: add(t, 'new_customers'), mrr: add(t, 'mrr'), mrr_tail: add(t, 'mrr_tail') }),
      )
      .execute();
  }
  for (let i = 0; i < rows.retention.length; i += 100) {
    const t = 'insight_retention';
    await db
      .insertInto(t)
      .values(rows.retention.slice(i, i + 100).map((r) => ({ workspace_id: workspaceId, ...r })))
      .onConflict((oc) => oc.columns(['workspace_id', 'month', 'lag_months', 'currency']).doUpdateSet({ retained: add(t, 'retained'), kept: add(t, 'kept'), net: add(t, 'net') }))
      .execute();
  }
  for (let i = 0; i < rows.cohorts.length; i += 100) {
    const t = 'insight_cohorts';
    await db
      .insertInto(t)
      .values(rows.cohorts.slice(i, i + 100).map((r) => ({ workspace_id: workspaceId, ...r })))
      .onConflict((oc) => oc.columns(['workspace_id', 'cohort', 'age']).doUpdateSet({ active: add(t, 'active'), active_tail: add(t, 'active_tail') }))
      .execute();
  }
}

// ---------------------------------------------------------------- reads

const num = (v: unknown): number => Number(v ?? 0);

/** Every month row of the workspace (a few per month of history). */
export async function monthRows(db: Db, workspaceId: string): Promise<MonthRow[]> {
  const rows = await db.selectFrom('insight_customer_months').select(['month', 'currency', 'active', 'active_tail', 'new_customers', 'mrr', 'mrr_tail']).where('workspace_id', '=', workspaceId).execute();
  return rows.map((r) => ({ month: num(r.month), currency: r.currency, active: num(r.active), active_tail: num(r.active_tail), new_customers: num(r.new_customers), mrr: num(r.mrr), mrr_tail: num(r.mrr_tail) }));
}

/** Retention pairs starting in [fromMonth, toMonth] with one of these lags. */
export async function retentionRows(db: Db, workspaceId: string, fromMonth: number, toMonth: number, lags: readonly number[]): Promise<RetentionRow[]> {
  if (lags.length === 0) return [];
  const rows = await db
    .selectFrom('insight_retention')
    .select(['month', 'lag_months', 'currency', 'retained', 'kept', 'net'])
    .where('workspace_id', '=', workspaceId)
    .where('month', '>=', fromMonth)
    .where('month', '<=', toMonth)
    .where('lag_months', 'in', [...new Set(lags)])
    .execute();
  return rows.map((r) => ({ month: num(r.month), lag_months: num(r.lag_months), currency: r.currency, retained: num(r.retained), kept: num(r.kept), net: num(r.net) }));
}

export async function cohortRows(db: Db, workspaceId: string, fromCohort: number, toCohort: number): Promise<CohortRow[]> {
  const rows = await db
    .selectFrom('insight_cohorts')
    .select(['cohort', 'age', 'active', 'active_tail'])
    .where('workspace_id', '=', workspaceId)
    .where('cohort', '>=', fromCohort)
    .where('cohort', '<=', toCohort)
    .execute();
  return rows.map((r) => ({ cohort: num(r.cohort), age: num(r.age), active: num(r.active), active_tail: num(r.active_tail) }));
}

/**
 * The counted state of every billing customer in an evaluated segment (customer traits, as the
 * feedback reports filter): a billing customer's key is the identity graph's `external`
 * identifier of its contact record, so the segment's `external` identifiers are the keys to probe.
 * These are the states the rollups last counted, so a segment's figures are the rollups' own
 * definition applied to its customers.
 */
export async function statesInSegment(db: Db, dialect: DialectName, workspaceId: string, segment: SegmentMembers): Promise<CustomerState[]> {
  const keys = segment.byKind.get('external') ?? [];
  if (keys.length === 0) return [];
  const rows = await db.selectFrom('insight_customers').select('state').where('workspace_id', '=', workspaceId).where(inValues(dialect, 'insight_customers.customer_key', keys)).execute();
  return rows.map((r) => JSON.parse(r.state) as CustomerState);
}
