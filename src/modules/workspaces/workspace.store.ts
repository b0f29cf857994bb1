import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

export async function insertWorkspace(db: Kysely<Database>, row: { id: string; name: string; created_at: number }) {
  await db.insertInto('workspaces').values(row).execute();
}

/** The workspace with the caller's role in it, or undefined when the user is not a member. */
export const findWorkspaceForUser = (db: Kysely<Database>, workspaceId: string, userId: string) =>
  db
    .selectFrom('workspaces as w')
    .innerJoin('memberships as m', 'm.workspace_id', 'w.id')
    .select(['w.id', 'w.name', 'w.created_at', 'm.role'])
    .where('w.id', '=', workspaceId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();

export const findWorkspace = (db: Kysely<Database>, workspaceId: string) =>
  db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst();

export const listWorkspacesForUser = (db: Kysely<Database>, userId: string) =>
  db
    .selectFrom('workspaces as w')
    .innerJoin('memberships as m', 'm.workspace_id', 'w.id')
    .select(['w.id', 'w.name', 'w.created_at', 'm.role'])
    .where('m.user_id', '=', userId)
    .orderBy('w.created_at')
    .orderBy('w.id')
    .execute();

export async function renameWorkspace(db: Kysely<Database>, workspaceId: string, name: string) {
  await db.updateTable('workspaces').set({ name }).where('id', '=', workspaceId).execute();
}

export async function countSourceRecords(db: Kysely<Database>, workspaceId: string) {
  const rows = await db
    .selectFrom('source_records')
    .select(['source', 'kind', sql<number>`count(*)`.as('count')])
    .where('workspace_id', '=', workspaceId)
    .groupBy(['source', 'kind'])
    .orderBy('source')
    .orderBy('kind')
    .execute();
  return rows.map((r) => ({ source: r.source, kind: r.kind, count: Number(r.count) }));
}

export async function countMembers(db: Kysely<Database>, workspaceId: string) {
  const row = await db
    .selectFrom('memberships')
    .select(sql<number>`count(*)`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countActiveKeys(db: Kysely<Database>, workspaceId: string) {
  const row = await db
    .selectFrom('api_keys')
    .select(sql<number>`count(*)`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
