/** Queries of notification targets and of the delivery log. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, NotificationsTable, NotificationTargetsTable } from '../../../store/index.js';

export type TargetRow = Selectable<NotificationTargetsTable>;
export type NotificationRow = Selectable<NotificationsTable>;

export const TARGET_KINDS = ['webhook', 'slack', 'email'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'delivered', 'failed', 'dead'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export async function findTarget(db: Kysely<Database>, workspaceId: string, id: string): Promise<TargetRow | undefined> {
  return db.selectFrom('notification_targets').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** A person as a target: "user:<id>", a member of the workspace, written to by e-mail. */
export const USER_TARGET_PREFIX = 'user:';

/**
 * The target a notification goes to: a configured target, or a member of the workspace named
 * "user:<id>" (an e-mail target to their login address). Undefined when neither exists.
 */
export async function resolveTarget(db: Kysely<Database>, workspaceId: string, targetId: string): Promise<TargetRow | undefined> {
  if (!targetId.startsWith(USER_TARGET_PREFIX)) return findTarget(db, workspaceId, targetId);
  const member = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.email', 'users.name', 'memberships.created_at'])
    .where('memberships.workspace_id', '=', workspaceId)
    .where('memberships.user_id', '=', targetId.slice(USER_TARGET_PREFIX.length))
    .executeTakeFirst();
  if (!member) return undefined;
  return {
    workspace_id: workspaceId,
    id: targetId,
    name: member.name,
    kind: 'email',
    url: null,
    address: member.email,
    secret: null,
    enabled: 1,
    created_at: member.created_at,
    updated_at: member.created_at,
  };
}

export async function listTargets(db: Kysely<Database>, workspaceId: string): Promise<TargetRow[]> {
  return db.selectFrom('notification_targets').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute();
}

export async function insertTarget(db: Kysely<Database>, row: TargetRow): Promise<void> {
  await db.insertInto('notification_targets').values(row).execute();
}

export async function updateTarget(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  changes: Partial<Pick<TargetRow, 'name' | 'url' | 'address' | 'secret' | 'enabled'>> & { updated_at: number },
): Promise<void> {
  await db.updateTable('notification_targets').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function deleteTarget(db: Kysely<Database>, workspaceId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('notification_targets').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function insertNotification(db: Kysely<Database>, row: Omit<NotificationRow, 'attempts'> & { attempts?: number }): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

export async function findNotification(db: Kysely<Database>, workspaceId: string, id: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export interface NotificationFilter {
  status?: NotificationStatus | undefined;
  taskId?: string | undefined;
  targetId?: string | undefined;
  /** Only ids below this one (ids sort by creation time): the page after. */
  before?: string | undefined;
  limit: number;
}

/** The delivery log, newest first. */
export async function listNotifications(db: Kysely<Database>, workspaceId: string, filter: NotificationFilter): Promise<NotificationRow[]> {
  let q = db.selectFrom('notifications').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.taskId) q = q.where('task_id', '=', filter.taskId);
  if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
  if (filter.before) q = q.where('id', '<', filter.before);
  return q.orderBy('id', 'desc').limit(filter.limit).execute();
}

/**
 * Take notifications for their attempt `attempt` (0-based), many of one workspace in one
 * statement: pending with that many attempts behind them, or — the same job run again after its
 * worker died mid-send — sending with one more. Marks them sending and counts the attempt.
 * Returns the rows taken (what the delivery sends); one not returned was settled by someone else.
 */
export async function claimNotifications(db: Kysely<Database>, workspaceId: string, claims: readonly { id: string; attempt: number }[]): Promise<NotificationRow[]> {
  if (claims.length === 0) return [];
  return claimStatement(db, workspaceId, claims).returningAll().execute();
}

/**
 * The claim's UPDATE (exported for its query-plan test). The plain id list lets the engine seek
 * the primary key; the row-value fences alone made SQLite scan every notification of the
 * workspace, so each claim cost more as the delivery log grew.
 */
export function claimStatement(db: Kysely<Database>, workspaceId: string, claims: readonly { id: string; attempt: number }[]) {
  return db
    .updateTable('notifications')
    .set((eb) => ({
      status: 'sending',
      attempts: eb.case().when('status', '=', 'pending').then(eb('attempts', '+', 1)).else(eb.ref('attempts')).end(),
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(claims.map((c) => c.id))])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb(eb.refTuple('id', 'attempts'), 'in', claims.map((c) => eb.tuple(c.id, c.attempt)))]),
        eb.and([eb('status', '=', 'sending'), eb(eb.refTuple('id', 'attempts'), 'in', claims.map((c) => eb.tuple(c.id, c.attempt + 1)))]),
      ]),
    );
}

/** Record the outcome of attempt `attempts` (1-based); fenced on it. False when the claim was lost. */
export async function settleNotification(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  attempts: number,
  outcome: Pick<NotificationRow, 'status' | 'last_status' | 'last_error' | 'next_attempt_at' | 'delivered_at'>,
): Promise<boolean> {
  const r = await db
    .updateTable('notifications')
    .set(outcome)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('attempts', '=', attempts)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Mark dead a notification whose delivery job failed for good for a fault of our own: claimed
 * for this attempt ('sending'), or not even claimed ('pending', the claim's transaction failed).
 * Either way it moves to the dead-letter list, from which a person can replay it, instead of
 * staying 'pending' or 'sending' with no job to send it. Fenced like a claim, so a later attempt's
 * outcome is never overwritten.
 */
export async function markDead(db: Kysely<Database>, workspaceId: string, id: string, attempt: number, error: string): Promise<boolean> {
  const r = await db
    .updateTable('notifications')
    .set({ status: 'dead', last_status: null, last_error: error, next_attempt_at: null, delivered_at: null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('attempts', '=', attempt)]),
        eb.and([eb('status', '=', 'sending'), eb('attempts', '=', attempt + 1)]),
      ]),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** settleNotification for many attempts of one workspace with the same outcome, in one statement; returns the ids whose claim held. */
export async function settleNotifications(
  db: Kysely<Database>,
  workspaceId: string,
  attempts: readonly { id: string; attempts: number }[],
  outcome: Pick<NotificationRow, 'status' | 'last_status' | 'last_error' | 'next_attempt_at' | 'delivered_at'>,
): Promise<Set<string>> {
  if (attempts.length === 0) return new Set();
  const rows = await settleStatement(db, workspaceId, attempts, outcome).returning('id').execute();
  return new Set(rows.map((r) => r.id));
}

/** settleNotifications' UPDATE, a primary-key seek like the claim's (exported for its query-plan test). */
export function settleStatement(
  db: Kysely<Database>,
  workspaceId: string,
  attempts: readonly { id: string; attempts: number }[],
  outcome: Pick<NotificationRow, 'status' | 'last_status' | 'last_error' | 'next_attempt_at' | 'delivered_at'>,
) {
  return db
    .updateTable('notifications')
    .set(outcome)
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(attempts.map((a) => a.id))])
    .where('status', '=', 'sending')
    .where((eb) => eb(eb.refTuple('id', 'attempts'), 'in', attempts.map((a) => eb.tuple(a.id, a.attempts))));
}

/** Put a dead or failed notification back in line with a fresh set of attempts. False: it was neither. */
export async function requeueNotification(db: Kysely<Database>, workspaceId: string, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('notifications')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, delivered_at: null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', 'in', ['dead', 'failed'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
