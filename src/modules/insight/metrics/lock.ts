import { sql, type Kysely } from 'kysely';
import type { Database, DialectName } from '../../../store/index.js';

export type RollupName = 'satisfaction' | 'retention' | 'sla';

/**
 * Serialise the rollup transactions of one workspace and log on PostgreSQL (several processes
 * may run the follower, the backfill and the demo seed at once): each reads a stored state,
 * then adds the difference, which two at once would add twice. SQLite has one writer.
 */
export async function lockRollup(db: Kysely<Database>, dialect: DialectName, workspaceId: string, what: RollupName): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`insight:${what}:${workspaceId}`}))`.execute(db);
}
