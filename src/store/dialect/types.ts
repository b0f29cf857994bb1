export type DialectName = 'sqlite' | 'postgres';

/** The few places where the two dialects differ, named once. */
export interface DialectHelpers {
  name: DialectName;
  /** Column type for JSON documents. */
  json: 'text' | 'jsonb';
}

export const dialectHelpers: Record<DialectName, DialectHelpers> = {
  sqlite: { name: 'sqlite', json: 'text' },
  postgres: { name: 'postgres', json: 'jsonb' },
};

/** JSON columns come back as a string from SQLite and as a value from PostgreSQL. */
export function fromJson<T = unknown>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
