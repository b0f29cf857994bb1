import { sql } from 'kysely';
import type { StoreMigration } from './migration.js';

/**
 * The event store (tracking API).
 * - `events` is append-only and carries no unique index on the sender's messageId, so that
 *   on PostgreSQL it can later be range-partitioned by time (a unique index there would have
 *   to include the partition key). Ids sort by time of receipt, so `id` is the live-tail order.
 * - `event_dedupe` is the small table that makes ingestion idempotent on (workspace, messageId).
 * - `event_daily_counts` and `event_sources` are maintained in the inserting transaction, so
 *   dashboards never scan raw events.
 * - `ingest_errors` keeps the most recent rejected messages per workspace (capped by the writer).
 */
export const m0005Events: StoreMigration = {
  name: '0005_events',
  async up(db, d) {
    await db.schema
      .createTable('events')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('user_id', 'text')
      .addColumn('anonymous_id', 'text')
      .addColumn('group_id', 'text')
      .addColumn('previous_id', 'text')
      .addColumn('profile_id', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('properties', sql.raw(d.json))
      .addColumn('traits', sql.raw(d.json))
      .addColumn('context', sql.raw(d.json), (c) => c.notNull())
      .addColumn('integrations', sql.raw(d.json), (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('original_timestamp', 'bigint')
      .addColumn('sent_at', 'bigint')
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('events_pk', ['workspace_id', 'id'])
      .execute();
    // The per-person timeline, by either identity.
    await db.schema.createIndex('events_user_idx').on('events').columns(['workspace_id', 'user_id', 'timestamp']).execute();
    await db.schema.createIndex('events_anonymous_idx').on('events').columns(['workspace_id', 'anonymous_id', 'timestamp']).execute();

    await db.schema
      .createTable('event_dedupe')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('event_dedupe_pk', ['workspace_id', 'message_id'])
      .execute();

    await db.schema
      .createTable('event_daily_counts')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      // '' when the event type has no name (identify, group, alias): key columns cannot be null.
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('event_daily_counts_pk', ['workspace_id', 'day', 'type', 'name', 'source'])
      .execute();

    await db.schema
      .createTable('event_sources')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('events', 'bigint', (c) => c.notNull())
      .addColumn('last_event_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('event_sources_pk', ['workspace_id', 'source'])
      .execute();

    await db.schema
      .createTable('ingest_errors')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('type', 'text')
      .addColumn('message_id', 'text')
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('key_prefix', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ingest_errors_pk', ['workspace_id', 'id'])
      .execute();
  },
};
