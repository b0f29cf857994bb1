/**
 * The customer behind one identifier, for other modules: who to write to, in which language
 * and time zone, and every identifier they go by (for contact limits across all of them).
 */
import type { Kysely } from 'kysely';
import { fromJson, type Database } from '../../store/index.js';
import { identitiesOf, profilesById, treeOf } from './graph.store.js';
import { normaliseEmail } from './identifiers.js';

export interface CustomerContact {
  customerId: string;
  name: string | null;
  email: string | null;
  identifiers: { kind: string; value: string }[];
  /** The newest value of each trait across the customer's profiles. */
  traits: Record<string, unknown>;
}

/** The identity graph's key for an identifier as other modules spell it. */
const keyOf = (kind: string, value: string): string => (kind === 'email' ? (normaliseEmail(value) ?? value) : value);

export async function customerOfIdentifier(db: Kysely<Database>, workspaceId: string, kind: string, value: string): Promise<CustomerContact | undefined> {
  const identity = await db
    .selectFrom('identities')
    .select('profile_id')
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .where('value', '=', keyOf(kind, value))
    .executeTakeFirst();
  return identity ? customerById(db, workspaceId, identity.profile_id) : undefined;
}

/** The customer a profile id belongs to now (any profile of theirs, or the customer id itself). */
export async function customerById(db: Kysely<Database>, workspaceId: string, profileId: string): Promise<CustomerContact | undefined> {
  const [leaf] = await profilesById(db, workspaceId, [profileId]);
  if (!leaf) return undefined;
  const tree = await treeOf(db, workspaceId, leaf.rootId);
  const root = tree.find((p) => p.id === leaf.rootId);
  const leafIds = tree.map((p) => p.id);
  const identities = await identitiesOf(db, workspaceId, leafIds);
  const traitRows = await db
    .selectFrom('profile_traits')
    .select(['key', 'value', 'observed_at'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', leafIds)
    .execute();
  const traits: Record<string, unknown> = {};
  const at: Record<string, number> = {};
  for (const t of traitRows) {
    const observed = Number(t.observed_at);
    if (at[t.key] === undefined || observed > (at[t.key] as number)) {
      at[t.key] = observed;
      traits[t.key] = fromJson(t.value);
    }
  }
  return {
    customerId: leaf.rootId,
    name: root?.name ?? null,
    email: root?.email ?? null,
    identifiers: identities.filter((i) => i.sharedReason === null).map((i) => ({ kind: i.kind, value: i.value })),
    traits,
  };
}

/** `kind\u0000value` as the caller spells it, the key of `customerIdsOf`'s answer. */
export const identifierKey = (kind: string, value: string): string => `${kind}\u0000${value}`;

/**
 * The customer ids of many identifiers at once (a page of responses, say): keyed by
 * `identifierKey(kind, value)` as given; identifiers nobody holds are absent.
 */
export async function customerIdsOf(db: Kysely<Database>, workspaceId: string, identifiers: readonly { kind: string; value: string }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const byKind = new Map<string, Map<string, string[]>>(); // kind → graph key → the caller's spellings
  for (const i of identifiers) {
    const key = keyOf(i.kind, i.value);
    let keys = byKind.get(i.kind);
    if (!keys) byKind.set(i.kind, (keys = new Map()));
    const spellings = keys.get(key);
    if (!spellings) keys.set(key, [i.value]);
    else if (!spellings.includes(i.value)) spellings.push(i.value);
  }
  // One query per kind: an index range each, where an OR of (kind, value) pairs would scan.
  for (const [kind, keys] of byKind) {
    const values = [...keys.keys()];
    for (let i = 0; i < values.length; i += 500) {
      const rows = await db
        .selectFrom('identities')
        .innerJoin('profiles', (j) => j.onRef('profiles.workspace_id', '=', 'identities.workspace_id').onRef('profiles.id', '=', 'identities.profile_id'))
        .select(['identities.value', 'profiles.root_id'])
        .where('identities.workspace_id', '=', workspaceId)
        .where('identities.kind', '=', kind)
        .where('identities.value', 'in', values.slice(i, i + 500))
        .execute();
      for (const row of rows) for (const spelling of keys.get(row.value) ?? []) out.set(identifierKey(kind, spelling), row.root_id);
    }
  }
  return out;
}
