import type { Role } from './types';

const RANK: Record<Role, number> = { owner: 4, admin: 3, manager: 2, agent: 1, viewer: 0 };

export function roleAtLeast(role: Role | undefined | null, min: Role): boolean {
  if (!role) return false;
  return RANK[role] >= RANK[min];
}

export const ROLE_LABEL: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  agent: 'Agent',
  viewer: 'Viewer',
};

export const ROLE_COLOR: Record<Role, string> = {
  owner: 'grape',
  admin: 'blue',
  manager: 'teal',
  agent: 'cyan',
  viewer: 'gray',
};

/** Roles a person with `actor` role may grant: only an owner may grant owner. */
export function grantableRoles(actor: Role): Role[] {
  const all: Role[] = ['owner', 'admin', 'manager', 'agent', 'viewer'];
  return actor === 'owner' ? all : all.filter((r) => r !== 'owner');
}
