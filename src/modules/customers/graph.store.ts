/**
 * The identity graph's queries: identities, profiles (the merge forest), traits, records,
 * search terms and blocking keys. Written once for both dialects; every caller passes the
 * transaction it works in.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { fromJson, inChunks, toJson, type Database, type ProfilesTable } from '../../store/index.js';
import type { Identifier } from './identifiers.js';
import type { PersonFields } from './matching/types.js';

export type Db = Kysely<Database>;

export interface IdentityRow {
  kind: Identifier['kind'];
  value: string;
  profileId: string;
  source: string;
  conflicts: number;
  sharedReason: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

const toIdentity = (r: {
  kind: string;
  value: string;
  profile_id: string;
  source: string;
  conflicts: number;
  shared_reason: string | null;
  first_seen_at: number;
  last_seen_at: number;
}): IdentityRow => ({
  kind: r.kind as Identifier['kind'],
  value: r.value,
  profileId: r.profile_id,
  source: r.source,
  conflicts: Number(r.conflicts),
  sharedReason: r.shared_reason,
  firstSeenAt: Number(r.first_seen_at),
  lastSeenAt: Number(r.last_seen_at),
});

function valuesByKind(ids: readonly Identifier[]): Map<string, string[]> {
  const byKind = new Map<string, string[]>();
  for (const i of ids) {
    const values = byKind.get(i.kind);
    if (values) values.push(i.value);
    else byKind.set(i.kind, [i.value]);
  }
  return byKind;
}

/** The stored rows of these identifiers (those never seen are simply absent). */
export async function findIdentities(db: Db, workspaceId: string, ids: readonly Identifier[]): Promise<IdentityRow[]> {
  // One query per kind: an OR of (kind, value) pairs leads SQLite's planner to scan the workspace.
  const out: IdentityRow[] = [];
  for (const [kind, values] of valuesByKind(ids)) {
    const rows = await db.selectFrom('identities').selectAll().where('workspace_id', '=', workspaceId).where('kind', '=', kind).where('value', 'in', values).execute();
    for (const r of rows) out.push(toIdentity(r));
  }
  return out;
}

/** A new identifier's row: first and last seen when it was observed. */
export interface NewIdentity {
  profileId: string;
  kind: Identifier['kind'];
  value: string;
  source: string;
  at: number;
}

/** The rows of one observation's new identifiers on a profile. */
export const identityRows = (profileId: string, ids: readonly Identifier[], source: string, at: number): NewIdentity[] =>
  ids.map((i) => ({ profileId, kind: i.kind, value: i.value, source, at }));

export const insertIdentities = (db: Db, workspaceId: string, profileId: string, ids: readonly Identifier[], source: string, at: number): Promise<void> =>
  insertIdentityRows(db, workspaceId, identityRows(profileId, ids, source, at));

/** Identifiers of any profiles, IN_CHUNK rows a statement; one already held keeps its owner. */
export async function insertIdentityRows(db: Db, workspaceId: string, rows: readonly NewIdentity[]): Promise<void> {
  await inChunks(rows, (chunk) =>
    db
      .insertInto('identities')
      .values(
        chunk.map((i) => ({
          workspace_id: workspaceId,
          kind: i.kind,
          value: i.value,
          profile_id: i.profileId,
          source: i.source,
          conflicts: 0,
          shared_reason: null,
          first_seen_at: i.at,
          last_seen_at: i.at,
        })),
      )
      .onConflict((oc) => oc.columns(['workspace_id', 'kind', 'value']).doNothing())
      .execute(),
  );
}

/** Mark identifiers seen at `at`: one statement per kind. */
export async function touchIdentities(db: Db, workspaceId: string, ids: readonly Identifier[], at: number): Promise<void> {
  for (const [kind, values] of valuesByKind(ids)) {
    await db
      .updateTable('identities')
      .set({ last_seen_at: at })
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', kind)
      .where('value', 'in', values)
      .where('last_seen_at', '<', at)
      .execute();
  }
}

/** One more time this identifier tied together people with different exclusive ids; flag it past the limit. */
export async function countConflict(db: Db, workspaceId: string, id: Identifier, sharedAfter: number): Promise<boolean> {
  const row = await db
    .updateTable('identities')
    .set((eb) => ({ conflicts: eb('conflicts', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', id.kind)
    .where('value', '=', id.value)
    .returning(['conflicts', 'shared_reason'])
    .executeTakeFirst();
  if (!row || row.shared_reason !== null || Number(row.conflicts) < sharedAfter) return false;
  await flagShared(db, workspaceId, id, `seen on ${Number(row.conflicts) + 1} people with different ids`);
  return true;
}

export async function flagShared(db: Db, workspaceId: string, id: Identifier, reason: string): Promise<void> {
  await db
    .updateTable('identities')
    .set({ shared_reason: reason })
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', id.kind)
    .where('value', '=', id.value)
    .execute();
}

export async function identitiesOf(db: Db, workspaceId: string, profileIds: readonly string[]): Promise<IdentityRow[]> {
  if (profileIds.length === 0) return [];
  const rows = await db
    .selectFrom('identities')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', profileIds)
    .execute();
  return rows.map(toIdentity);
}

// ---------------------------------------------------------------- profiles

export interface ProfileRow {
  id: string;
  rootId: string;
  parentId: string | null;
  features: PersonFields;
  name: string | null;
  email: string | null;
  phone: string | null;
  createdAt: number;
  updatedAt: number;
}

type RawProfile = Selectable<ProfilesTable>;

const toProfile = (r: RawProfile): ProfileRow => ({
  id: r.id,
  rootId: r.root_id,
  parentId: r.parent_id,
  features: fromJson<PersonFields>(r.features),
  name: r.name,
  email: r.email,
  phone: r.phone,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** A new leaf that is its own customer, with what it states already in place. */
export interface NewProfile {
  id: string;
  features: PersonFields;
  name: string | null;
  email: string | null;
  phone: string | null;
  at: number;
}

export const insertProfile = (db: Db, workspaceId: string, id: string, features: PersonFields, at: number): Promise<void> =>
  insertProfiles(db, workspaceId, [{ id, features, name: null, email: null, phone: null, at }]);

export async function insertProfiles(db: Db, workspaceId: string, rows: readonly NewProfile[]): Promise<void> {
  await inChunks(rows, (chunk) =>
    db
      .insertInto('profiles')
      .values(
        chunk.map((p) => ({
          workspace_id: workspaceId,
          id: p.id,
          root_id: p.id,
          parent_id: null,
          features: toJson(p.features),
          name: p.name,
          email: p.email,
          phone: p.phone,
          created_at: p.at,
          updated_at: p.at,
        })),
      )
      .execute(),
  );
}

export async function profilesById(db: Db, workspaceId: string, ids: readonly string[]): Promise<ProfileRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('profiles').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return rows.map(toProfile);
}

/** Every profile of the customer whose root this is (the root included). */
export async function treeOf(db: Db, workspaceId: string, rootId: string): Promise<ProfileRow[]> {
  const rows = await db.selectFrom('profiles').selectAll().where('workspace_id', '=', workspaceId).where('root_id', '=', rootId).execute();
  return rows.map(toProfile);
}

export async function setFeatures(db: Db, workspaceId: string, id: string, features: PersonFields, at: number): Promise<void> {
  await db.updateTable('profiles').set({ features: toJson(features), updated_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function setSummary(
  db: Db,
  workspaceId: string,
  rootId: string,
  summary: { name: string | null; email: string | null; phone: string | null },
  at: number,
): Promise<void> {
  await db
    .updateTable('profiles')
    .set({ ...summary, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', rootId)
    .execute();
}

/** Link root `absorbed` under root `survivor`: its whole tree now belongs to the survivor. */
export async function linkRoot(db: Db, workspaceId: string, survivor: string, absorbed: string, at: number): Promise<void> {
  await db.updateTable('profiles').set({ root_id: survivor }).where('workspace_id', '=', workspaceId).where('root_id', '=', absorbed).execute();
  await db.updateTable('profiles').set({ parent_id: survivor, updated_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', absorbed).execute();
}

/** Cut `child` from its parent: it and everything merged under it form their own customer again. */
export async function cutRoot(db: Db, workspaceId: string, child: string, at: number): Promise<string[]> {
  const subtree = [child];
  for (let frontier = [child]; frontier.length > 0; ) {
    const rows = await db.selectFrom('profiles').select('id').where('workspace_id', '=', workspaceId).where('parent_id', 'in', frontier).execute();
    frontier = rows.map((r) => r.id);
    subtree.push(...frontier);
  }
  await db.updateTable('profiles').set({ parent_id: null, updated_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', child).execute();
  await db.updateTable('profiles').set({ root_id: child }).where('workspace_id', '=', workspaceId).where('id', 'in', subtree).execute();
  return subtree;
}

// ---------------------------------------------------------------- traits, records, terms, blocks

/** One trait as a source stated it about a profile. */
export interface TraitRow {
  profileId: string;
  key: string;
  value: unknown;
  source: string;
  at: number;
}

/** The rows of the traits one observation states about a profile. */
export const traitRows = (profileId: string, traits: Record<string, unknown>, source: string, at: number): TraitRow[] =>
  Object.entries(traits).map(([key, value]) => ({ profileId, key, value, source, at }));

export const upsertTraits = (db: Db, workspaceId: string, profileId: string, traits: Record<string, unknown>, source: string, at: number): Promise<void> =>
  upsertTraitRows(db, workspaceId, traitRows(profileId, traits, source, at));

/** Rows must name each (profile, key, source) once: one statement cannot update a row twice. */
export async function upsertTraitRows(db: Db, workspaceId: string, rows: readonly TraitRow[]): Promise<void> {
  await inChunks(rows, (chunk) =>
    db
      .insertInto('profile_traits')
      .values(chunk.map((t) => ({ workspace_id: workspaceId, profile_id: t.profileId, key: t.key, source: t.source, value: toJson(t.value), observed_at: t.at })))
      .onConflict((oc) =>
        oc
          .columns(['workspace_id', 'profile_id', 'key', 'source'])
          .doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), observed_at: eb.ref('excluded.observed_at') }))
          // An older record re-imported after a newer one must not win.
          .where('profile_traits.observed_at', '<=', sql<number>`excluded.observed_at`),
      )
      .execute(),
  );
}

/** A silo record (a timeline item) and the leaf it belongs to. */
export interface RecordLink {
  profileId: string;
  record: { source: string; kind: string; externalId: string; occurredAt: number };
}

export const linkRecord = (db: Db, workspaceId: string, profileId: string, record: RecordLink['record']): Promise<void> => linkRecords(db, workspaceId, [{ profileId, record }]);

/** Rows must name each record once (see upsertTraitRows); a record linked before moves to its new leaf. */
export async function linkRecords(db: Db, workspaceId: string, links: readonly RecordLink[]): Promise<void> {
  await inChunks(links, (chunk) =>
    db
      .insertInto('profile_records')
      .values(chunk.map(({ profileId, record: r }) => ({ workspace_id: workspaceId, source: r.source, kind: r.kind, external_id: r.externalId, profile_id: profileId, occurred_at: r.occurredAt })))
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'source', 'kind', 'external_id']).doUpdateSet((eb) => ({
          profile_id: eb.ref('excluded.profile_id'),
          occurred_at: eb.ref('excluded.occurred_at'),
        })),
      )
      .execute(),
  );
}

/** A row of a (workspace, key, profile) index table: a search term or a blocking key. */
export interface KeyRow {
  profileId: string;
  key: string;
}

/** Insert rows into an index table, IN_CHUNK a statement; rows it holds already are kept. */
export async function insertKeys(db: Db, table: 'profile_terms' | 'profile_blocks', workspaceId: string, rows: readonly KeyRow[]): Promise<void> {
  const column = table === 'profile_terms' ? 'term' : 'key';
  await inChunks(rows, (chunk) =>
    db
      .insertInto(table)
      .values(chunk.map((r) => ({ workspace_id: workspaceId, [column]: r.key, profile_id: r.profileId }) as { workspace_id: string; term: string; key: string; profile_id: string }))
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
}

/** A leaf's rows of an index table, each key once. */
export const keyRows = (profileId: string, keys: readonly string[]): KeyRow[] => [...new Set(keys)].map((key) => ({ profileId, key }));

/** Replace a leaf's rows in a (workspace, key, profile) index table: search terms or blocking keys. */
async function replaceKeys(db: Db, table: 'profile_terms' | 'profile_blocks', workspaceId: string, profileId: string, keys: readonly string[], isNew: boolean): Promise<void> {
  if (!isNew) await db.deleteFrom(table).where('workspace_id', '=', workspaceId).where('profile_id', '=', profileId).execute();
  await insertKeys(db, table, workspaceId, keyRows(profileId, keys));
}

/** Add search terms to a leaf, keeping those it has. */
export const addTerms = (db: Db, workspaceId: string, profileId: string, terms: readonly string[]): Promise<void> => insertKeys(db, 'profile_terms', workspaceId, keyRows(profileId, terms));

/** `isNew`: the leaf was created in this transaction, so it has no rows to delete yet. */
export const replaceTerms = (db: Db, workspaceId: string, profileId: string, terms: readonly string[], isNew = false) =>
  replaceKeys(db, 'profile_terms', workspaceId, profileId, terms, isNew);
export const replaceBlocks = (db: Db, workspaceId: string, profileId: string, keys: readonly string[], isNew = false) =>
  replaceKeys(db, 'profile_blocks', workspaceId, profileId, keys, isNew);

/** Keys read per statement by blockNeighbours: far under SQLite's 500 terms of a compound select. */
const BLOCK_KEYS_PER_READ = 50;

/**
 * Leaves sharing a blocking key with these keys (at most `limit` per key, so a common key cannot
 * explode): each key's own LIMITed read, the keys joined by UNION ALL into one statement.
 */
export async function blockNeighbours(db: Db, workspaceId: string, keys: readonly string[], limit: number): Promise<string[]> {
  const perKey = (key: string) =>
    db
      .selectFrom((eb) => eb.selectFrom('profile_blocks').select('profile_id').where('workspace_id', '=', workspaceId).where('key', '=', key).limit(limit).as('b'))
      .select('b.profile_id');
  const unique = [...new Set(keys)];
  const out = new Set<string>();
  for (let i = 0; i < unique.length; i += BLOCK_KEYS_PER_READ) {
    const [first, ...rest] = unique.slice(i, i + BLOCK_KEYS_PER_READ).map(perKey);
    if (!first) break;
    for (const r of await rest.reduce((query, next) => query.unionAll(next), first).execute()) out.add(r.profile_id);
  }
  return [...out];
}

// ---------------------------------------------------------------- keep apart

export async function keptApart(db: Db, workspaceId: string, left: readonly string[], right: readonly string[]): Promise<boolean> {
  const all = [...left, ...right];
  // Pairs are stored (smaller, larger): a pair between the sets has its smaller id in one of them.
  const rows = await db.selectFrom('keep_apart').select(['profile_a', 'profile_b']).where('workspace_id', '=', workspaceId).where('profile_a', 'in', all).execute();
  const l = new Set(left);
  const r = new Set(right);
  return rows.some((k) => (l.has(k.profile_a) && r.has(k.profile_b)) || (r.has(k.profile_a) && l.has(k.profile_b)));
}

export async function keepApart(db: Db, workspaceId: string, a: string, b: string, reason: string, actor: string, at: number): Promise<void> {
  const [x, y] = a < b ? [a, b] : [b, a];
  await db
    .insertInto('keep_apart')
    .values({ workspace_id: workspaceId, profile_a: x, profile_b: y, reason, actor, created_at: at })
    .onConflict((oc) => oc.columns(['workspace_id', 'profile_a', 'profile_b']).doNothing())
    .execute();
}
