import { toIso } from '../../platform/clock.js';
import { hashPassword } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { appendAudit } from './audit.store.js';
import type { WorkspaceDeps } from './deps.js';
import {
  countOwners,
  deleteMembership,
  findMember,
  insertMembership,
  listMembers,
  updateMemberRole,
} from './member.store.js';
import type { Actor } from './principal.js';
import { roleRank, type Role } from './roles.js';
import { findUserByEmail, insertUser } from './user.store.js';
import type { MemberCreate, MemberView } from './workspace.schema.js';

type MemberRow = { userId: string; email: string; name: string; role: string; created_at: number };
const view = (m: MemberRow): MemberView => ({
  userId: m.userId,
  email: m.email,
  name: m.name,
  role: m.role as Role,
  createdAt: toIso(m.created_at) as string,
});

/** Only an owner may make, unmake or remove an owner; nobody may act above their own role. */
function assertMayAssign(callerRole: Role, role: Role) {
  if (roleRank(role) > roleRank(callerRole)) {
    throw new AppError('FORBIDDEN', `a ${callerRole} may not grant the ${role} role`);
  }
}

export async function membersOf(deps: WorkspaceDeps, workspaceId: string): Promise<MemberView[]> {
  return (await listMembers(deps.store.db, workspaceId)).map(view);
}

async function mustFindMember(deps: WorkspaceDeps, workspaceId: string, userId: string) {
  const m = await findMember(deps.store.db, workspaceId, userId);
  if (!m) throw new AppError('MEMBER_NOT_FOUND', 'no such member in this workspace');
  return m;
}

/**
 * Add a person to a workspace, creating their user when the e-mail is new.
 * An existing user's password is never changed here: they may belong to other workspaces.
 */
export async function addMember(
  deps: WorkspaceDeps,
  ctx: { workspaceId: string; callerRole: Role; actor: Actor },
  input: MemberCreate,
): Promise<MemberView> {
  assertMayAssign(ctx.callerRole, input.role);
  const now = deps.clock.now();
  const existing = await findUserByEmail(deps.store.db, input.email);
  if (!existing && !input.password) {
    throw new AppError('VALIDATION_FAILED', 'a password is required for a new user', {
      issues: [{ path: 'password', message: 'required for a new user' }],
    });
  }
  const passwordHash = existing ? undefined : await hashPassword(input.password as string);
  const userId = existing?.id ?? newId('usr', now);
  await deps.store.db.transaction().execute(async (trx) => {
    if (!existing) {
      await insertUser(trx, {
        id: userId,
        email: input.email,
        name: input.name,
        password_hash: passwordHash as string,
        created_at: now,
        last_login_at: null,
      });
    } else if (await findMember(trx, ctx.workspaceId, userId)) {
      throw new AppError('MEMBER_EXISTS', 'this person is already a member');
    }
    await insertMembership(trx, { workspace_id: ctx.workspaceId, user_id: userId, role: input.role, created_at: now });
    await appendAudit(trx, {
      workspaceId: ctx.workspaceId,
      actor: ctx.actor,
      action: 'member.add',
      target: { type: 'user', id: userId },
      details: { email: input.email, role: input.role, newUser: !existing },
      at: now,
    });
  });
  return view(await mustFindMember(deps, ctx.workspaceId, userId));
}

export async function changeMemberRole(
  deps: WorkspaceDeps,
  ctx: { workspaceId: string; callerRole: Role; actor: Actor },
  userId: string,
  role: Role,
): Promise<MemberView> {
  const current = await mustFindMember(deps, ctx.workspaceId, userId);
  assertMayAssign(ctx.callerRole, current.role as Role);
  assertMayAssign(ctx.callerRole, role);
  const now = deps.clock.now();
  await deps.store.db.transaction().execute(async (trx) => {
    if (current.role === 'owner' && role !== 'owner' && (await countOwners(trx, ctx.workspaceId)) <= 1) {
      throw new AppError('LAST_OWNER', 'a workspace needs at least one owner');
    }
    await updateMemberRole(trx, ctx.workspaceId, userId, role);
    await appendAudit(trx, {
      workspaceId: ctx.workspaceId,
      actor: ctx.actor,
      action: 'member.role_change',
      target: { type: 'user', id: userId },
      details: { from: current.role, to: role },
      at: now,
    });
  });
  return view(await mustFindMember(deps, ctx.workspaceId, userId));
}

export async function removeMember(
  deps: WorkspaceDeps,
  ctx: { workspaceId: string; callerRole: Role; actor: Actor },
  userId: string,
): Promise<void> {
  const current = await mustFindMember(deps, ctx.workspaceId, userId);
  assertMayAssign(ctx.callerRole, current.role as Role);
  const now = deps.clock.now();
  await deps.store.db.transaction().execute(async (trx) => {
    if (current.role === 'owner' && (await countOwners(trx, ctx.workspaceId)) <= 1) {
      throw new AppError('LAST_OWNER', 'a workspace needs at least one owner');
    }
    await deleteMembership(trx, ctx.workspaceId, userId);
    await appendAudit(trx, {
      workspaceId: ctx.workspaceId,
      actor: ctx.actor,
      action: 'member.remove',
      target: { type: 'user', id: userId },
      details: { email: current.email, role: current.role },
      at: now,
    });
  });
}
