/**
 * Customers in slices, for modules that walk every customer of a workspace (scores, models):
 * a page of roots in id order, each with its leaves, identifiers, account and the silo records
 * of the kinds asked for. Every read is an index range over the page's profiles, so a walk of
 * a million customers reads each record once and holds one page at a time.
 */
import { fromJson, inChunks } from '../../store/index.js';
import { identitiesOf, type Db } from './graph.store.js';

export interface SliceRecord {
  source: string;
  kind: string;
  externalId: string;
  occurredAt: number;
  data: Record<string, unknown>;
}

export interface SliceCustomer {
  customerId: string;
  name: string | null;
  email: string | null;
  createdAt: number;
  /** Every profile of the customer (the root included). */
  profileIds: string[];
  /** Identity-graph identifiers (kind, graph key), shared ones left out. */
  identifiers: { kind: string; value: string }[];
  /** The CRM account the customer belongs to, as `source:accountId` (the newest accountId trait). */
  accountId: string | null;
  records: SliceRecord[];
}

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Customer ids (roots) after `after`, in id order: for walking or sampling a workspace cheaply. */
export async function customerIdsAfter(db: Db, workspaceId: string, after: string | null, limit: number): Promise<string[]> {
  let q = db.selectFrom('profiles').select('id').where('workspace_id', '=', workspaceId).where('parent_id', 'is', null);
  if (after !== null) q = q.where('id', '>', after);
  return (await q.orderBy('id').limit(limit).execute()).map((r) => r.id);
}

/** How many customers (roots) a workspace has. */
export async function countCustomers(db: Db, workspaceId: string): Promise<number> {
  const row = await db.selectFrom('profiles').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).where('parent_id', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Up to `limit` customers with ids after `after` (in id order), or the customers of `ids`
 * that are still roots, with their records of `kinds`.
 */
export async function customerSlice(db: Db, workspaceId: string, page: { after: string | null; limit: number } | { ids: readonly string[] }, kinds: readonly string[]): Promise<SliceCustomer[]> {
  let q = db.selectFrom('profiles').select(['id', 'name', 'email', 'created_at']).where('workspace_id', '=', workspaceId).where('parent_id', 'is', null);
  if ('ids' in page) {
    if (page.ids.length === 0) return [];
    q = q.where('id', 'in', [...page.ids]);
  } else if (page.after !== null) q = q.where('id', '>', page.after);
  const roots = await q.orderBy('id').limit('ids' in page ? page.ids.length : page.limit).execute();
  if (roots.length === 0) return [];
  const rootIds = roots.map((r) => r.id);
  const leaves = await inChunks(rootIds, (ids) => db.selectFrom('profiles').select(['id', 'root_id']).where('workspace_id', '=', workspaceId).where('root_id', 'in', ids).execute());
  const rootOf = new Map(leaves.map((l) => [l.id, l.root_id]));
  const byRoot = new Map(roots.map((r) => [r.id, { customerId: r.id, name: r.name, email: r.email, createdAt: Number(r.created_at), profileIds: [] as string[], identifiers: [] as { kind: string; value: string }[], accountId: null as string | null, records: [] as SliceRecord[] }]));
  for (const l of leaves) byRoot.get(l.root_id)?.profileIds.push(l.id);
  const leafIds = leaves.map((l) => l.id);

  for (const i of await inChunks(leafIds, (ids) => identitiesOf(db, workspaceId, ids))) {
    if (i.sharedReason !== null) continue;
    const c = byRoot.get(rootOf.get(i.profileId) ?? '');
    c?.identifiers.push({ kind: i.kind, value: i.value });
  }

  const accountAt = new Map<string, number>();
  const traits = await inChunks(leafIds, (ids) =>
    db.selectFrom('profile_traits').select(['profile_id', 'source', 'value', 'observed_at']).where('workspace_id', '=', workspaceId).where('profile_id', 'in', ids).where('key', '=', 'accountId').execute(),
  );
  for (const t of traits) {
    const root = rootOf.get(t.profile_id);
    const c = root === undefined ? undefined : byRoot.get(root);
    const value = fromJson(t.value);
    if (!c || typeof value !== 'string' || value === '') continue;
    const at = Number(t.observed_at);
    if ((accountAt.get(c.customerId) ?? -Infinity) <= at) {
      accountAt.set(c.customerId, at);
      c.accountId = `${t.source}:${value}`;
    }
  }

  if (kinds.length > 0) {
    const records = await inChunks(leafIds, (ids) =>
      db
        .selectFrom('profile_records as pr')
        .innerJoin('source_records as sr', (j) =>
          j.onRef('sr.workspace_id', '=', 'pr.workspace_id').onRef('sr.source', '=', 'pr.source').onRef('sr.kind', '=', 'pr.kind').onRef('sr.external_id', '=', 'pr.external_id'),
        )
        .select(['pr.profile_id', 'pr.source', 'pr.kind', 'pr.external_id', 'sr.occurred_at', 'sr.data'])
        .where('pr.workspace_id', '=', workspaceId)
        .where('pr.profile_id', 'in', ids)
        .where('pr.kind', 'in', [...kinds])
        .execute(),
    );
    for (const r of records) {
      const c = byRoot.get(rootOf.get(r.profile_id) ?? '');
      c?.records.push({ source: r.source, kind: r.kind, externalId: r.external_id, occurredAt: Number(r.occurred_at), data: obj(fromJson(r.data)) });
    }
  }
  return [...byRoot.values()];
}

export interface AccountRecord {
  /** `source:externalId`, as `SliceCustomer.accountId`. */
  id: string;
  name: string | null;
  /** The account's owner as its silo names them (ownerId, an e-mail …). */
  ownerId: string | null;
  data: Record<string, unknown>;
}

/** CRM account records by `source:externalId`. */
export async function accountsByIds(db: Db, workspaceId: string, ids: readonly string[]): Promise<AccountRecord[]> {
  const bySource = new Map<string, string[]>();
  for (const id of ids) {
    const i = id.indexOf(':');
    if (i <= 0) continue;
    const source = id.slice(0, i);
    bySource.set(source, [...(bySource.get(source) ?? []), id.slice(i + 1)]);
  }
  const out: AccountRecord[] = [];
  for (const [source, externalIds] of bySource) {
    const rows = await inChunks(externalIds, (chunk) =>
      db.selectFrom('source_records').select(['external_id', 'data']).where('workspace_id', '=', workspaceId).where('source', '=', source).where('kind', '=', 'account').where('external_id', 'in', chunk).execute(),
    );
    for (const r of rows) {
      const { _truth: _ignored, ...data } = obj(fromJson(r.data));
      const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
      out.push({ id: `${source}:${r.external_id}`, name: str(data.name), ownerId: str(data.ownerId) ?? str(data.owner) ?? str(data.ownerEmail), data });
    }
  }
  return out;
}
