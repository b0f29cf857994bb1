export { openStore, dialectOf, isPostgresUrl, type Store } from './database.js';
export { migrateToLatest, type MigrationReport } from './migrate.js';
export { fromJson, toJson, type DialectName } from './dialect/types.js';
export { readSetting, writeSetting } from './settings.js';
export { upsertSourceRecords, recordFacts, RECORDS_UPSERTED, type RecordsUpserted, type SourceRecordRow } from './source-records.js';
export type * from './schema.js';
export * from './jobs/index.js';
export { appendFacts, followFacts, pruneFacts, readFacts, readCursor, writeCursor, settledBound, settleWindowMs, type Fact, type StoredFact } from './outbox.js';
export { internalTransaction } from './internal-transaction.js';
