import { sql } from 'kysely';
import type { StoreMigration } from './migration.js';

/** Per-workspace settings as JSON documents by key (thresholds, markers, preferences). */
export const m0004WorkspaceSettings: StoreMigration = {
  name: '0004_workspace_settings',
  async up(db, d) {
    await db.schema
      .createTable('workspace_settings')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', sql.raw(d.json), (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('workspace_settings_pk', ['workspace_id', 'key'])
      .execute();
  },
};
