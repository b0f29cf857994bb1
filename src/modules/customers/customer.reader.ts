/**
 * The customer 360, read side: list and search customers, one customer with its sources,
 * traits, identities, accounts and merge history, and one timeline across the event store
 * and every silo. A customer is a root of the merge forest; everything is read through its
 * leaves, so a merge or an unmerge never rewrites events or records.
 */
import { toIso } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { fromJson } from '../../store/index.js';
import type { CustomerDeps } from './deps.js';
import type { CustomerSummary, CustomerView, TimelineItem } from './customer.schema.js';
import { identitiesOf, profilesById, treeOf, type Db, type IdentityRow } from './graph.store.js';
import { countOpenSuggestionsFor } from './review.service.js';
import { mergesOf } from './merge.store.js';
import { jaroWinkler } from './matching/index.js';
import { nameTokens, planSearch } from './terms.js';

const iso = (ms: number): string => toIso(ms) as string;

const TERM_HITS = 2000;
/** Sound-alike customers ranked per search: enough for the best few to surface. */
const FUZZY_CANDIDATES = 500;

async function summaries(db: Db, workspaceId: string, rootIds: readonly string[]): Promise<CustomerSummary[]> {
  if (rootIds.length === 0) return [];
  const roots = await profilesById(db, workspaceId, rootIds);
  const counts = await db
    .selectFrom('profiles')
    .select(['root_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('root_id', 'in', rootIds)
    .groupBy('root_id')
    .execute();
  const n = new Map(counts.map((c) => [c.root_id, Number(c.n)]));
  const byId = new Map(roots.map((r) => [r.id, r]));
  return rootIds.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ id, name: r.name, email: r.email, phone: r.phone, profiles: n.get(id) ?? 1, updatedAt: iso(r.updatedAt) }] : [];
  });
}

/** Customers, most recently changed first. */
export async function listCustomers(deps: CustomerDeps, workspaceId: string, limit: number, before?: string) {
  const db = deps.store.db;
  let q = db.selectFrom('profiles').select(['id', 'updated_at']).where('workspace_id', '=', workspaceId).where('parent_id', 'is', null);
  if (before) {
    const [at, id] = decodeCursor(before);
    q = q.where((eb) => eb.or([eb('updated_at', '<', at), eb.and([eb('updated_at', '=', at), eb('id', '<', id)])]));
  }
  const rows = await q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    customers: await summaries(db, workspaceId, page.map((r) => r.id)),
    nextCursor: rows.length > limit && last ? encodeCursor(Number(last.updated_at), last.id) : null,
  };
}

async function leavesWithTerm(db: Db, workspaceId: string, term: string, exact: boolean): Promise<string[]> {
  let q = db.selectFrom('profile_terms').select('profile_id').where('workspace_id', '=', workspaceId);
  q = exact ? q.where('term', '=', term) : q.where('term', '>=', term).where('term', '<', `${term}\uffff`);
  return (await q.limit(TERM_HITS).execute()).map((r) => r.profile_id);
}

/** Roots whose leaves match every group (a group matches when any of its terms does). */
async function rootsMatching(db: Db, workspaceId: string, groups: string[][], exact: boolean): Promise<Set<string>> {
  let result: Set<string> | undefined;
  for (const group of groups) {
    const leaves = new Set<string>();
    for (const term of group) for (const id of await leavesWithTerm(db, workspaceId, term, exact)) leaves.add(id);
    const roots = new Set<string>();
    const ids = [...leaves];
    for (let i = 0; i < ids.length; i += 500) for (const p of await profilesById(db, workspaceId, ids.slice(i, i + 500))) roots.add(p.rootId);
    result = result ? new Set([...result].filter((r) => roots.has(r))) : roots;
    if (result.size === 0) break;
  }
  return result ?? new Set();
}

/** Search by the start of a name, e-mail, phone or id; names that sound alike when nothing starts so. */
export async function searchCustomers(deps: CustomerDeps, workspaceId: string, query: string, limit: number, before?: string) {
  const offset = before === undefined ? 0 : searchOffset(before);
  const db = deps.store.db;
  const plan = planSearch(query, (t) => deps.matcher.phonetic(t));
  const found = await rootsMatching(db, workspaceId, plan.prefixes, false);
  if (plan.id) for (const r of await rootsMatching(db, workspaceId, [[plan.id]], false)) found.add(r);
  let fuzzy: Set<string> = new Set();
  if (found.size < limit && plan.fuzzy.length > 0) {
    fuzzy = await rootsMatching(db, workspaceId, plan.fuzzy, true);
    for (const r of found) fuzzy.delete(r);
  }
  // Ties broken by id, so that pages of one search line up.
  const ranked = [...(await summaries(db, workspaceId, [...found]))].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || (a.id < b.id ? -1 : 1));
  // Names that sound alike, closest spelling first.
  const wanted = nameTokens(query);
  const closeness = (name: string | null) => {
    const have = nameTokens(name ?? '');
    if (have.length === 0) return 0;
    return wanted.reduce((sum, w) => sum + Math.max(...have.map((h) => jaroWinkler(w, h))), 0) / Math.max(1, wanted.length);
  };
  const similar = [...(await summaries(db, workspaceId, [...fuzzy].slice(0, FUZZY_CANDIDATES)))].sort((a, b) => closeness(b.name) - closeness(a.name) || (a.id < b.id ? -1 : 1));
  const all = [...ranked, ...similar];
  return { customers: all.slice(offset, offset + limit), nextCursor: all.length > offset + limit ? `s:${offset + limit}` : null };
}

/** Search pages are positions in the ranked result ("s:50"): a search is recomputed per page. */
function searchOffset(cursor: string): number {
  const n = Number(cursor.slice(2));
  if (!cursor.startsWith('s:') || !Number.isSafeInteger(n) || n < 0) throw new AppError('VALIDATION_FAILED', 'not a search cursor from this API', { cursor });
  return n;
}

// ---------------------------------------------------------------- one customer

const encodeCursor = (at: number, id: string) => `${at}~${id}`;
function decodeCursor(cursor: string): [number, string] {
  const i = cursor.indexOf('~');
  const at = Number(cursor.slice(0, i));
  if (i < 0 || !Number.isSafeInteger(at)) throw new AppError('VALIDATION_FAILED', 'not a cursor from this API', { cursor });
  return [at, cursor.slice(i + 1)];
}

function titleOf(kind: string, data: Record<string, unknown>, source: string): string {
  const s = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  switch (kind) {
    case 'order':
      return `Order ${s(data.orderNumber) || ''} · ${s(data.total)} ${s(data.currency)}${data.status && data.status !== 'paid' ? ` (${s(data.status)})` : ''}`.replace(/\s+/g, ' ').trim();
    case 'ticket':
      return `Ticket: ${s(data.subject) || s(data.topic) || 'support request'}${data.status ? ` (${s(data.status)})` : ''}`;
    case 'feedback':
      return `${(s(data.survey) || 'survey').toUpperCase()} answer: ${s(data.score)}`;
    case 'subscription':
      return `Subscription ${s(data.plan)} · ${s(data.status)}`;
    case 'contact':
      return `Contact record in ${source}`;
    case 'followup':
      return `Follow-up: ${s(data.title) || 'task'}${data.status ? ` (${s(data.status)})` : ''}`;
    case 'event':
      return eventTitle(s(data.type) || 'track', s(data.event) || s(data.name) || null);
    default:
      return `${kind} in ${source}`;
  }
}

function eventTitle(type: string, name: string | null): string {
  switch (type) {
    case 'track':
      return name ?? 'Event';
    case 'page':
      return `Viewed ${name ?? 'a page'}`;
    case 'screen':
      return `Opened ${name ?? 'a screen'}`;
    case 'identify':
      return 'Identified';
    case 'group':
      return 'Joined a group';
    default:
      return 'Alias';
  }
}

const TIMELINE_KIND = new Set(['order', 'ticket', 'feedback', 'followup', 'subscription', 'contact', 'event']);

function withoutTruth(data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null) return {};
  const { _truth: _ignored, ...rest } = data as Record<string, unknown>;
  return rest;
}

/** One page of a customer's timeline, newest first, across events and silo records. */
export async function timelineOf(db: Db, workspaceId: string, leaves: readonly string[], identities: readonly IdentityRow[], limit: number, before?: string) {
  const [at, id] = before ? decodeCursor(before) : [Number.MAX_SAFE_INTEGER, '\uffff'];
  const items: (TimelineItem & { ms: number })[] = [];

  let records = db
    .selectFrom('profile_records as pr')
    .innerJoin('source_records as sr', (j) =>
      j.onRef('sr.workspace_id', '=', 'pr.workspace_id').onRef('sr.source', '=', 'pr.source').onRef('sr.kind', '=', 'pr.kind').onRef('sr.external_id', '=', 'pr.external_id'),
    )
    .select(['pr.source', 'pr.kind', 'pr.external_id', 'pr.occurred_at', 'sr.data'])
    .where('pr.workspace_id', '=', workspaceId)
    .where('pr.profile_id', 'in', leaves)
    .where('pr.occurred_at', '<=', at);
  records = records.orderBy('pr.occurred_at', 'desc').limit(limit + 1);
  for (const r of await records.execute()) {
    const data = withoutTruth(fromJson(r.data));
    items.push({
      id: `${r.source}/${r.kind}/${r.external_id}`,
      kind: (TIMELINE_KIND.has(r.kind) ? r.kind : 'record') as TimelineItem['kind'],
      at: iso(Number(r.occurred_at)),
      ms: Number(r.occurred_at),
      title: titleOf(r.kind, data, r.source),
      source: r.source,
      data,
    });
  }

  for (const [column, kind] of [
    ['user_id', 'user_id'],
    ['anonymous_id', 'anonymous_id'],
  ] as const) {
    const values = identities.filter((i) => i.kind === kind).map((i) => i.value);
    if (values.length === 0) continue;
    const rows = await db
      .selectFrom('events')
      .select(['id', 'type', 'name', 'properties', 'traits', 'timestamp', 'source'])
      .where('workspace_id', '=', workspaceId)
      .where(column, 'in', values)
      .where('timestamp', '<=', at)
      .orderBy('timestamp', 'desc')
      .limit(limit + 1)
      .execute();
    for (const e of rows) {
      items.push({
        id: e.id,
        kind: 'event',
        at: iso(Number(e.timestamp)),
        ms: Number(e.timestamp),
        title: eventTitle(e.type, e.name),
        source: 'events',
        data: { type: e.type, properties: e.properties === null ? null : fromJson(e.properties), traits: e.traits === null ? null : fromJson(e.traits) },
      });
    }
  }
  const seen = new Set<string>();
  const ordered = items
    .filter((i) => i.ms < at || (i.ms === at && i.id < id))
    .filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true)))
    .sort((x, y) => y.ms - x.ms || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0));
  const page = ordered.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(({ ms: _ms, ...item }) => item),
    nextCursor: ordered.length > limit && last ? encodeCursor(last.ms, last.id) : null,
  };
}

/** The whole customer a profile belongs to. A merged profile's id resolves to its customer. */
export async function customerView(deps: CustomerDeps, workspaceId: string, requestedId: string, timelineLimit = 50): Promise<CustomerView> {
  const db = deps.store.db;
  const [requested] = await profilesById(db, workspaceId, [requestedId]);
  if (!requested) throw new AppError('CUSTOMER_NOT_FOUND', 'no such customer in this workspace');
  const tree = await treeOf(db, workspaceId, requested.rootId);
  const root = tree.find((p) => p.id === requested.rootId);
  if (!root) throw new AppError('CUSTOMER_NOT_FOUND', 'no such customer in this workspace');
  const leafIds = tree.map((p) => p.id);
  const identities = await identitiesOf(db, workspaceId, leafIds);
  const traitRows = await db.selectFrom('profile_traits').selectAll().where('workspace_id', '=', workspaceId).where('profile_id', 'in', leafIds).execute();
  const traits = traitRows
    .map((t) => ({ key: t.key, value: fromJson(t.value), source: t.source, observedAt: Number(t.observed_at), profileId: t.profile_id }))
    .sort((a, b) => a.key.localeCompare(b.key) || b.observedAt - a.observedAt);
  const accountIds = [...new Set(traits.filter((t) => t.key === 'accountId' && typeof t.value === 'string').map((t) => `${t.source}\u0000${t.value as string}`))];
  const accounts = [];
  for (const key of accountIds) {
    const [source, id] = key.split('\u0000') as [string, string];
    const row = await db
      .selectFrom('source_records')
      .select('data')
      .where('workspace_id', '=', workspaceId)
      .where('source', '=', source)
      .where('kind', '=', 'account')
      .where('external_id', '=', id)
      .executeTakeFirst();
    const name = row ? withoutTruth(fromJson(row.data)).name : undefined;
    accounts.push({ id, source, name: typeof name === 'string' ? name : null });
  }
  const merges = await mergesOf(db, workspaceId, leafIds);
  return {
    id: root.id,
    requestedId,
    name: root.name,
    email: root.email,
    phone: root.phone,
    profiles: tree.length,
    createdAt: iso(root.createdAt),
    updatedAt: iso(root.updatedAt),
    leaves: tree.map((p) => ({ id: p.id, parentId: p.parentId, createdAt: iso(p.createdAt) })).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    identities: identities
      .map((i) => ({ kind: i.kind, value: i.value, profileId: i.profileId, source: i.source, firstSeenAt: iso(i.firstSeenAt), lastSeenAt: iso(i.lastSeenAt), shared: i.sharedReason }))
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value)),
    traits: traits.map((t, i) => ({ ...t, observedAt: iso(t.observedAt), current: i === 0 || traits[i - 1]?.key !== t.key })),
    accounts,
    merges: merges.map((m) => ({ ...m, createdAt: iso(m.createdAt), undoneAt: m.undoneAt === null ? null : iso(m.undoneAt) })),
    openSuggestions: await countOpenSuggestionsFor(db, workspaceId, leafIds),
    timeline: await timelineOf(db, workspaceId, leafIds, identities, timelineLimit),
  };
}

/** The timeline alone, for the pages after the first. */
export async function customerTimeline(deps: CustomerDeps, workspaceId: string, requestedId: string, limit: number, before?: string) {
  const db = deps.store.db;
  const [requested] = await profilesById(db, workspaceId, [requestedId]);
  if (!requested) throw new AppError('CUSTOMER_NOT_FOUND', 'no such customer in this workspace');
  const leaves = (await treeOf(db, workspaceId, requested.rootId)).map((p) => p.id);
  return timelineOf(db, workspaceId, leaves, await identitiesOf(db, workspaceId, leaves), limit, before);
}
