import { AppError } from '../../platform/errors.js';
import type { WorkspaceDeps } from './deps.js';
import type { Principal } from './principal.js';
import { can, isRole, type Permission, type Role } from './roles.js';
import { findWorkspaceForUser } from './workspace.store.js';

/**
 * The caller's role in a workspace. A workspace the caller cannot see does not
 * exist for them (404, never 403), so ids of other tenants leak nothing.
 */
export async function roleIn(deps: WorkspaceDeps, principal: Principal, workspaceId: string): Promise<Role> {
  if (principal.type === 'key') {
    if (principal.workspaceId !== workspaceId) throw workspaceNotFound();
    return principal.role;
  }
  const row = await findWorkspaceForUser(deps.store.db, workspaceId, principal.userId);
  if (!row || !isRole(row.role)) throw workspaceNotFound();
  return row.role;
}

export async function authorize(
  deps: WorkspaceDeps,
  principal: Principal,
  workspaceId: string,
  permission: Permission,
): Promise<Role> {
  const role = await roleIn(deps, principal, workspaceId);
  if (!can(role, permission)) {
    throw new AppError('FORBIDDEN', `your role (${role}) may not do this (needs ${permission})`);
  }
  return role;
}

const workspaceNotFound = () => new AppError('WORKSPACE_NOT_FOUND', 'workspace not found');
