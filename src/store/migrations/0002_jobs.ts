import { sql } from 'kysely';
import type { StoreMigration } from './migration.js';

export const m0002Jobs: StoreMigration = {
  name: '0002_jobs',
  async up(db, d) {
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text')
      .addColumn('queue', 'text', (c) => c.notNull())
      .addColumn('payload', sql.raw(d.json), (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('run_at', 'bigint', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('unique_key', 'text')
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .execute();
    await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['status', 'run_at']).execute();
    await db.schema.createIndex('jobs_workspace_idx').on('jobs').columns(['workspace_id', 'status']).execute();
    // At most one unfinished job per (queue, unique_key): scheduling twice is a no-op.
    await sql`create unique index jobs_unique_idx on jobs (queue, unique_key) where unique_key is not null and status in ('queued', 'running')`.execute(db);
  },
};
