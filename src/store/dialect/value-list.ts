/**
 * `column IN (a long list of strings)`, as one bound parameter rather than one per value (SQLite
 * allows 32 766 parameters a statement, PostgreSQL 65 535): SQLite reads the list from a JSON
 * array with `json_each`, PostgreSQL binds it as a `text[]`. Both probe an index on the column
 * once per value, and the statement text stays the same whatever the list's length, so it is
 * prepared once.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectName } from './types.js';

export function inValues(dialect: DialectName, column: string, values: readonly string[]): RawBuilder<SqlBool> {
  const ref = sql.ref(column);
  return dialect === 'postgres' ? sql<SqlBool>`${ref} = any(${[...values]}::text[])` : sql<SqlBool>`${ref} in (select value from json_each(${JSON.stringify(values)}))`;
}
