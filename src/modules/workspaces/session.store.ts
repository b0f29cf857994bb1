import type { Kysely } from 'kysely';
import type { Database, SessionsTable } from '../../store/index.js';

export async function insertSession(db: Kysely<Database>, row: SessionsTable) {
  await db.insertInto('sessions').values(row).execute();
}

export const findSessionWithUser = (db: Kysely<Database>, id: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.csrf_token', 's.expires_at', 's.last_seen_at', 'u.id as user_id', 'u.email', 'u.name'])
    .where('s.id', '=', id)
    .executeTakeFirst();

export async function deleteSession(db: Kysely<Database>, id: string) {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function touchSession(db: Kysely<Database>, id: string, at: number) {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: number) {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

export const findLoginAttempts = (db: Kysely<Database>, key: string) =>
  db.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();

export async function recordLoginFailure(db: Kysely<Database>, key: string, at: number) {
  await db
    .insertInto('login_attempts')
    .values({ key, failures: 1, last_failed_at: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({ failures: eb('login_attempts.failures', '+', 1), last_failed_at: at })),
    )
    .execute();
}

export async function clearLoginFailures(db: Kysely<Database>, key: string) {
  await db.deleteFrom('login_attempts').where('key', '=', key).execute();
}
