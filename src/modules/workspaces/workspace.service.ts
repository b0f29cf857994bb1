import { AppError } from '../../platform/errors.js';
import { toIso } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { appendAudit } from './audit.store.js';
import type { WorkspaceDeps } from './deps.js';
import { actorOf, type Actor, type Principal } from './principal.js';
import { roleIn } from './access.js';
import { isRole, type Role } from './roles.js';
import type { WorkspaceView } from './workspace.schema.js';
import { insertMembership } from './member.store.js';
import {
  countActiveKeys,
  countMembers,
  countSourceRecords,
  findWorkspace,
  insertWorkspace,
  listWorkspacesForUser,
  renameWorkspace,
} from './workspace.store.js';

const view = (w: { id: string; name: string; created_at: number }, role: Role): WorkspaceView => ({
  id: w.id,
  name: w.name,
  role,
  createdAt: toIso(w.created_at) as string,
});

/** Create a workspace whose first owner is `ownerId`. */
export async function createWorkspace(
  deps: WorkspaceDeps,
  input: { name: string; ownerId: string; actor: Actor },
): Promise<WorkspaceView> {
  const now = deps.clock.now();
  const row = { id: newId('ws', now), name: input.name, created_at: now };
  await deps.store.db.transaction().execute(async (trx) => {
    await insertWorkspace(trx, row);
    await insertMembership(trx, { workspace_id: row.id, user_id: input.ownerId, role: 'owner', created_at: now });
    await appendAudit(trx, {
      workspaceId: row.id,
      actor: input.actor,
      action: 'workspace.create',
      target: { type: 'workspace', id: row.id },
      details: { name: input.name },
      at: now,
    });
  });
  return view(row, 'owner');
}

export async function listWorkspaces(deps: WorkspaceDeps, principal: Principal): Promise<WorkspaceView[]> {
  if (principal.type === 'key') {
    return [await getWorkspace(deps, principal, principal.workspaceId)];
  }
  const rows = await listWorkspacesForUser(deps.store.db, principal.userId);
  return rows.filter((r) => isRole(r.role)).map((r) => view(r, r.role as Role));
}

export async function getWorkspace(deps: WorkspaceDeps, principal: Principal, workspaceId: string): Promise<WorkspaceView> {
  const role = await roleIn(deps, principal, workspaceId);
  const row = await findWorkspace(deps.store.db, workspaceId);
  if (!row) throw new AppError('WORKSPACE_NOT_FOUND', 'workspace not found');
  return view(row, role);
}

export async function updateWorkspace(
  deps: WorkspaceDeps,
  principal: Principal,
  workspaceId: string,
  name: string,
): Promise<WorkspaceView> {
  const now = deps.clock.now();
  await deps.store.db.transaction().execute(async (trx) => {
    await renameWorkspace(trx, workspaceId, name);
    await appendAudit(trx, {
      workspaceId,
      actor: actorOf(principal),
      action: 'workspace.update',
      target: { type: 'workspace', id: workspaceId },
      details: { name },
      at: now,
    });
  });
  return getWorkspace(deps, principal, workspaceId);
}

export async function workspaceOverview(deps: WorkspaceDeps, workspaceId: string) {
  const db = deps.store.db;
  const [records, members, keys] = await Promise.all([
    countSourceRecords(db, workspaceId),
    countMembers(db, workspaceId),
    countActiveKeys(db, workspaceId),
  ]);
  return { records, members, keys };
}
