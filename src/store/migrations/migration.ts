import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect/types.js';

/** A migration is written once; `d` names the few dialect differences (JSON type). */
export interface StoreMigration {
  name: string;
  // Migrations see the database untyped: they run against whatever shape it had then.
  up(db: Kysely<unknown>, d: DialectHelpers): Promise<void>;
}
