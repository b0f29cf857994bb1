import type { Insertable, Kysely } from 'kysely';
import type { Fact } from './outbox.js';
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

/** The outbox topic that announces new or changed silo records (identity resolution reads it). */
export const RECORDS_UPSERTED = 'records.upserted';

export interface RecordsUpserted {
  source: string;
  kind: string;
  externalIds: string[];
}

const FACT_IDS = 1000;

/**
 * The facts to append after upserting these records (in the same transaction, last): one per
 * source, kind and thousand ids, in the order given.
 */
export function recordFacts(rows: readonly { source: string; kind: string; external_id: string }[]): Fact[] {
  const groups = new Map<string, RecordsUpserted>();
  const facts: Fact[] = [];
  for (const r of rows) {
    const key = `${r.source}\u0000${r.kind}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { source: r.source, kind: r.kind, externalIds: [] }));
    g.externalIds.push(r.external_id);
    if (g.externalIds.length >= FACT_IDS) {
      facts.push({ topic: RECORDS_UPSERTED, subject: null, payload: g });
      groups.delete(key);
    }
  }
  for (const g of groups.values()) facts.push({ topic: RECORDS_UPSERTED, subject: null, payload: g });
  return facts;
}
