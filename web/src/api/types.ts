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

// ---------------------------------------------------------------------------
// Customer data in: tracking events, ingest errors and file imports

export const EVENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventView {
  id: string;
  messageId: string;
  type: EventType;
  /** The event name (track) or page/screen name; null for other types. */
  name: string | null;
  userId: string | null;
  anonymousId: string | null;
  timestamp: string;
  receivedAt: string;
  source: { keyId: string; keyName: string | null };
  properties: unknown;
  context: unknown;
}

export interface EventPage {
  /** Newest first. */
  events: EventView[];
  nextCursor: string | null;
}

export interface EventTail {
  /** Oldest first. */
  events: EventView[];
  /** A position up to 5 s behind the newest event (late commits from other servers are not skipped); events may repeat, so drop ids already shown. */
  cursor: string | null;
}

export interface EventDayCount {
  day: string;
  type: string;
  name: string | null;
  source: string;
  count: number;
}

export interface IngestError {
  at: string;
  type: string | null;
  messageId: string | null;
  code: string;
  message: string;
  keyPrefix: string | null;
}

export interface IngestSource {
  keyId: string;
  keyName: string;
  keyPrefix: string;
  revoked: boolean;
  events: number;
  lastEventAt: string | null;
}

export const IMPORT_KINDS = ['contacts', 'accounts', 'orders', 'subscriptions', 'tickets'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type ImportStatus = 'running' | 'succeeded' | 'failed';

export interface ImportView {
  id: string;
  /** The contract says plural ("contacts"); the server currently answers singular ("contact"). Use kindLabel(). */
  kind: ImportKind | 'contact' | 'account' | 'order' | 'subscription' | 'ticket';
  source: string;
  fileName: string;
  format: 'csv' | 'jsonl';
  status: ImportStatus;
  rowsRead: number;
  rowsImported: number;
  rowsFailed: number;
  /** Problems written to the error report: failed rows and notes (e.g. a late JSONL key). */
  errorsTotal: number;
  mapping: Record<string, string>;
  startedAt: string;
  finishedAt: string | null;
  /** Who started it (the person's label, e.g. their e-mail), or null. */
  createdBy: string | null;
}
