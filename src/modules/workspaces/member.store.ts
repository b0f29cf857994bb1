import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

const memberColumns = ['u.id as userId', 'u.email', 'u.name', 'm.role', 'm.created_at'] as const;

export const listMembers = (db: Kysely<Database>, workspaceId: string) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(memberColumns)
    .where('m.workspace_id', '=', workspaceId)
    .orderBy('m.created_at')
    .orderBy('u.id')
    .execute();

export const findMember = (db: Kysely<Database>, workspaceId: string, userId: string) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(memberColumns)
    .where('m.workspace_id', '=', workspaceId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();

export async function insertMembership(
  db: Kysely<Database>,
  row: { workspace_id: string; user_id: string; role: string; created_at: number },
) {
  await db.insertInto('memberships').values(row).execute();
}

export async function updateMemberRole(db: Kysely<Database>, workspaceId: string, userId: string, role: string) {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMembership(db: Kysely<Database>, workspaceId: string, userId: string) {
  await db.deleteFrom('memberships').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
}

export async function countOwners(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select(sql<number>`count(*)`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
