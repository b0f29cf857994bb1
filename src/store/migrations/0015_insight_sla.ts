import type { StoreMigration } from './migration.js';

/**
 * Insight: the SLA rollup behind the home dashboard (issue 7), so that a period's SLA met % and
 * speed to first contact read one row per day instead of every follow-up task of the period.
 *
 * - `insight_sla_tasks`: the ledger of what each task contributes, as last counted: the UTC day
 *   its clock started, its policy and team, its first-contact state (met, missed, open, no
 *   target), whether its clock is paused, the deadline of an open running clock, and its elapsed
 *   time to first contact. A change of the task is applied as the difference from this row.
 * - `insight_sla_days`: per workspace and day, the counts summed from the ledger and a sparse
 *   log-bucketed histogram of the elapsed times to first contact (src/modules/insight/metrics/
 *   sla.histogram.ts: u16 bucket, i32 count, little-endian pairs).
 *
 * An open clock whose deadline has passed counts as missed at the moment of reading (as
 * follow-up's reports judge it): `insight_sla_tasks_due_idx` holds only the open running clocks,
 * the few whose deadline a read compares with its now.
 */
export const m0015InsightSla: StoreMigration = {
  name: '0015_insight_sla',
  async up(db, d) {
    await db.schema
      .createTable('insight_sla_tasks')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('day', 'integer', (c) => c.notNull())
      .addColumn('policy_id', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text', (c) => c.notNull())
      /** met | missed | open | no_target */
      .addColumn('first', 'text', (c) => c.notNull())
      .addColumn('paused', 'integer', (c) => c.notNull())
      .addColumn('open_due_at', 'bigint')
      .addColumn('contact_ms', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('insight_sla_tasks_pk', ['workspace_id', 'task_id'])
      .execute();
    await db.schema
      .createIndex('insight_sla_tasks_due_idx')
      .on('insight_sla_tasks')
      .columns(['workspace_id', 'day', 'open_due_at'])
      .where('open_due_at', 'is not', null)
      .execute();

    await db.schema
      .createTable('insight_sla_days')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('day', 'integer', (c) => c.notNull())
      .addColumn('tasks', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('met', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('missed', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('open', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('no_target', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('contacted', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('contact_hist', d.name === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .addPrimaryKeyConstraint('insight_sla_days_pk', ['workspace_id', 'day'])
      .execute();
  },
};
