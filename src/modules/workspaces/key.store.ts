import type { Kysely } from 'kysely';
import type { ApiKeysTable, Database } from '../../store/index.js';

export async function insertKey(db: Kysely<Database>, row: ApiKeysTable) {
  await db.insertInto('api_keys').values(row).execute();
}

export const listKeys = (db: Kysely<Database>, workspaceId: string) =>
  db
    .selectFrom('api_keys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();

export const findKey = (db: Kysely<Database>, workspaceId: string, id: string) =>
  db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const findKeyByHash = (db: Kysely<Database>, tokenHash: string) =>
  db.selectFrom('api_keys').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

export async function markKeyRevoked(db: Kysely<Database>, workspaceId: string, id: string, at: number) {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function touchKey(db: Kysely<Database>, workspaceId: string, id: string, at: number) {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}
