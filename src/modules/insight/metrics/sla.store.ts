/**
 * The SLA rollup tables (migration 0015): the ledger of what each follow-up task contributes,
 * the daily rows it sums into, and their reads. Counts are applied as upserts that add; a day's
 * histogram is read, changed and written back in the same transaction (the caller holds the
 * rollup lock, lock.ts), so a batch is a few statements per day it touches.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';
import type { FirstState, SlaDayCell, SlaLedgerRow, SlaTaskRow } from './sla.delta.js';
import { addInto, decode, encode } from './sla.histogram.js';

type Db = Kysely<Database>;

const CHUNK = 500;
const ROW_CHUNK = 50;

/** The follow-up tasks' columns the rollup reads (the source of truth). */
export async function slaTasks(db: Db, workspaceId: string, ids: readonly string[]): Promise<SlaTaskRow[]> {
  const out: SlaTaskRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    out.push(
      ...(await db
        .selectFrom('followup_tasks')
        .select(['id', 'started_at', 'policy_id', 'team_id', 'first_contact_due_at', 'contacted_at', 'first_breached_at', 'paused_at'])
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute()),
    );
  }
  return out;
}

/** Task ids after `after`, in id order (the backfill's walk). */
export async function taskIdsAfter(db: Db, workspaceId: string, after: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('followup_tasks').select('id').where('workspace_id', '=', workspaceId).where('id', '>', after).orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

export async function readSlaLedger(db: Db, workspaceId: string, ids: readonly string[]): Promise<Map<string, SlaLedgerRow>> {
  const out = new Map<string, SlaLedgerRow>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('insight_sla_tasks').selectAll().where('workspace_id', '=', workspaceId).where('task_id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const r of rows) {
      out.set(r.task_id, {
        taskId: r.task_id,
        day: Number(r.day),
        policyId: r.policy_id,
        teamId: r.team_id,
        first: r.first as FirstState,
        paused: Number(r.paused) === 1,
        openDueAt: r.open_due_at === null ? null : Number(r.open_due_at),
        contactMs: r.contact_ms === null ? null : Number(r.contact_ms),
      });
    }
  }
  return out;
}

export async function writeSlaLedger(db: Db, workspaceId: string, rows: readonly SlaLedgerRow[], now: number): Promise<void> {
  for (let i = 0; i < rows.length; i += ROW_CHUNK) {
    await db
      .insertInto('insight_sla_tasks')
      .values(
        rows.slice(i, i + ROW_CHUNK).map((r) => ({
          workspace_id: workspaceId,
          task_id: r.taskId,
          day: r.day,
          policy_id: r.policyId,
          team_id: r.teamId,
          first: r.first,
          paused: r.paused ? 1 : 0,
          open_due_at: r.openDueAt,
          contact_ms: r.contactMs,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'task_id']).doUpdateSet((eb) => ({
          day: eb.ref('excluded.day'),
          policy_id: eb.ref('excluded.policy_id'),
          team_id: eb.ref('excluded.team_id'),
          first: eb.ref('excluded.first'),
          paused: eb.ref('excluded.paused'),
          open_due_at: eb.ref('excluded.open_due_at'),
          contact_ms: eb.ref('excluded.contact_ms'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function deleteSlaLedger(db: Db, workspaceId: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) await db.deleteFrom('insight_sla_tasks').where('workspace_id', '=', workspaceId).where('task_id', 'in', ids.slice(i, i + CHUNK)).execute();
}

export async function slaLedgerIdsAfter(db: Db, workspaceId: string, after: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('insight_sla_tasks').select('task_id').where('workspace_id', '=', workspaceId).where('task_id', '>', after).orderBy('task_id').limit(limit).execute();
  return rows.map((r) => r.task_id);
}

const bytesOf = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : new Uint8Array(0));

const added = (column: 'tasks' | 'met' | 'missed' | 'open' | 'no_target' | 'contacted') => sql<number>`${sql.ref(`insight_sla_days.${column}`)} + ${sql.ref(`excluded.${column}`)}`;

/** Add the cells' changes to their days. */
export async function applySlaDays(db: Db, workspaceId: string, cells: readonly SlaDayCell[]): Promise<void> {
  for (let i = 0; i < cells.length; i += ROW_CHUNK) {
    const chunk = cells.slice(i, i + ROW_CHUNK);
    const stored = await db
      .selectFrom('insight_sla_days')
      .select(['day', 'contact_hist'])
      .where('workspace_id', '=', workspaceId)
      .where('day', 'in', chunk.map((c) => c.day))
      .execute();
    const hists = new Map(stored.map((r) => [Number(r.day), decode(bytesOf(r.contact_hist))]));
    await db
      .insertInto('insight_sla_days')
      .values(
        chunk.map((c) => {
          const hist = hists.get(c.day) ?? new Map<number, number>();
          addInto(hist, c.hist);
          return { workspace_id: workspaceId, day: c.day, tasks: c.tasks, met: c.met, missed: c.missed, open: c.open, no_target: c.noTarget, contacted: c.contacted, contact_hist: encode(hist) };
        }),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'day']).doUpdateSet((eb) => ({
          tasks: added('tasks'),
          met: added('met'),
          missed: added('missed'),
          open: added('open'),
          no_target: added('no_target'),
          contacted: added('contacted'),
          contact_hist: eb.ref('excluded.contact_hist'),
        })),
      )
      .execute();
  }
}

// ---------------------------------------------------------------- reads

export interface SlaDayRow {
  day: number;
  tasks: number;
  met: number;
  missed: number;
  open: number;
  noTarget: number;
  contacted: number;
  hist: Uint8Array;
}

/** The days of [fromDay, toDay) that have tasks. */
export async function slaDays(db: Db, workspaceId: string, fromDay: number, toDay: number): Promise<SlaDayRow[]> {
  const rows = await db.selectFrom('insight_sla_days').selectAll().where('workspace_id', '=', workspaceId).where('day', '>=', fromDay).where('day', '<', toDay).execute();
  return rows.map((r) => ({
    day: Number(r.day),
    tasks: Number(r.tasks),
    met: Number(r.met),
    missed: Number(r.missed),
    open: Number(r.open),
    noTarget: Number(r.no_target),
    contacted: Number(r.contacted),
    hist: bytesOf(r.contact_hist),
  }));
}

/** Per day of [fromDay, toDay): the open running clocks whose deadline is at or before `asOf` (missed as of then). */
export async function overdueByDay(db: Db, workspaceId: string, fromDay: number, toDay: number, asOf: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('insight_sla_tasks')
    .select(['day', sql<number | string>`count(*)`.as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('day', '>=', fromDay)
    .where('day', '<', toDay)
    .where('open_due_at', 'is not', null)
    .where('open_due_at', '<=', asOf)
    .groupBy('day')
    .execute();
  return new Map(rows.map((r) => [Number(r.day), Number(r.n)]));
}
