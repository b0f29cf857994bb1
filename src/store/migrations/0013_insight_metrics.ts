import type { CreateTableBuilder } from 'kysely';
import type { StoreMigration } from './migration.js';

/** Counts per score 0…10 (CSAT uses 1–5, CES 1–7): the histogram every satisfaction figure comes from. */
const SCORE_COLUMNS = Array.from({ length: 11 }, (_, s) => `s${s}`);

/** Column names are checked by the database here, not by the type of the builder. */
type Builder = CreateTableBuilder<string, string>;

/** Counters: big integers, zero unless set. */
function counters(table: Builder, columns: readonly string[]): Builder {
  let t = table;
  for (const c of columns) t = t.addColumn(c, 'bigint', (col) => col.notNull().defaultTo(0));
  return t;
}

/**
 * Insight metrics (issue 7): rollups maintained as data arrives, so that the dashboard reads a
 * few hundred rows, never the raw answers or billing records. The design and its reasons are
 * written at the top of src/modules/insight/metrics/index.ts.
 *
 * Satisfaction: a ledger of what each response contributes (`insight_answers`: its day,
 * survey, channel, team, agent and scores as counted), and two daily histograms summed from it
 * (by survey × channel, and by team × agent × survey). Explicit attributions given by importers
 * live in `insight_answer_attribution`.
 *
 * Customers and revenue: the billing items as read from `source_records` (orders and
 * subscriptions, one row each, by billing customer), each customer's computed monthly state,
 * and three monthly tables: months (active customers, new customers, MRR), retention pairs
 * (customers and MRR kept from month a to month a + lag) and cohorts. Money is in thousandths of
 * the currency unit, as integers, so that deltas add and subtract exactly.
 *
 * The tables start empty: the first run's backfill job (and the demo seed) builds them from
 * existing data with the same code that maintains them.
 */
export const m0013InsightMetrics: StoreMigration = {
  name: '0013_insight_metrics',
  async up(db) {
    const ws = (c: CreateTableBuilder<string, never>): Builder => (c as Builder).addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id').onDelete('cascade'));

    await ws(db.schema.createTable('insight_answers'))
      .addColumn('response_id', 'text', (c) => c.notNull())
      .addColumn('day', 'integer', (c) => c.notNull())
      .addColumn('survey_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('nps', 'integer')
      .addColumn('csat', 'integer')
      .addColumn('ces', 'integer')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('insight_answers_pk', ['workspace_id', 'response_id'])
      .execute();

    await ws(db.schema.createTable('insight_answer_attribution'))
      .addColumn('response_id', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text')
      .addColumn('agent_id', 'text')
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('insight_answer_attribution_pk', ['workspace_id', 'response_id'])
      .execute();

    await counters(
      ws(db.schema.createTable('insight_satisfaction_days'))
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('day', 'integer', (c) => c.notNull())
        .addColumn('survey_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull()),
      SCORE_COLUMNS,
    )
      .addPrimaryKeyConstraint('insight_satisfaction_days_pk', ['workspace_id', 'metric', 'day', 'survey_id', 'channel'])
      .execute();

    await counters(
      ws(db.schema.createTable('insight_satisfaction_people_days'))
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('day', 'integer', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('survey_id', 'text', (c) => c.notNull()),
      SCORE_COLUMNS,
    )
      .addPrimaryKeyConstraint('insight_satisfaction_people_days_pk', ['workspace_id', 'metric', 'day', 'team_id', 'agent_id', 'survey_id'])
      .execute();

    await ws(db.schema.createTable('insight_billing_items'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('customer_key', 'text', (c) => c.notNull())
      .addColumn('item', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('insight_billing_items_pk', ['workspace_id', 'source', 'kind', 'external_id'])
      .execute();
    await db.schema.createIndex('insight_billing_items_customer_idx').on('insight_billing_items').columns(['workspace_id', 'customer_key']).execute();

    await ws(db.schema.createTable('insight_customers'))
      .addColumn('customer_key', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('insight_customers_pk', ['workspace_id', 'customer_key'])
      .execute();

    await counters(
      ws(db.schema.createTable('insight_customer_months'))
        .addColumn('month', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull()),
      ['active', 'active_tail', 'new_customers', 'mrr', 'mrr_tail'],
    )
      .addPrimaryKeyConstraint('insight_customer_months_pk', ['workspace_id', 'month', 'currency'])
      .execute();
    await counters(
      ws(db.schema.createTable('insight_retention'))
        .addColumn('month', 'integer', (c) => c.notNull())
        .addColumn('lag_months', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull()),
      ['retained', 'kept', 'net'],
    )
      .addPrimaryKeyConstraint('insight_retention_pk', ['workspace_id', 'month', 'lag_months', 'currency'])
      .execute();
    await counters(
      ws(db.schema.createTable('insight_cohorts'))
        .addColumn('cohort', 'integer', (c) => c.notNull())
        .addColumn('age', 'integer', (c) => c.notNull()),
      ['active', 'active_tail'],
    )
      .addPrimaryKeyConstraint('insight_cohorts_pk', ['workspace_id', 'cohort', 'age'])
      .execute();

    // The home page's SLA figures are follow-up's own reports over the tasks started in a
    // period: a range on started_at with no trigger kind, which no index served (each read went
    // through every task and its SLA plan text: 110 ms for 11 000 tasks of 200 000). This index
    // holds every column those reports read, so a period is one range of a narrow index.
    await db.schema
      .createIndex('followup_tasks_started_idx')
      .on('followup_tasks')
      .columns([
        'workspace_id',
        'started_at',
        'trigger_kind',
        'policy_id',
        'team_id',
        'owner_user_id',
        'first_contact_due_at',
        'contacted_at',
        'first_breached_at',
        'paused_at',
        'paused_ms',
        'resolution_due_at',
        'resolved_at',
        'resolution_breached_at',
      ])
      .execute();
  },
};
