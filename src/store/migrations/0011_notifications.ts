import type { StoreMigration } from './migration.js';

/**
 * Outbound notifications of follow-up: where to send (targets) and what was sent (the delivery
 * log, which is also the dead-letter list: rows in status 'dead').
 *
 * A webhook target keeps its signing secret as given: it is needed to sign every delivery, so it
 * cannot be hashed. The API shows it once, at creation, and never again; logs never carry it.
 * The payload is JSON text on both dialects (it is only ever read whole, by the sender).
 */
export const m0011Notifications: StoreMigration = {
  name: '0011_notifications',
  async up(db) {
    await db.schema
      .createTable('notification_targets')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      // webhook | slack | email
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('address', 'text')
      .addColumn('secret', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('notification_targets_pk', ['workspace_id', 'id'])
      .execute();

    await db.schema
      .createTable('notifications')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text')
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      // pending (waiting for an attempt), sending, delivered, failed (refused for good), dead (attempts spent).
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      // The target's HTTP status on the last attempt (null for e-mail and network faults).
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('next_attempt_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .addPrimaryKeyConstraint('notifications_pk', ['workspace_id', 'id'])
      .execute();
    // The delivery log of one task.
    await db.schema.createIndex('notifications_task_idx').on('notifications').columns(['workspace_id', 'task_id']).execute();
    // The log by status (the dead-letter list), newest first.
    await db.schema.createIndex('notifications_status_idx').on('notifications').columns(['workspace_id', 'status', 'created_at']).execute();
  },
};
