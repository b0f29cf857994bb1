import type { StoreMigration } from './migration.js';

/**
 * Insight: lifetime value per customer, health scores per customer and account, their weekly
 * snapshots, the models (CLV fits and health models with their backtests), the refresh runs
 * that make them, and the follow-up tasks created from the at-risk list.
 *
 * Numbers are `double precision` (PostgreSQL's `real` is single precision). JSON documents
 * (signals, contributions, fits, backtests) are text: they are written and read whole.
 */
export const m0014InsightHealth: StoreMigration = {
  name: '0014_insight_health',
  async up(db) {
    await db.schema
      .createTable('insight_runs')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('phase', 'text', (c) => c.notNull())
      // Where the current phase got to (a customer id, an account id): a rerun resumes there.
      .addColumn('cursor', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('duration_ms', 'bigint')
      .addColumn('error', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('insight_runs_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema.createIndex('insight_runs_status_idx').on('insight_runs').columns(['workspace_id', 'status', 'id']).execute();

    await db.schema
      .createTable('insight_models')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      /** clv | health */
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('insight_models_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema.createIndex('insight_models_kind_idx').on('insight_models').columns(['workspace_id', 'kind', 'id']).execute();
    await db.schema.createIndex('insight_models_run_idx').on('insight_models').columns(['workspace_id', 'run_id', 'kind']).unique().execute();

    await db.schema
      .createTable('customer_values')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('currency', 'text')
      .addColumn('orders', 'integer', (c) => c.notNull())
      .addColumn('frequency', 'integer', (c) => c.notNull())
      .addColumn('recency', 'double precision', (c) => c.notNull())
      .addColumn('t', 'double precision', (c) => c.notNull())
      .addColumn('monetary', 'double precision', (c) => c.notNull())
      .addColumn('p_alive', 'double precision')
      .addColumn('expected_transactions', 'double precision')
      .addColumn('expected_spend', 'double precision')
      .addColumn('clv', 'double precision')
      .addColumn('first_order_at', 'bigint')
      .addColumn('last_order_at', 'bigint')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('customer_values_pk', ['workspace_id', 'customer_id'])
      .execute();
    // The distribution (quantiles by an index walk) and the fit's tuples.
    await db.schema.createIndex('customer_values_clv_idx').on('customer_values').columns(['workspace_id', 'currency', 'clv']).execute();
    await db.schema.createIndex('customer_values_run_idx').on('customer_values').columns(['workspace_id', 'run_id']).execute();

    await db.schema
      .createTable('health_scores')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      /** customer | account */
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      /** For a customer: the account it belongs to (source:id), if any. */
      .addColumn('account_id', 'text')
      .addColumn('members', 'integer')
      /** 1 while the customer (or any member of the account) is still a customer: a live subscription or a recent order. */
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('health', 'double precision', (c) => c.notNull())
      .addColumn('risk', 'double precision', (c) => c.notNull())
      .addColumn('band', 'text', (c) => c.notNull())
      .addColumn('log_odds', 'double precision', (c) => c.notNull())
      .addColumn('signals', 'text', (c) => c.notNull())
      .addColumn('contributions', 'text', (c) => c.notNull())
      /** Health now − health in last week's snapshot; null when there is none. */
      .addColumn('change', 'double precision')
      .addColumn('change_detail', 'text')
      .addColumn('model_id', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('scored_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('health_scores_pk', ['workspace_id', 'subject_kind', 'subject_id'])
      .execute();
    // The at-risk list: by band, lowest health first.
    await db.schema.createIndex('health_scores_band_idx').on('health_scores').columns(['workspace_id', 'subject_kind', 'active', 'band', 'health', 'subject_id']).execute();
    await db.schema.createIndex('health_scores_list_idx').on('health_scores').columns(['workspace_id', 'subject_kind', 'active', 'health', 'subject_id']).execute();
    await db.schema.createIndex('health_scores_account_idx').on('health_scores').columns(['workspace_id', 'account_id']).execute();
    await db.schema.createIndex('health_scores_run_idx').on('health_scores').columns(['workspace_id', 'run_id']).execute();

    await db.schema
      .createTable('health_weekly')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      /** The Monday (UTC, YYYY-MM-DD) of the week the snapshot stands for. */
      .addColumn('week', 'text', (c) => c.notNull())
      .addColumn('health', 'double precision', (c) => c.notNull())
      .addColumn('risk', 'double precision', (c) => c.notNull())
      .addColumn('band', 'text', (c) => c.notNull())
      .addColumn('log_odds', 'double precision', (c) => c.notNull())
      .addColumn('signals', 'text', (c) => c.notNull())
      .addColumn('contributions', 'text', (c) => c.notNull())
      .addColumn('model_id', 'text', (c) => c.notNull())
      .addColumn('scored_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('health_weekly_pk', ['workspace_id', 'subject_kind', 'subject_id', 'week'])
      .execute();
    await db.schema.createIndex('health_weekly_week_idx').on('health_weekly').columns(['workspace_id', 'week']).execute();

    await db.schema
      .createTable('health_followups')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('health_followups_pk', ['workspace_id', 'subject_kind', 'subject_id', 'seq'])
      .execute();
    await db.schema.createIndex('health_followups_task_idx').on('health_followups').columns(['workspace_id', 'task_id']).execute();
  },
};
