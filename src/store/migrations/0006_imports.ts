import { sql } from 'kysely';
import type { StoreMigration } from './migration.js';

/** Import history and per-row error reports (file imports). */
export const m0006Imports: StoreMigration = {
  name: '0006_imports',
  async up(db, d) {
    await db.schema
      .createTable('imports')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('mapping', sql.raw(d.json), (c) => c.notNull())
      .addColumn('options', sql.raw(d.json), (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('rows_read', 'bigint', (c) => c.notNull())
      .addColumn('rows_imported', 'bigint', (c) => c.notNull())
      .addColumn('rows_failed', 'bigint', (c) => c.notNull())
      .addColumn('errors_total', 'bigint', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('created_by', 'text')
      .addPrimaryKeyConstraint('imports_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema.createIndex('imports_started_idx').on('imports').columns(['workspace_id', 'started_at']).execute();

    await db.schema
      .createTable('import_errors')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('import_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('line', 'bigint', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('import_errors_pk', ['workspace_id', 'import_id', 'seq'])
      .addForeignKeyConstraint('import_errors_import_fk', ['workspace_id', 'import_id'], 'imports', ['workspace_id', 'id'], (fk) => fk.onDelete('cascade'))
      .execute();
  },
};
