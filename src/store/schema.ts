import type { ColumnType, Generated } from 'kysely';

/**
 * The database's tables as Kysely sees them. Times are epoch milliseconds in a
 * BIGINT on both dialects (one query for both, cheap range scans, partitionable);
 * JSON is TEXT on SQLite and JSONB on PostgreSQL, written as a string and read
 * back through `fromJson`. `workspace_id` leads the key of every tenant table.
 */
type Json = ColumnType<unknown, string, string>;

export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: number;
  last_login_at: number | null;
}

export interface MembershipsTable {
  workspace_id: string;
  user_id: string;
  role: string;
  created_at: number;
}

export interface SessionsTable {
  /** sha256 of the cookie's token: a stolen database cannot log anyone in. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

export interface LoginAttemptsTable {
  /** sha256 of the lowercased e-mail, so unknown and known accounts throttle alike. */
  key: string;
  failures: number;
  last_failed_at: number;
}

export interface ApiKeysTable {
  workspace_id: string;
  id: string;
  kind: string;
  name: string;
  /** The first characters of the token, shown so that people can tell keys apart. */
  prefix: string;
  token_hash: string;
  role: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  workspace_id: string;
  id: string;
  at: number;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Json;
}

export interface JobsTable {
  id: string;
  workspace_id: string | null;
  queue: string;
  payload: Json;
  status: string;
  run_at: number;
  attempts: Generated<number>;
  max_attempts: number;
  /** Deduplicates scheduling: at most one unfinished job per (queue, unique_key). */
  unique_key: string | null;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface SourceRecordsTable {
  workspace_id: string;
  /** The silo the record came from: crm, billing, support, web, hr … */
  source: string;
  kind: string;
  external_id: string;
  data: Json;
  occurred_at: number;
  imported_at: number;
  updated_at: number;
}

export interface WorkspaceSettingsTable {
  workspace_id: string;
  key: string;
  value: Json;
  updated_at: number;
}

export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  source_records: SourceRecordsTable;
  workspace_settings: WorkspaceSettingsTable;
}
