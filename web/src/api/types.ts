/** Shapes of the Empty Chair HTTP API, as the dashboard uses them. */

export const ROLES = ['owner', 'admin', 'manager', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Membership {
  workspaceId: string;
  workspaceName: string;
  role: Role;
}

export interface Session {
  user: User;
  csrfToken: string;
  memberships: Membership[];
}

export interface Workspace {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface OverviewRecord {
  source: string;
  kind: string;
  count: number;
}

export interface Overview {
  records: OverviewRecord[];
  members: number;
  keys: number;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export type KeyKind = 'write' | 'secret';

export interface ApiKey {
  id: string;
  kind: KeyKind;
  name: string;
  prefix: string;
  role: Role | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdBy: string | null;
}

export interface AuditActor {
  type: string;
  id: string | null;
  label: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: AuditActor;
  action: string;
  target: { type: string; id: string } | null;
  details: unknown;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}
