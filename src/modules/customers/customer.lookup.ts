/**
 * The customer behind one identifier, for other modules: who to write to, in which language
 * and time zone, and every identifier they go by (for contact limits across all of them).
 */
import type { Kysely } from 'kysely';
import { fromJson, inChunks, type Database } from '../../store/index.js';
import { identitiesOf, profilesById } from './graph.store.js';
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
  return (await contactsOf(db, workspaceId, [leaf.rootId])).get(leaf.rootId);
}

/**
 * customerOfIdentifier for many identifiers at once (a rule batch's respondents): a few
 * statements for the lot instead of five an identifier. Keyed by `identifierKey(kind, value)` as
 * given; identifiers nobody holds are absent.
 */
export async function customersOfIdentifiers(db: Kysely<Database>, workspaceId: string, identifiers: readonly { kind: string; value: string }[]): Promise<Map<string, CustomerContact>> {
  const roots = await customerIdsOf(db, workspaceId, identifiers);
  const contacts = await contactsOf(db, workspaceId, [...new Set(roots.values())]);
  const out = new Map<string, CustomerContact>();
  for (const [key, root] of roots) {
    const contact = contacts.get(root);
    if (contact) out.set(key, contact);
  }
  return out;
}

/** Each customer's contact by its root id: its profiles, identifiers and newest traits, three statements for all of them. */
async function contactsOf(db: Kysely<Database>, workspaceId: string, rootIds: readonly string[]): Promise<Map<string, CustomerContact>> {
  const out = new Map<string, CustomerContact>();
  if (rootIds.length === 0) return out;
  const profiles = await inChunks(rootIds, (part) => db.selectFrom('profiles').select(['id', 'root_id', 'name', 'email']).where('workspace_id', '=', workspaceId).where('root_id', 'in', part).execute());
  const rootOfLeaf = new Map(profiles.map((p) => [p.id, p.root_id]));
  const leafIds = [...rootOfLeaf.keys()];
  for (const p of profiles) {
    if (p.id === p.root_id) out.set(p.id, { customerId: p.id, name: p.name ?? null, email: p.email ?? null, identifiers: [], traits: {} });
  }
  for (const i of await inChunks(leafIds, (part) => identitiesOf(db, workspaceId, part))) {
    if (i.sharedReason === null) out.get(rootOfLeaf.get(i.profileId) ?? '')?.identifiers.push({ kind: i.kind, value: i.value });
  }
  const traitRows = await inChunks(leafIds, (part) => db.selectFrom('profile_traits').select(['profile_id', 'key', 'value', 'observed_at']).where('workspace_id', '=', workspaceId).where('profile_id', 'in', part).execute());
  const observedAt = new Map<string, number>();
  for (const t of traitRows) {
    const root = rootOfLeaf.get(t.profile_id) ?? '';
    const contact = out.get(root);
    if (!contact) continue;
    const key = `${root}\u0000${t.key}`;
    const observed = Number(t.observed_at);
    const prior = observedAt.get(key);
    if (prior === undefined || observed > prior) {
      observedAt.set(key, observed);
      contact.traits[t.key] = fromJson(t.value);
    }
  }
  return out;
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
    const rows = await inChunks([...keys.keys()], (part) =>
      db
        .selectFrom('identities')
        .innerJoin('profiles', (j) => j.onRef('profiles.workspace_id', '=', 'identities.workspace_id').onRef('profiles.id', '=', 'identities.profile_id'))
        .select(['identities.value', 'profiles.root_id'])
        .where('identities.workspace_id', '=', workspaceId)
        .where('identities.kind', '=', kind)
        .where('identities.value', 'in', part)
        .execute(),
    );
    for (const row of rows) for (const spelling of keys.get(row.value) ?? []) out.set(identifierKey(kind, spelling), row.root_id);
  }
  return out;
}
