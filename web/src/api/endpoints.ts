import { request } from './client';
import type {
  ApiKey,
  AuditPage,
  KeyKind,
  Member,
  Overview,
  Role,
  Session,
  Workspace,
} from './types';

const ws = (id: string) => `/api/workspaces/${encodeURIComponent(id)}`;

export const api = {
  login: (email: string, password: string) =>
    request<Session>('POST', '/api/auth/login', { body: { email, password }, noAuthRedirect: true }),
  me: () => request<Session>('GET', '/api/auth/me', { noAuthRedirect: true }),
  logout: () => request<void>('POST', '/api/auth/logout', { noAuthRedirect: true }),

  listWorkspaces: () => request<{ workspaces: Workspace[] }>('GET', '/api/workspaces'),
  createWorkspace: (name: string) =>
    request<{ workspace: Workspace }>('POST', '/api/workspaces', { body: { name } }),
  getWorkspace: (id: string) => request<{ workspace: Workspace }>('GET', ws(id)),
  renameWorkspace: (id: string, name: string) =>
    request<{ workspace: Workspace }>('PATCH', ws(id), { body: { name } }),

  overview: (id: string) => request<Overview>('GET', `${ws(id)}/overview`),

  listMembers: (id: string) => request<{ members: Member[] }>('GET', `${ws(id)}/members`),
  addMember: (id: string, input: { email: string; name: string; password?: string; role: Role }) =>
    request<{ member: Member }>('POST', `${ws(id)}/members`, { body: input }),
  changeMemberRole: (id: string, userId: string, role: Role) =>
    request<{ member: Member }>('PATCH', `${ws(id)}/members/${encodeURIComponent(userId)}`, { body: { role } }),
  removeMember: (id: string, userId: string) =>
    request<void>('DELETE', `${ws(id)}/members/${encodeURIComponent(userId)}`),

  listKeys: (id: string) => request<{ keys: ApiKey[] }>('GET', `${ws(id)}/keys`),
  createKey: (id: string, input: { kind: KeyKind; name: string; role?: Role }) =>
    request<{ key: ApiKey; token: string }>('POST', `${ws(id)}/keys`, { body: input }),
  revokeKey: (id: string, keyId: string) =>
    request<{ key: ApiKey }>('DELETE', `${ws(id)}/keys/${encodeURIComponent(keyId)}`),

  audit: (id: string, opts: { limit?: number; before?: string | null } = {}) =>
    request<AuditPage>('GET', `${ws(id)}/audit`, { query: { limit: opts.limit ?? 50, before: opts.before } }),
};
