/**
 * Roles and what each may do. A role may do everything the roles below it may.
 * Routes name a permission; this table is the one place that says who holds it.
 */
export const ROLES = ['viewer', 'agent', 'manager', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

const MINIMUM_ROLE = {
  'workspace.read': 'viewer',
  'members.read': 'viewer',
  'workspace.update': 'admin',
  'members.manage': 'admin',
  'keys.read': 'admin',
  'keys.manage': 'admin',
  'audit.read': 'admin',
  'jobs.read': 'admin',
  'jobs.manage': 'admin',
  'events.read': 'viewer',
  'imports.read': 'viewer',
  'imports.manage': 'manager',
  'customers.read': 'viewer',
  'customers.merge': 'manager',
  'feedback.read': 'viewer',
  'feedback.manage': 'manager',
  'followups.read': 'viewer',
  'followups.work': 'agent',
  'followups.manage': 'manager',
  'insight.read': 'viewer',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof MINIMUM_ROLE;
export const PERMISSIONS = Object.keys(MINIMUM_ROLE) as Permission[];

export const roleRank = (role: Role): number => ROLES.indexOf(role);

export function can(role: Role, permission: Permission): boolean {
  return roleRank(role) >= roleRank(MINIMUM_ROLE[permission]);
}

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
