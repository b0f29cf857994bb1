import type { Kysely } from 'kysely';
import { fromJson, toJson } from './dialect/types.js';
import type { Database } from './schema.js';

/** Read a workspace setting; undefined when it was never written. */
export async function readSetting<T>(db: Kysely<Database>, workspaceId: string, key: string): Promise<T | undefined> {
  const row = await db
    .selectFrom('workspace_settings')
    .select('value')
    .where('workspace_id', '=', workspaceId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? fromJson<T>(row.value) : undefined;
}

export async function writeSetting(db: Kysely<Database>, workspaceId: string, key: string, value: unknown, now: number): Promise<void> {
  await db
    .insertInto('workspace_settings')
    .values({ workspace_id: workspaceId, key, value: toJson(value), updated_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'key']).doUpdateSet({ value: toJson(value), updated_at: now }))
    .execute();
}
