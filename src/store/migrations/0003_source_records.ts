import { sql } from 'kysely';
import type { StoreMigration } from './migration.js';

/** Raw records from each silo (CRM, billing, support …), idempotent on the source's own id. */
export const m0003SourceRecords: StoreMigration = {
  name: '0003_source_records',
  async up(db, d) {
    await db.schema
      .createTable('source_records')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('data', sql.raw(d.json), (c) => c.notNull())
      .addColumn('occurred_at', 'bigint', (c) => c.notNull())
      .addColumn('imported_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('source_records_pk', ['workspace_id', 'source', 'kind', 'external_id'])
      .execute();
    await db.schema
      .createIndex('source_records_kind_idx')
      .on('source_records')
      .columns(['workspace_id', 'kind', 'occurred_at'])
      .execute();
  },
};
