import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Store } from './database.js';
import { migrations as allMigrations } from './migrations/index.js';
import type { StoreMigration } from './migrations/migration.js';

class StaticProvider implements MigrationProvider {
  constructor(
    private readonly store: Store,
    private readonly list: StoreMigration[],
  ) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      this.list.map((m) => [m.name, { up: (db: Kysely<unknown>) => m.up(db, this.store.dialect) }]),
    );
  }
}

export interface MigrationReport {
  applied: string[];
}

/**
 * Bring the schema to the latest version. Idempotent: a second run applies nothing.
 * Kysely's migrator takes a lock (an advisory lock on PostgreSQL), so several
 * processes starting together do not race, and each migration runs in a transaction.
 */
export async function migrateToLatest(store: Store, list: StoreMigration[] = allMigrations): Promise<MigrationReport> {
  const migrator = new Migrator({ db: store.db, provider: new StaticProvider(store, list) });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`);
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
