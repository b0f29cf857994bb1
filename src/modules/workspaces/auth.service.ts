import { decoyPasswordHash, hashPassword, randomToken, sha256, verifyPassword } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { WorkspaceDeps } from './deps.js';
import { waitBeforeRetry } from './login-throttle.js';
import type { Principal } from './principal.js';
import { isRole } from './roles.js';
import {
  clearLoginFailures,
  deleteExpiredSessions,
  deleteSession,
  findLoginAttempts,
  findSessionWithUser,
  insertSession,
  recordLoginFailure,
  touchSession,
} from './session.store.js';
import { findUserByEmail, insertUser } from './user.store.js';
import { listWorkspacesForUser } from './workspace.store.js';
import type { SessionView } from './workspace.schema.js';

export const SESSION_TTL_MS = 14 * 24 * 3600_000;
const TOUCH_INTERVAL_MS = 5 * 60_000;

export async function createUser(
  deps: WorkspaceDeps,
  input: { email: string; name: string; password: string },
): Promise<{ id: string; email: string; name: string }> {
  if (await findUserByEmail(deps.store.db, input.email)) {
    throw new AppError('USER_EMAIL_TAKEN', `a user with e-mail ${input.email} already exists`);
  }
  const now = deps.clock.now();
  const user = {
    id: newId('usr', now),
    email: input.email,
    name: input.name,
    password_hash: await hashPassword(input.password),
    created_at: now,
    last_login_at: null,
  };
  await insertUser(deps.store.db, user);
  return { id: user.id, email: user.email, name: user.name };
}

/**
 * Check e-mail and password and open a session. Every failure is the same error,
 * and an unknown e-mail costs the same scrypt work as a wrong password.
 */
export async function login(
  deps: WorkspaceDeps,
  email: string,
  password: string,
): Promise<{ token: string; session: SessionView }> {
  const db = deps.store.db;
  const throttleKey = sha256(email.toLowerCase());
  const now = deps.clock.now();
  const wait = waitBeforeRetry(await findLoginAttempts(db, throttleKey), now);
  if (wait > 0) {
    const retryAfterSeconds = Math.ceil(wait / 1000);
    throw new AppError('RATE_LIMITED', `too many failed logins; try again in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
  const user = await findUserByEmail(db, email.toLowerCase());
  const ok = await verifyPassword(password, user?.password_hash ?? (await decoyPasswordHash()));
  if (!user || !ok) {
    await recordLoginFailure(db, throttleKey, now);
    throw new AppError('AUTH_INVALID_CREDENTIALS', 'wrong e-mail or password');
  }
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  await db.transaction().execute(async (trx) => {
    await clearLoginFailures(trx, throttleKey);
    await insertSession(trx, {
      id: sha256(token),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: now + SESSION_TTL_MS,
      last_seen_at: now,
    });
    await trx.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute();
  });
  const principal: Principal = {
    type: 'user',
    userId: user.id,
    email: user.email,
    name: user.name,
    sessionId: sha256(token),
    csrfToken,
  };
  return { token, session: await sessionView(deps, principal) };
}

/** The user behind a session cookie, or undefined when unknown or expired. */
export async function resolveSession(deps: WorkspaceDeps, token: string): Promise<Principal | undefined> {
  if (token.length < 20 || token.length > 100) return undefined;
  const id = sha256(token);
  const row = await findSessionWithUser(deps.store.db, id);
  const now = deps.clock.now();
  if (!row || row.expires_at <= now) return undefined;
  if (now - row.last_seen_at > TOUCH_INTERVAL_MS) await touchSession(deps.store.db, id, now);
  return { type: 'user', userId: row.user_id, email: row.email, name: row.name, sessionId: id, csrfToken: row.csrf_token };
}

export async function logout(deps: WorkspaceDeps, principal: Principal): Promise<void> {
  if (principal.type === 'user') await deleteSession(deps.store.db, principal.sessionId);
}

export async function sessionView(deps: WorkspaceDeps, principal: Principal): Promise<SessionView> {
  if (principal.type !== 'user') throw new AppError('AUTH_REQUIRED', 'this endpoint needs a logged-in user');
  const workspaces = await listWorkspacesForUser(deps.store.db, principal.userId);
  return {
    user: { id: principal.userId, email: principal.email, name: principal.name },
    csrfToken: principal.csrfToken,
    memberships: workspaces
      .filter((w) => isRole(w.role))
      .map((w) => ({ workspaceId: w.id, workspaceName: w.name, role: w.role as SessionView['memberships'][number]['role'] })),
  };
}

/** Housekeeping: forget sessions past their expiry. */
export async function purgeExpiredSessions(deps: WorkspaceDeps): Promise<void> {
  await deleteExpiredSessions(deps.store.db, deps.clock.now());
}
