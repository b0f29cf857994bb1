/**
 * The insight tables' queries: refresh runs, models, customer values, health scores and their
 * weekly snapshots. Written once for both dialects; callers pass the transaction they work in.
 */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { CustomerValuesTable, Database, HealthScoresTable, HealthWeeklyTable, InsightRunsTable } from '../../../store/index.js';
import type { SummaryTuple } from './values.js';

export type Db = Kysely<Database>;
export type RunRow = Selectable<InsightRunsTable>;
export type ScoreRow = Selectable<HealthScoresTable>;
export type WeeklyRow = Selectable<HealthWeeklyTable>;

// ---------------------------------------------------------------- runs

export async function findRun(db: Db, workspaceId: string, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('insight_runs').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function insertRun(db: Db, row: Insertable<InsightRunsTable>): Promise<void> {
  await db.insertInto('insight_runs').values(row).onConflict((oc) => oc.columns(['workspace_id', 'id']).doNothing()).execute();
}

export async function updateRun(db: Db, workspaceId: string, id: string, change: Partial<Omit<RunRow, 'workspace_id' | 'id'>>): Promise<void> {
  await db.updateTable('insight_runs').set(change).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function listRuns(db: Db, workspaceId: string, limit: number, before?: string): Promise<RunRow[]> {
  let q = db.selectFrom('insight_runs').selectAll().where('workspace_id', '=', workspaceId);
  if (before) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

/** Runs of this workspace still marked running, other than `except`. */
export async function runningRuns(db: Db, workspaceId: string, except: string): Promise<RunRow[]> {
  return db.selectFrom('insight_runs').selectAll().where('workspace_id', '=', workspaceId).where('status', '=', 'running').where('id', '<>', except).execute();
}

// ---------------------------------------------------------------- models

export async function insertModel(db: Db, row: { workspace_id: string; id: string; kind: 'clv' | 'health'; run_id: string; body: string; created_at: number }): Promise<void> {
  await db.insertInto('insight_models').values(row).onConflict((oc) => oc.columns(['workspace_id', 'id']).doNothing()).execute();
}

export async function modelById(db: Db, workspaceId: string, id: string): Promise<{ id: string; body: string; created_at: number; run_id: string } | undefined> {
  return db.selectFrom('insight_models').select(['id', 'body', 'created_at', 'run_id']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** The newest model of a kind from a run that finished (or `runId`'s own). */
export async function latestModel(db: Db, workspaceId: string, kind: 'clv' | 'health'): Promise<{ id: string; body: string; created_at: number; run_id: string } | undefined> {
  return db
    .selectFrom('insight_models as m')
    .innerJoin('insight_runs as r', (j) => j.onRef('r.workspace_id', '=', 'm.workspace_id').onRef('r.id', '=', 'm.run_id'))
    .select(['m.id', 'm.body', 'm.created_at', 'm.run_id'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.kind', '=', kind)
    .where('r.status', '=', 'succeeded')
    .orderBy('m.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

// ---------------------------------------------------------------- customer values

export async function upsertValues(db: Db, rows: Insertable<CustomerValuesTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('customer_values')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'customer_id']).doUpdateSet((eb) => ({
        currency: eb.ref('excluded.currency'),
        orders: eb.ref('excluded.orders'),
        frequency: eb.ref('excluded.frequency'),
        recency: eb.ref('excluded.recency'),
        t: eb.ref('excluded.t'),
        monetary: eb.ref('excluded.monetary'),
        p_alive: eb.ref('excluded.p_alive'),
        expected_transactions: eb.ref('excluded.expected_transactions'),
        expected_spend: eb.ref('excluded.expected_spend'),
        clv: eb.ref('excluded.clv'),
        first_order_at: eb.ref('excluded.first_order_at'),
        last_order_at: eb.ref('excluded.last_order_at'),
        run_id: eb.ref('excluded.run_id'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** The fit's data: distinct (frequency, recency, T) of this run's summaries, with counts. */
export async function summaryTuples(db: Db, workspaceId: string, runId: string): Promise<SummaryTuple[]> {
  const rows = await db
    .selectFrom('customer_values')
    .select(['frequency', 'recency', 't', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('run_id', '=', runId)
    .groupBy(['frequency', 'recency', 't'])
    .execute();
  return rows.map((r) => ({ frequency: Number(r.frequency), recency: Number(r.recency), T: Number(r.t), count: Number(r.n) }));
}

export async function currenciesOf(db: Db, workspaceId: string, runId: string): Promise<{ currency: string; n: number }[]> {
  const rows = await db
    .selectFrom('customer_values')
    .select(['currency', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('run_id', '=', runId)
    .where('currency', 'is not', null)
    .where('frequency', '>', 0)
    .where('monetary', '>', 0)
    .groupBy('currency')
    .execute();
  return rows.map((r) => ({ currency: r.currency as string, n: Number(r.n) }));
}

/** Repeat customers' (frequency, mean spend) in one currency, a page at a time. */
export async function spendPage(db: Db, workspaceId: string, runId: string, currency: string, after: string | null, limit: number) {
  let q = db
    .selectFrom('customer_values')
    .select(['customer_id', 'frequency', 'monetary'])
    .where('workspace_id', '=', workspaceId)
    .where('run_id', '=', runId)
    .where('currency', '=', currency)
    .where('frequency', '>', 0)
    .where('monetary', '>', 0);
  if (after !== null) q = q.where('customer_id', '>', after);
  return q.orderBy('customer_id').limit(limit).execute();
}

export async function valuesOf(db: Db, workspaceId: string, customerIds: readonly string[]): Promise<Selectable<CustomerValuesTable>[]> {
  if (customerIds.length === 0) return [];
  return db.selectFrom('customer_values').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', 'in', [...customerIds]).execute();
}

/** Customers with a CLV in a currency, in [from, to) (to null: no upper end): count and sum. */
export async function clvRange(db: Db, workspaceId: string, currency: string, from: number | null, to: number | null): Promise<{ customers: number; total: number }> {
  let q = db
    .selectFrom('customer_values')
    .select([(eb) => eb.fn.countAll<number>().as('n'), sql<number>`coalesce(sum(clv), 0)`.as('total')])
    .where('workspace_id', '=', workspaceId)
    .where('currency', '=', currency)
    .where('clv', 'is not', null);
  if (from !== null) q = q.where('clv', '>=', from);
  if (to !== null) q = q.where('clv', '<', to);
  const row = await q.executeTakeFirst();
  return { customers: Number(row?.n ?? 0), total: Number(row?.total ?? 0) };
}

/** The k-th smallest CLV (0-based) in a currency: an index walk. */
export async function clvAtRank(db: Db, workspaceId: string, currency: string, k: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('customer_values')
    .select('clv')
    .where('workspace_id', '=', workspaceId)
    .where('currency', '=', currency)
    .where('clv', 'is not', null)
    .orderBy('clv')
    .offset(k)
    .limit(1)
    .executeTakeFirst();
  return row?.clv === undefined || row.clv === null ? undefined : Number(row.clv);
}

/** Delete rows a run did not write (customers merged away or gone), a page at a time. */
export async function pruneValues(db: Db, workspaceId: string, runId: string, limit: number): Promise<number> {
  const stale = await db.selectFrom('customer_values').select('customer_id').where('workspace_id', '=', workspaceId).where('run_id', '<>', runId).limit(limit).execute();
  if (stale.length === 0) return 0;
  await db.deleteFrom('customer_values').where('workspace_id', '=', workspaceId).where('customer_id', 'in', stale.map((s) => s.customer_id)).where('run_id', '<>', runId).execute();
  return stale.length;
}

// ---------------------------------------------------------------- scores and snapshots

export async function upsertScores(db: Db, rows: Insertable<HealthScoresTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('health_scores')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'subject_kind', 'subject_id']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        account_id: eb.ref('excluded.account_id'),
        members: eb.ref('excluded.members'),
        active: eb.ref('excluded.active'),
        health: eb.ref('excluded.health'),
        risk: eb.ref('excluded.risk'),
        band: eb.ref('excluded.band'),
        log_odds: eb.ref('excluded.log_odds'),
        signals: eb.ref('excluded.signals'),
        contributions: eb.ref('excluded.contributions'),
        change: eb.ref('excluded.change'),
        change_detail: eb.ref('excluded.change_detail'),
        model_id: eb.ref('excluded.model_id'),
        run_id: eb.ref('excluded.run_id'),
        scored_at: eb.ref('excluded.scored_at'),
      })),
    )
    .execute();
}

export async function upsertWeekly(db: Db, rows: Insertable<HealthWeeklyTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('health_weekly')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'subject_kind', 'subject_id', 'week']).doUpdateSet((eb) => ({
        health: eb.ref('excluded.health'),
        risk: eb.ref('excluded.risk'),
        band: eb.ref('excluded.band'),
        log_odds: eb.ref('excluded.log_odds'),
        signals: eb.ref('excluded.signals'),
        contributions: eb.ref('excluded.contributions'),
        model_id: eb.ref('excluded.model_id'),
        scored_at: eb.ref('excluded.scored_at'),
      })),
    )
    .execute();
}

/** Snapshots of one week for these subjects. */
export async function weeklyOf(db: Db, workspaceId: string, kind: 'customer' | 'account', ids: readonly string[], week: string): Promise<Map<string, WeeklyRow>> {
  const out = new Map<string, WeeklyRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('health_weekly')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('subject_kind', '=', kind)
      .where('subject_id', 'in', ids.slice(i, i + 500))
      .where('week', '=', week)
      .execute();
    for (const r of rows) out.set(r.subject_id, r);
  }
  return out;
}

export async function scoresOf(db: Db, workspaceId: string, kind: 'customer' | 'account', ids: readonly string[]): Promise<ScoreRow[]> {
  const out: ScoreRow[] = [];
  for (let i = 0; i < ids.length; i += 500)
    out.push(...(await db.selectFrom('health_scores').selectAll().where('workspace_id', '=', workspaceId).where('subject_kind', '=', kind).where('subject_id', 'in', ids.slice(i, i + 500)).execute()));
  return out;
}

/** Accounts (source:id) that scored customers of this run belong to, after `after`, in order. */
export async function accountsAfter(db: Db, workspaceId: string, runId: string, after: string | null, limit: number): Promise<string[]> {
  let q = db
    .selectFrom('health_scores')
    .select('account_id')
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .where('subject_kind', '=', 'customer')
    .where('run_id', '=', runId)
    .where('account_id', 'is not', null);
  if (after !== null) q = q.where('account_id', '>', after);
  return (await q.orderBy('account_id').limit(limit).execute()).map((r) => r.account_id as string);
}

export async function membersOf(db: Db, workspaceId: string, accountIds: readonly string[]): Promise<ScoreRow[]> {
  if (accountIds.length === 0) return [];
  return db.selectFrom('health_scores').selectAll().where('workspace_id', '=', workspaceId).where('subject_kind', '=', 'customer').where('account_id', 'in', [...accountIds]).execute();
}

/** Delete scores a run did not write, a page at a time. */
export async function pruneScores(db: Db, workspaceId: string, runId: string, limit: number): Promise<number> {
  const stale = await db.selectFrom('health_scores').select(['subject_kind', 'subject_id']).where('workspace_id', '=', workspaceId).where('run_id', '<>', runId).limit(limit).execute();
  for (const kind of ['customer', 'account'] as const) {
    const ids = stale.filter((s) => s.subject_kind === kind).map((s) => s.subject_id);
    if (ids.length) await db.deleteFrom('health_scores').where('workspace_id', '=', workspaceId).where('subject_kind', '=', kind).where('subject_id', 'in', ids).where('run_id', '<>', runId).execute();
  }
  return stale.length;
}

/** Delete weekly snapshots older than `week`, a page at a time. */
export async function pruneWeekly(db: Db, workspaceId: string, beforeWeek: string, limit: number): Promise<number> {
  const old = await db.selectFrom('health_weekly').select(['subject_kind', 'subject_id', 'week']).where('workspace_id', '=', workspaceId).where('week', '<', beforeWeek).limit(limit).execute();
  for (const r of old)
    await db.deleteFrom('health_weekly').where('workspace_id', '=', workspaceId).where('subject_kind', '=', r.subject_kind).where('subject_id', '=', r.subject_id).where('week', '=', r.week).execute();
  return old.length;
}
