import type { Insertable, Kysely } from 'kysely';
import type { Database, SourceRecordsTable } from './schema.js';

export type SourceRecordRow = Insertable<SourceRecordsTable>;

/**
 * Create or update silo records on (workspace, source, kind, external id): re-sending a
 * record updates it in place; `imported_at` stays, `updated_at` moves. Returns the
 * builder so that callers may execute it or compile it once and bind values later.
 */
export function upsertSourceRecords(db: Kysely<Database>, rows: SourceRecordRow[]) {
  return db
    .insertInto('source_records')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'source', 'kind', 'external_id']).doUpdateSet((eb) => ({
        data: eb.ref('excluded.data'),
        occurred_at: eb.ref('excluded.occurred_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    );
}
