/** Queries for import history, per-row errors and the records an import writes. */
import { CompiledQuery, type Insertable, type Kysely, type Selectable } from 'kysely';
import { fromJson, toJson } from '../../store/dialect/types.js';
import type { Database, ImportErrorsTable, ImportsTable, SourceRecordsTable } from '../../store/schema.js';
import { upsertSourceRecords } from '../../store/source-records.js';
import type { Mapping } from './mapping.js';

export type Db = Kysely<Database>;
export type RecordRow = Insertable<SourceRecordsTable>;

export const IMPORT_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportRecord {
  workspaceId: string;
  id: string;
  kind: string;
  source: string;
  fileName: string;
  format: string;
  mapping: Mapping;
  options: Record<string, unknown>;
  status: ImportStatus;
  rowsRead: number;
  rowsImported: number;
  rowsFailed: number;
  errorsTotal: number;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
  createdBy: string | null;
}

export interface RowError {
  line: number;
  field: string;
  value: string;
  reason: string;
}

const toRecord = (r: Selectable<ImportsTable>): ImportRecord => ({
  workspaceId: r.workspace_id,
  id: r.id,
  kind: r.kind,
  source: r.source,
  fileName: r.file_name,
  format: r.format,
  mapping: fromJson<Mapping>(r.mapping) ?? {},
  options: fromJson<Record<string, unknown>>(r.options) ?? {},
  status: r.status as ImportStatus,
  rowsRead: Number(r.rows_read),
  rowsImported: Number(r.rows_imported),
  rowsFailed: Number(r.rows_failed),
  errorsTotal: Number(r.errors_total),
  error: r.error,
  startedAt: Number(r.started_at),
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  createdBy: r.created_by,
});

export async function insertImport(db: Db, r: ImportRecord): Promise<void> {
  await db
    .insertInto('imports')
    .values({
      workspace_id: r.workspaceId,
      id: r.id,
      kind: r.kind,
      source: r.source,
      file_name: r.fileName,
      format: r.format,
      mapping: toJson(r.mapping),
      options: toJson(r.options),
      status: r.status,
      rows_read: r.rowsRead,
      rows_imported: r.rowsImported,
      rows_failed: r.rowsFailed,
      errors_total: r.errorsTotal,
      error: r.error,
      started_at: r.startedAt,
      finished_at: r.finishedAt,
      created_by: r.createdBy,
    })
    .execute();
}

export async function updateImport(
  db: Db,
  r: Pick<ImportRecord, 'workspaceId' | 'id' | 'mapping' | 'status' | 'rowsRead' | 'rowsImported' | 'rowsFailed' | 'errorsTotal' | 'error' | 'finishedAt'>,
): Promise<void> {
  await db
    .updateTable('imports')
    .set({
      mapping: toJson(r.mapping),
      status: r.status,
      rows_read: r.rowsRead,
      rows_imported: r.rowsImported,
      rows_failed: r.rowsFailed,
      errors_total: r.errorsTotal,
      error: r.error,
      finished_at: r.finishedAt,
    })
    .where('workspace_id', '=', r.workspaceId)
    .where('id', '=', r.id)
    .execute();
}

export async function getImport(db: Db, workspaceId: string, id: string): Promise<ImportRecord | undefined> {
  const row = await db.selectFrom('imports').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function listImports(db: Db, workspaceId: string, limit: number): Promise<ImportRecord[]> {
  const rows = await db
    .selectFrom('imports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

export async function insertErrors(db: Db, workspaceId: string, importId: string, firstSeq: number, errors: RowError[], batch = 500): Promise<void> {
  for (let i = 0; i < errors.length; i += batch) {
    const rows: Insertable<ImportErrorsTable>[] = errors.slice(i, i + batch).map((e, k) => ({
      workspace_id: workspaceId,
      import_id: importId,
      seq: firstSeq + i + k,
      line: e.line,
      field: e.field,
      value: e.value,
      reason: e.reason,
    }));
    await db.insertInto('import_errors').values(rows).execute();
  }
}

export async function errorsOf(db: Db, workspaceId: string, importId: string): Promise<RowError[]> {
  const rows = await db
    .selectFrom('import_errors')
    .select(['line', 'field', 'value', 'reason'])
    .where('workspace_id', '=', workspaceId)
    .where('import_id', '=', importId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ line: Number(r.line), field: r.field, value: r.value, reason: r.reason }));
}


/** The columns of a record row, in the order `RecordUpsert.run` takes their values. */
export const RECORD_COLUMNS = ['workspace_id', 'source', 'kind', 'external_id', 'data', 'occurred_at', 'imported_at', 'updated_at'] as const;

/**
 * The upsert above, compiled once per statement size for bulk writers (the importer):
 * Kysely writes the SQL for the dialect once, and each call only binds values,
 * `RECORD_COLUMNS.length` per row, row after row. Saves building and compiling a
 * 500-row query per statement.
 */
export class RecordUpsert {
  private readonly sql = new Map<number, string>();
  constructor(private readonly db: Db) {}

  private sqlFor(rows: number): string {
    let text = this.sql.get(rows);
    if (text === undefined) {
      const C = RECORD_COLUMNS.length;
      const marker = (r: number, c: number) => `@${r}:${c}`;
      const sample = Array.from({ length: rows }, (_, r) => Object.fromEntries(RECORD_COLUMNS.map((col, c) => [col, marker(r, c)])) as unknown as RecordRow);
      const compiled = upsertSourceRecords(this.db, sample).compile();
      // Values are bound row after row, columns in RECORD_COLUMNS order: check that this is what Kysely wrote.
      if (compiled.parameters.length !== rows * C || compiled.parameters.some((p, k) => p !== marker(Math.floor(k / C), k % C))) {
        throw new Error('source_records upsert: unexpected parameter order');
      }
      text = compiled.sql;
      this.sql.set(rows, text);
    }
    return text;
  }

  /** Upsert `values.length / RECORD_COLUMNS.length` rows on `db` (a transaction, usually). */
  async run(db: Db, values: unknown[]): Promise<void> {
    await db.executeQuery(CompiledQuery.raw(this.sqlFor(values.length / RECORD_COLUMNS.length), values));
  }
}
