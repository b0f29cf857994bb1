import { toIso } from '../../platform/clock.js';
import type { WorkspaceDeps } from './deps.js';
import { listAudit } from './audit.store.js';
import type { AuditEntryView } from './workspace.schema.js';

export async function auditEntries(
  deps: WorkspaceDeps,
  workspaceId: string,
  query: { limit: number; before?: string | undefined },
): Promise<{ entries: AuditEntryView[]; nextCursor: string | null }> {
  const { rows, nextCursor } = await listAudit(deps.store.db, workspaceId, query.limit, query.before);
  return {
    entries: rows.map((r) => ({
      id: r.id,
      at: toIso(r.at) as string,
      actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label },
      action: r.action,
      target: r.target_type ? { type: r.target_type, id: r.target_id } : null,
      details: r.details,
    })),
    nextCursor,
  };
}
