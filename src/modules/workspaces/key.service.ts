import { toIso } from '../../platform/clock.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { ApiKeysTable } from '../../store/index.js';
import { appendAudit } from './audit.store.js';
import type { WorkspaceDeps } from './deps.js';
import { findKey, findKeyByHash, insertKey, listKeys, markKeyRevoked, touchKey } from './key.store.js';
import type { Actor } from './principal.js';
import { isRole, roleRank, type Role } from './roles.js';
import type { ApiKeyCreate, ApiKeyView, KeyKind } from './workspace.schema.js';

/**
 * Keys are `ec_wk_…` (write: public, only sends events) or `ec_sk_…` (secret: the REST API).
 * Only the SHA-256 of a key is stored; the token is shown once, at creation.
 */
const TOKEN_PREFIX: Record<KeyKind, string> = { write: 'ec_wk_', secret: 'ec_sk_' };
const SHOWN_PREFIX_LENGTH = 12;
/** A key's last use is written at most this often, so using a key is not a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

const view = (k: ApiKeysTable): ApiKeyView => ({
  id: k.id,
  kind: k.kind as KeyKind,
  name: k.name,
  prefix: k.prefix,
  role: k.role as Role,
  createdAt: toIso(k.created_at) as string,
  lastUsedAt: toIso(k.last_used_at),
  revokedAt: toIso(k.revoked_at),
  createdBy: k.created_by,
});

export async function keysOf(deps: WorkspaceDeps, workspaceId: string): Promise<ApiKeyView[]> {
  return (await listKeys(deps.store.db, workspaceId)).map(view);
}

export async function createKey(
  deps: WorkspaceDeps,
  ctx: { workspaceId: string; callerRole: Role; actor: Actor },
  input: ApiKeyCreate,
): Promise<{ key: ApiKeyView; token: string }> {
  // Write keys can only send events, so their role never grants REST access.
  const role: Role = input.kind === 'write' ? 'viewer' : (input.role ?? 'admin');
  if (roleRank(role) > roleRank(ctx.callerRole)) {
    throw new AppError('FORBIDDEN', `a ${ctx.callerRole} may not create a key with the ${role} role`);
  }
  const now = deps.clock.now();
  const token = TOKEN_PREFIX[input.kind] + randomToken(32);
  const row: ApiKeysTable = {
    workspace_id: ctx.workspaceId,
    id: newId('key', now),
    kind: input.kind,
    name: input.name,
    prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
    token_hash: sha256(token),
    role,
    created_by: ctx.actor.label,
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await deps.store.db.transaction().execute(async (trx) => {
    await insertKey(trx, row);
    await appendAudit(trx, {
      workspaceId: ctx.workspaceId,
      actor: ctx.actor,
      action: 'key.create',
      target: { type: 'api_key', id: row.id },
      details: { kind: row.kind, name: row.name, role, prefix: row.prefix },
      at: now,
    });
  });
  return { key: view(row), token };
}

export async function revokeKey(
  deps: WorkspaceDeps,
  ctx: { workspaceId: string; actor: Actor },
  keyId: string,
): Promise<ApiKeyView> {
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const key = await findKey(trx, ctx.workspaceId, keyId);
    if (!key) throw new AppError('KEY_NOT_FOUND', 'no such API key in this workspace');
    if (key.revoked_at !== null) throw new AppError('KEY_ALREADY_REVOKED', 'this key is already revoked');
    await markKeyRevoked(trx, ctx.workspaceId, keyId, now);
    await appendAudit(trx, {
      workspaceId: ctx.workspaceId,
      actor: ctx.actor,
      action: 'key.revoke',
      target: { type: 'api_key', id: keyId },
      details: { name: key.name, prefix: key.prefix },
      at: now,
    });
    return view({ ...key, revoked_at: now });
  });
}

export interface ResolvedKey {
  keyId: string;
  workspaceId: string;
  kind: KeyKind;
  role: Role;
  name: string;
}

/** Look a presented token up; undefined when unknown, revoked or malformed. */
export async function resolveKey(deps: WorkspaceDeps, token: string): Promise<ResolvedKey | undefined> {
  if (!/^ec_(wk|sk)_[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const key = await findKeyByHash(deps.store.db, sha256(token));
  if (!key || key.revoked_at !== null || !isRole(key.role)) return undefined;
  const now = deps.clock.now();
  if (key.last_used_at === null || now - key.last_used_at > TOUCH_INTERVAL_MS) {
    await touchKey(deps.store.db, key.workspace_id, key.id, now);
  }
  return { keyId: key.id, workspaceId: key.workspace_id, kind: key.kind as KeyKind, role: key.role, name: key.name };
}
