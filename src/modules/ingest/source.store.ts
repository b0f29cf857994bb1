/**
 * The Sources page: write keys with what each has sent, and the recent refused messages.
 * Reads `api_keys` directly (read-only) because the workspaces module exposes no listing
 * of keys through its index; the join stays within one workspace.
 */
import type { Kysely } from 'kysely';
import { toIso } from '../../platform/clock.js';
import type { Database } from '../../store/index.js';
import type { IngestErrorView, SourceView } from './events.schema.js';

export async function listSources(db: Kysely<Database>, workspaceId: string): Promise<SourceView[]> {
  const rows = await db
    .selectFrom('api_keys as k')
    .leftJoin('event_sources as s', (j) => j.onRef('s.workspace_id', '=', 'k.workspace_id').onRef('s.source', '=', 'k.id'))
    .select(['k.id', 'k.name', 'k.prefix', 'k.revoked_at', 's.events', 's.last_event_at'])
    .where('k.workspace_id', '=', workspaceId)
    .where('k.kind', '=', 'write')
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id', 'desc')
    .execute();
  return rows.map((r) => ({
    keyId: r.id,
    keyName: r.name,
    keyPrefix: r.prefix,
    revoked: r.revoked_at !== null,
    events: Number(r.events ?? 0),
    lastEventAt: toIso(r.last_event_at),
  }));
}

export async function listRecentErrors(db: Kysely<Database>, workspaceId: string, limit: number): Promise<IngestErrorView[]> {
  const rows = await db
    .selectFrom('ingest_errors')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    at: toIso(r.at) as string,
    type: r.type,
    messageId: r.message_id,
    code: r.code,
    message: r.message,
    keyPrefix: r.key_prefix,
  }));
}
