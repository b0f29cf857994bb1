import type { Kysely } from 'kysely';
import { newId } from '../../platform/ids.js';
import { fromJson, toJson, type Database } from '../../store/index.js';
import type { Actor } from './principal.js';

export interface AuditRecord {
  workspaceId: string;
  actor: Actor;
  action: string;
  target?: { type: string; id: string | null };
  details?: Record<string, unknown>;
  at: number;
}

/** Append to the audit log; call inside the transaction that makes the change. */
export async function appendAudit(db: Kysely<Database>, entry: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      workspace_id: entry.workspaceId,
      id: newId('aud', entry.at),
      at: entry.at,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      actor_label: entry.actor.label,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      details: toJson(entry.details ?? {}),
    })
    .execute();
}

/** Newest first; the cursor is the last id seen (ids sort by time). */
export async function listAudit(db: Kysely<Database>, workspaceId: string, limit: number, before?: string) {
  let q = db.selectFrom('audit_log').selectAll().where('workspace_id', '=', workspaceId);
  if (before) q = q.where('id', '<', before);
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return {
    rows: page.map((r) => ({ ...r, details: fromJson<unknown>(r.details) })),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
