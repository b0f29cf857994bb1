import type { StoreMigration } from './migration.js';

/**
 * Follow-up within the hour: teams (with their working calendar), SLA policies, rules, the
 * tasks rules create and their history.
 *
 * A task names its customer by an identifier (like a survey response), and also by the
 * customer id known when it was created. Its SLA plan (targets, calendar, escalation steps) is
 * a snapshot: a policy edited later does not move the deadlines of running clocks. One task per
 * (rule, source): a re-delivered event or fact creates nothing new. The deadlines themselves
 * live in the job queue (`followup.deadline`), keyed by task, clock generation and step.
 */
export const m0010Followup: StoreMigration = {
  name: '0010_followup',
  async up(db) {
    await db.schema
      .createTable('teams')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('calendar', 'text', (c) => c.notNull())
      .addColumn('manager_user_id', 'text')
      .addColumn('rr_counter', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('teams_pk', ['workspace_id', 'id'])
      .execute();

    await db.schema
      .createTable('team_members')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('team_members_pk', ['workspace_id', 'team_id', 'user_id'])
      .execute();
    await db.schema.createIndex('team_members_user_idx').on('team_members').columns(['workspace_id', 'user_id']).execute();

    await db.schema
      .createTable('sla_policies')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('trigger_kind', 'text', (c) => c.notNull())
      .addColumn('first_contact_ms', 'bigint', (c) => c.notNull())
      .addColumn('resolution_ms', 'bigint')
      .addColumn('team_id', 'text')
      .addColumn('pause_when_waiting', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('escalation', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sla_policies_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema.createIndex('sla_policies_kind_idx').on('sla_policies').columns(['workspace_id', 'trigger_kind']).execute();

    await db.schema
      .createTable('followup_rules')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('template', 'text')
      .addColumn('loop_detected_at', 'bigint')
      .addColumn('loop_detail', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('followup_rules_pk', ['workspace_id', 'id'])
      .execute();
    // A template is enabled once per workspace.
    await db.schema.createIndex('followup_rules_template_idx').on('followup_rules').columns(['workspace_id', 'template']).unique().execute();

    await db.schema
      .createTable('followup_tasks')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('policy_id', 'text')
      .addColumn('trigger_kind', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('priority', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('respondent_kind', 'text', (c) => c.notNull())
      .addColumn('respondent_value', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text')
      .addColumn('owner_user_id', 'text')
      .addColumn('team_id', 'text')
      .addColumn('source_type', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('sla_plan', 'text')
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('first_contact_due_at', 'bigint')
      .addColumn('resolution_due_at', 'bigint')
      .addColumn('contacted_at', 'bigint')
      .addColumn('contacted_by', 'text')
      .addColumn('resolved_at', 'bigint')
      .addColumn('paused_at', 'bigint')
      .addColumn('paused_ms', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('first_breached_at', 'bigint')
      .addColumn('resolution_breached_at', 'bigint')
      .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('clock_generation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('followup_tasks_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema.createIndex('followup_tasks_source_idx').on('followup_tasks').columns(['workspace_id', 'rule_id', 'source_type', 'source_id']).unique().execute();
    // The inbox: mine / my team's, by status, soonest due first.
    await db.schema.createIndex('followup_tasks_owner_idx').on('followup_tasks').columns(['workspace_id', 'owner_user_id', 'status', 'first_contact_due_at']).execute();
    await db.schema.createIndex('followup_tasks_team_idx').on('followup_tasks').columns(['workspace_id', 'team_id', 'status', 'first_contact_due_at']).execute();
    await db.schema.createIndex('followup_tasks_status_idx').on('followup_tasks').columns(['workspace_id', 'status', 'first_contact_due_at']).execute();
    // A contact event stops the clocks of its customer's open tasks.
    await db.schema.createIndex('followup_tasks_respondent_idx').on('followup_tasks').columns(['workspace_id', 'respondent_kind', 'respondent_value', 'status']).execute();
    await db.schema.createIndex('followup_tasks_customer_idx').on('followup_tasks').columns(['workspace_id', 'customer_id', 'status']).execute();
    // Reports: SLA met % by kind over time.
    await db.schema.createIndex('followup_tasks_report_idx').on('followup_tasks').columns(['workspace_id', 'trigger_kind', 'started_at']).execute();

    await db.schema
      .createTable('task_events')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('details', 'text')
      .addPrimaryKeyConstraint('task_events_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema.createIndex('task_events_task_idx').on('task_events').columns(['workspace_id', 'task_id', 'id']).execute();

    await db.schema
      .createTable('followup_occurrences')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('followup_occurrences_pk', ['workspace_id', 'name', 'subject', 'event_id'])
      .execute();
    await db.schema.createIndex('followup_occurrences_at_idx').on('followup_occurrences').columns(['workspace_id', 'name', 'subject', 'at']).execute();

    await db.schema
      .createTable('followup_emissions')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('chain', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('followup_emissions_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema.createIndex('followup_emissions_subject_idx').on('followup_emissions').columns(['workspace_id', 'kind', 'subject', 'ref', 'created_at']).execute();
  },
};
