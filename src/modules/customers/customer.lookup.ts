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
  if (!identity) return undefined;
  const [leaf] = await profilesById(db, workspaceId, [identity.profile_id]);
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
