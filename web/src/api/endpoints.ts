import { request, uploadForm, type UploadOptions } from './client';
import type {
  ApiKey,
  AuditPage,
  EventDayCount,
  EventPage,
  EventTail,
  ImportKind,
  ImportView,
  IngestError,
  IngestSource,
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

  // Customer data in: tracking events
  listEvents: (id: string, opts: { limit?: number; before?: string | null; signal?: AbortSignal } = {}) =>
    request<EventPage>('GET', `${ws(id)}/events`, {
      query: { limit: opts.limit ?? 50, before: opts.before },
      signal: opts.signal,
    }),
  tailEvents: (id: string, opts: { after?: string | null; limit?: number; signal?: AbortSignal } = {}) =>
    request<EventTail>('GET', `${ws(id)}/events/tail`, {
      query: { after: opts.after, limit: opts.limit ?? 100 },
      signal: opts.signal,
    }),
  eventCounts: (id: string, range: { from: string; to: string }) =>
    request<{ days: EventDayCount[] }>('GET', `${ws(id)}/events/counts`, { query: range }),
  ingestErrors: (id: string, opts: { limit?: number } = {}) =>
    request<{ errors: IngestError[] }>('GET', `${ws(id)}/ingest/errors`, { query: { limit: opts.limit ?? 50 } }),
  ingestSources: (id: string) => request<{ sources: IngestSource[] }>('GET', `${ws(id)}/ingest/sources`),

  // Customer data in: file imports
  createImport: (
    id: string,
    input: { kind: ImportKind; source: string; mapping?: string; file: File },
    opts: UploadOptions = {},
  ) => {
    const form = new FormData();
    // Fields before the file, so that the server knows what it is reading before the file streams in.
    form.append('kind', input.kind);
    form.append('source', input.source);
    if (input.mapping) form.append('mapping', input.mapping);
    form.append('file', input.file, input.file.name);
    return uploadForm<{ import: ImportView }>(`${ws(id)}/imports`, form, opts);
  },
  listImports: (id: string, opts: { limit?: number } = {}) =>
    request<{ imports: ImportView[] }>('GET', `${ws(id)}/imports`, { query: { limit: opts.limit ?? 50 } }),
  getImport: (id: string, importId: string) =>
    request<{ import: ImportView }>('GET', `${ws(id)}/imports/${encodeURIComponent(importId)}`),
  /** A plain link (the session cookie authenticates it) to an import's rejected rows as CSV. */
  importErrorsUrl: (id: string, importId: string) => `${ws(id)}/imports/${encodeURIComponent(importId)}/errors.csv`,
};
