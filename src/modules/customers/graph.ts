/**
 * The identity graph's use cases, each run inside the caller's transaction:
 * - `resolve` places one observation (an event, a silo record) on a profile: records that
 *   share a strong identifier are one customer (union-find over the merge forest), new
 *   identifiers join the profile that was recognised, and a leaf with enough fields is then
 *   compared with its blocked neighbours (Fellegi–Sunter) to merge or to ask a person.
 * - `merge` / `unmerge` / `keepApart` change the forest and record why.
 *
 * Guards against over-merging: an identifier that ties together people who each hold a
 * different exclusive id (userId, a silo's record id) does not merge them; it opens a
 * suggestion instead, and past a limit it is flagged as shared and no longer counts.
 */
import { sql } from 'kysely';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { appendFacts } from '../../store/index.js';
import {
  countConflict,
  cutRoot,
  findIdentities,
  identitiesOf,
  identityRows,
  keyRows,
  traitRows,
  insertIdentities,
  insertProfile,
  keepApart as insertKeepApart,
  keptApart,
  linkRecord,
  linkRoot,
  profilesById,
  replaceBlocks,
  replaceTerms,
  addTerms,
  setFeatures,
  setSummary,
  touchIdentities,
  treeOf,
  upsertTraits,
  blockNeighbours,
  type Db,
  type IdentityRow,
  type ProfileRow,
} from './graph.store.js';
import { exclusiveScope, isExclusiveKind, isPlaceholder, type Identifier } from './identifiers.js';
import type { IdentitySettings } from './identity.settings.js';
import { comparable, type Matcher } from './matcher.js';
import type { PersonFields } from './matching/types.js';
import { insertMerge, markUndone, mergeById, settleSuggestionsBetween, suggest, type Evidence, type MergeRule } from './merge.store.js';
import type { Observation } from './observation.js';
import type { PendingPlacements } from './graph.pending.js';
import { displayName, termsFor } from './terms.js';

export interface GraphContext {
  db: Db;
  workspaceId: string;
  now: number;
  settings: IdentitySettings;
  matcher: Matcher;
  /** Who acts: 'system' for resolution, a user id for a person in the dashboard. */
  actor: string;
  /**
   * Identifiers already placed or read during this run (key → owning leaf, last seen). Ownership never
   * changes once written, so a hit is exact; the cache lives for one resolution run only,
   * because another process may flag an identifier as shared in between.
   */
  seen?: Map<string, { profileId: string; lastSeenAt: number }>;
  /**
   * Identifier keys read as not in the workspace (prefetchIdentifiers, in this transaction, under
   * the graph's lock, so nobody else can add them): an observation whose every identifier is here
   * skips its look-up. Whatever this context places is taken out of it.
   */
  absent?: Set<string>;
  /**
   * Where a new person's rows wait to be written with the rest of the slice's (graph.pending.ts).
   * Whoever passes it flushes it before the transaction ends; without it every row is written at once.
   */
  pending?: PendingPlacements;
}

export interface Placement {
  /** The leaf the observation landed on. */
  profileId: string;
  created: boolean;
  merges: string[];
}

const PRIORITY: Record<Identifier['kind'], number> = { user_id: 0, external: 1, email: 2, phone: 3, anonymous_id: 4 };
const idKey = (i: { kind: string; value: string }) => `${i.kind}\u0000${i.value}`;
/** Blocked candidates read per key: a key shared by thousands says little and would cost much. */
const BLOCK_LIMIT = 50;
const HOUR = 3_600_000;

// ---------------------------------------------------------------- conflicts

/** The exclusive ids (by scope) a set of leaves holds. */
async function exclusiveIds(ctx: GraphContext, leaves: readonly string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const row of await identitiesOf(ctx.db, ctx.workspaceId, leaves)) {
    if (!isExclusiveKind(row)) continue;
    const scope = exclusiveScope(row);
    let set = out.get(scope);
    if (!set) out.set(scope, (set = new Set()));
    set.add(row.value);
  }
  return out;
}

/** "userId u1 ≠ u2": why two holders of exclusive ids are two people; undefined when they agree. */
function clash(a: Map<string, Set<string>>, b: Map<string, Set<string>>): string | undefined {
  for (const [scope, values] of a) {
    const other = b.get(scope);
    if (other && ![...values].some((v) => other.has(v))) return `different ${scope === 'user_id' ? 'userId' : `${scope} id`}: ${[...values][0]} ≠ ${[...other][0]}`;
  }
  return undefined;
}

function idsByScope(ids: readonly Identifier[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const id of ids) {
    if (!isExclusiveKind(id)) continue;
    const scope = exclusiveScope(id);
    out.set(scope, new Set([...(out.get(scope) ?? []), id.value]));
  }
  return out;
}

// ---------------------------------------------------------------- merge, unmerge, keep apart

async function rootOf(ctx: GraphContext, profileId: string): Promise<ProfileRow> {
  const [p] = await profilesById(ctx.db, ctx.workspaceId, [profileId]);
  if (!p) throw new AppError('CUSTOMER_NOT_FOUND', `no customer ${profileId}`);
  if (p.rootId === p.id) return p;
  const [root] = await profilesById(ctx.db, ctx.workspaceId, [p.rootId]);
  if (!root) throw new Error(`profile ${p.id} names a missing root ${p.rootId}`);
  return root;
}

type Summary = { name: string | null; email: string | null; phone: string | null };

/** A customer's name, e-mail and phone: from its leaves (newest first), else from its identifiers. */
function summaryOf(leaves: readonly Pick<ProfileRow, 'features'>[], identities: readonly Identifier[]): Summary {
  const pick = (f: (p: Pick<ProfileRow, 'features'>) => string | null | undefined) => leaves.map(f).find((v) => v) ?? null;
  return {
    name: pick((l) => displayName(l.features)),
    email: pick((l) => l.features.email) ?? identities.find((i) => i.kind === 'email')?.value ?? null,
    phone: pick((l) => l.features.phone) ?? identities.find((i) => i.kind === 'phone')?.value ?? null,
  };
}

/** Recompute a customer's name, e-mail and phone from its leaves, newest first. */
async function refreshSummary(ctx: GraphContext, rootId: string): Promise<void> {
  const leaves = (await treeOf(ctx.db, ctx.workspaceId, rootId)).sort((a, b) => b.updatedAt - a.updatedAt);
  const identities = await identitiesOf(ctx.db, ctx.workspaceId, leaves.map((l) => l.id));
  await setSummary(ctx.db, ctx.workspaceId, rootId, summaryOf(leaves, identities), ctx.now);
}

export type MergeOutcome = { merged: true; mergeId: string; survivorId: string } | { merged: false; blockedBy: string };

/**
 * Merge the customers of two profiles. The older customer survives (its id, and so its
 * links, stay valid). Refused when a person kept them apart, or when they hold different
 * exclusive ids, unless `force` (a person who has seen the evidence decides).
 */
export async function merge(
  ctx: GraphContext,
  a: string,
  b: string,
  how: { rule: MergeRule; score: number | null; evidence: Evidence; force?: boolean },
): Promise<MergeOutcome> {
  const [ra, rb] = [await rootOf(ctx, a), await rootOf(ctx, b)];
  if (ra.id === rb.id) return { merged: false, blockedBy: 'already one customer' };
  const [ta, tb] = [await treeOf(ctx.db, ctx.workspaceId, ra.id), await treeOf(ctx.db, ctx.workspaceId, rb.id)];
  const [la, lb] = [ta.map((p) => p.id), tb.map((p) => p.id)];
  if (await keptApart(ctx.db, ctx.workspaceId, la, lb)) {
    if (!how.force) return { merged: false, blockedBy: 'a person kept these customers apart' };
  }
  if (!how.force) {
    const why = clash(await exclusiveIds(ctx, la), await exclusiveIds(ctx, lb));
    if (why) return { merged: false, blockedBy: why };
  }
  const [survivor, absorbed] = ra.createdAt < rb.createdAt || (ra.createdAt === rb.createdAt && ra.id < rb.id) ? [ra, rb] : [rb, ra];
  await linkRoot(ctx.db, ctx.workspaceId, survivor.id, absorbed.id, ctx.now);
  const mergeId = await insertMerge(ctx.db, ctx.workspaceId, { survivorId: survivor.id, absorbedId: absorbed.id, rule: how.rule, score: how.score, evidence: how.evidence, actor: ctx.actor }, ctx.now);
  await settleSuggestionsBetween(ctx.db, ctx.workspaceId, la, lb, 'merged', ctx.actor, ctx.now);
  await refreshSummary(ctx, survivor.id);
  await appendFacts(ctx.db, ctx.workspaceId, [{ topic: 'profiles.merged', subject: survivor.id, payload: { mergeId, survivorId: survivor.id, absorbedId: absorbed.id, rule: how.rule } }], ctx.now);
  return { merged: true, mergeId, survivorId: survivor.id };
}

/**
 * Undo a merge: the absorbed customer, with everything merged into it before, stands
 * alone again exactly as it was (its leaves never moved), and the two are kept apart.
 */
export async function unmerge(ctx: GraphContext, mergeId: string): Promise<{ survivorId: string; restoredId: string }> {
  const m = await mergeById(ctx.db, ctx.workspaceId, mergeId);
  if (!m) throw new AppError('MERGE_NOT_FOUND', `no merge ${mergeId}`);
  if (m.undoneAt !== null) throw new AppError('MERGE_ALREADY_UNDONE', 'this merge was already undone', { undoneAt: m.undoneAt, undoneBy: m.undoneBy });
  const [absorbed] = await profilesById(ctx.db, ctx.workspaceId, [m.absorbedId]);
  if (!absorbed || absorbed.parentId !== m.survivorId) {
    throw new AppError('MERGE_NOT_UNDOABLE', 'this merge can no longer be undone on its own');
  }
  await cutRoot(ctx.db, ctx.workspaceId, m.absorbedId, ctx.now);
  await markUndone(ctx.db, ctx.workspaceId, mergeId, ctx.actor, ctx.now);
  await insertKeepApart(ctx.db, ctx.workspaceId, m.survivorId, m.absorbedId, `unmerged ${mergeId}`, ctx.actor, ctx.now);
  const survivorRoot = await rootOf(ctx, m.survivorId);
  await refreshSummary(ctx, survivorRoot.id);
  await refreshSummary(ctx, m.absorbedId);
  await appendFacts(ctx.db, ctx.workspaceId, [{ topic: 'profiles.unmerged', subject: survivorRoot.id, payload: { mergeId, survivorId: survivorRoot.id, restoredId: m.absorbedId } }], ctx.now);
  return { survivorId: survivorRoot.id, restoredId: m.absorbedId };
}

export async function keepApart(ctx: GraphContext, a: string, b: string, reason: string): Promise<void> {
  const [ra, rb] = [await rootOf(ctx, a), await rootOf(ctx, b)];
  await insertKeepApart(ctx.db, ctx.workspaceId, a, b, reason, ctx.actor, ctx.now);
  if (ra.id === rb.id) return;
  const [ta, tb] = [await treeOf(ctx.db, ctx.workspaceId, ra.id), await treeOf(ctx.db, ctx.workspaceId, rb.id)];
  await settleSuggestionsBetween(ctx.db, ctx.workspaceId, ta.map((p) => p.id), tb.map((p) => p.id), 'kept-apart', ctx.actor, ctx.now);
}

/**
 * What the workspace holds of some observations' identifiers, read in one statement per kind, so
 * that a chunk of people costs one look-up, not one each. Those it holds, unless flagged shared,
 * join `seen`: an observation of a known person then places without a look-up of its own
 * (placeKnown). Those it does not hold are returned (see `absent`): a new person then places
 * without one too (placeNew). Identifiers already in `seen` are known and not asked for.
 */
export async function prefetchIdentifiers(db: Db, workspaceId: string, observations: readonly Observation[], seen: NonNullable<GraphContext['seen']>): Promise<Set<string>> {
  const wanted = new Map<string, Identifier>();
  const want = (i: Identifier) => {
    const key = idKey(i);
    if (!seen.has(key)) wanted.set(key, i);
  };
  for (const obs of observations) {
    for (const i of obs.identifiers) if (!isPlaceholder(i)) want(i);
    if (obs.aliasOf) for (const kind of ['user_id', 'anonymous_id'] as const) want({ kind, value: obs.aliasOf });
  }
  const absent = new Set(wanted.keys());
  if (absent.size === 0) return absent;
  for (const row of await findIdentities(db, workspaceId, [...wanted.values()])) {
    const key = idKey(row);
    absent.delete(key);
    if (row.sharedReason === null) seen.set(key, { profileId: row.profileId, lastSeenAt: row.lastSeenAt });
  }
  return absent;
}

// ---------------------------------------------------------------- resolve

function mergedFeatures(current: PersonFields, stated: PersonFields): PersonFields {
  const next: PersonFields = { ...current };
  for (const [k, v] of Object.entries(stated) as [keyof PersonFields, string | null | undefined][]) if (v) next[k] = v;
  return next;
}

const sameFeatures = (a: PersonFields, b: PersonFields) => JSON.stringify(a) === JSON.stringify(b);

/** Place one observation on a profile; see the file comment. */
export async function resolve(ctx: GraphContext, obs: Observation): Promise<Placement> {
  const { db, workspaceId: ws, now } = ctx;
  const ids = obs.identifiers.filter((i) => !isPlaceholder(i));
  const fast = (await placeKnown(ctx, obs, ids)) ?? placeNew(ctx, obs, ids);
  if (fast) return fast;
  // What follows reads the graph: it must see every leaf placed before it.
  await ctx.pending?.flushLeaves(db, ws);
  const lookup = obs.aliasOf ? [...ids, { kind: 'user_id' as const, value: obs.aliasOf }, { kind: 'anonymous_id' as const, value: obs.aliasOf }] : ids;
  const known = lookup.length > 0 && lookup.every((i) => ctx.absent?.has(idKey(i))) ? [] : await findIdentities(db, ws, lookup);
  const knownKeys = new Set(known.map(idKey));
  const fresh = ids.filter((i) => !knownKeys.has(idKey(i)));
  if (obs.aliasOf && !known.some((k) => k.value === obs.aliasOf)) fresh.push({ kind: 'anonymous_id', value: obs.aliasOf });
  const evidence = known.filter((k) => k.sharedReason === null);

  // Group the evidence by customer, strongest identifier first.
  const leafIds = [...new Set(evidence.map((e) => e.profileId))];
  const leaves = leafIds.length > 1 ? await profilesById(db, ws, leafIds) : [];
  const rootOfLeaf = new Map(leaves.map((p) => [p.id, p.rootId]));
  const byRoot = new Map<string, IdentityRow[]>();
  for (const e of [...evidence].sort((x, y) => PRIORITY[x.kind] - PRIORITY[y.kind])) {
    const root = rootOfLeaf.get(e.profileId) ?? e.profileId;
    byRoot.set(root, [...(byRoot.get(root) ?? []), e]);
  }

  // The anchor: the most strongly linked customer whose exclusive ids agree with this observation's.
  // Only exclusive ids not seen before can clash with a customer's (a known one is the link itself).
  const own = idsByScope(fresh);
  let home: string | undefined;
  const conflicting: { root: string; links: IdentityRow[]; why: string }[] = [];
  const others: { root: string; links: IdentityRow[] }[] = [];
  for (const [root, links] of byRoot) {
    if (home !== undefined) {
      others.push({ root, links });
      continue;
    }
    // Only new exclusive ids can clash; without any, the customer's tree need not be read.
    const why = own.size > 0 ? clash(own, await exclusiveIds(ctx, (await treeOf(db, ws, root)).map((p) => p.id))) : undefined;
    if (why) conflicting.push({ root, links, why });
    else home = (links[0] as IdentityRow).profileId;
  }
  const created = home === undefined;
  if (home === undefined) {
    home = newId('prf', now);
    await insertProfile(db, ws, home, {}, now);
  }
  await insertIdentities(db, ws, home, fresh, obs.source, obs.at);
  for (const i of fresh) ctx.absent?.delete(idKey(i));
  const stale = evidence.filter((e) => e.lastSeenAt < obs.at - HOUR);
  if (stale.length > 0) await touchIdentities(db, ws, stale, obs.at);

  const merges: string[] = [];
  const describe = (links: IdentityRow[]) => links.map((l) => ({ kind: l.kind, value: l.value }));
  for (const c of conflicting) await refuse(ctx, home, c.links, c.why);
  for (const o of others) {
    const rule: MergeRule = obs.aliasOf && o.links.some((l) => l.value === obs.aliasOf) ? 'alias' : 'shared-identifier';
    const outcome = await merge(ctx, home, o.root, {
      rule,
      score: null,
      evidence: { summary: `both hold ${describe(o.links).map((l) => `${l.kind} ${l.value}`).join(', ')}`, identifiers: describe(o.links) },
    });
    if (outcome.merged) merges.push(outcome.mergeId);
    else if (outcome.blockedBy !== 'already one customer') await refuse(ctx, home, o.links, outcome.blockedBy);
  }

  await upsertTraits(db, ws, home, obs.traits, obs.source, obs.at);
  if (obs.record) await link(ctx, home, obs.record);

  const hasFeatures = Object.keys(obs.features).length > 0;
  // A profile made just now holds no features yet, and exactly the fresh identifiers (under the graph's lock).
  const [leaf] = hasFeatures && !created ? await profilesById(db, ws, [home]) : [];
  const features = mergedFeatures(leaf?.features ?? {}, obs.features);
  const featuresChanged = hasFeatures && !sameFeatures(features, leaf?.features ?? {});
  if (featuresChanged) await setFeatures(db, ws, home, features, now);
  if (featuresChanged || created) {
    const identities = created ? fresh : await identitiesOf(db, ws, [home]);
    await replaceTerms(db, ws, home, termsFor(features, identities, (t) => ctx.matcher.phonetic(t)), created);
  } else if (fresh.length > 0) {
    // Only new identifiers (a second device, a new e-mail): their terms join the leaf's.
    await addTerms(db, ws, home, termsFor({}, fresh));
  }
  if (featuresChanged && comparable(features)) {
    const keys = ctx.matcher.keys(features);
    await replaceBlocks(db, ws, home, keys, created);
    merges.push(...(await matchLeaf(ctx, home, features, keys)));
  }
  if (created && merges.length === 0) {
    // A new customer of one leaf: its summary follows from what was just written (nothing to write when it names no one).
    const summary = summaryOf([{ features }], fresh);
    if (summary.name !== null || summary.email !== null || summary.phone !== null) await setSummary(db, ws, home, summary, now);
  } else if (created || featuresChanged || merges.length > 0 || fresh.length > 0) await refreshSummary(ctx, (await rootOf(ctx, home)).id);
  if (ctx.seen) {
    for (const i of fresh) ctx.seen.set(idKey(i), { profileId: home, lastSeenAt: obs.at });
    for (const e of evidence) ctx.seen.set(idKey(e), { profileId: e.profileId, lastSeenAt: Math.max(e.lastSeenAt, obs.at) });
  }
  return { profileId: home, created, merges };
}

/**
 * The common case, without a query for identities: every identifier was placed on the same
 * leaf earlier in this run, and the observation states no traits. Only its record is linked.
 */
async function placeKnown(ctx: GraphContext, obs: Observation, ids: Identifier[]): Promise<Placement | undefined> {
  if (!ctx.seen || obs.aliasOf || ids.length === 0 || Object.keys(obs.traits).length > 0 || Object.keys(obs.features).length > 0) return undefined;
  let leaf: string | undefined;
  for (const i of ids) {
    const hit = ctx.seen.get(idKey(i));
    if (!hit || (leaf !== undefined && hit.profileId !== leaf) || hit.lastSeenAt < obs.at - HOUR) return undefined;
    leaf = hit.profileId;
  }
  if (leaf === undefined) return undefined;
  if (obs.record) await link(ctx, leaf, obs.record);
  return { profileId: leaf, created: false, merges: [] };
}

/** A record's link to its leaf can always wait for the slice's flush: placing never reads the links. */
async function link(ctx: GraphContext, profileId: string, record: NonNullable<Observation['record']>): Promise<void> {
  if (ctx.pending) ctx.pending.link({ profileId, record });
  else await linkRecord(ctx.db, ctx.workspaceId, profileId, record);
}

/**
 * A new person, without a statement: every identifier is absent from the workspace (so nothing
 * links it to anyone) and it states too little to be compared with anyone (so nothing can merge
 * it). Its rows are what `resolve` would write for a customer of one new leaf, left in
 * `ctx.pending` for the slice to write together.
 */
function placeNew(ctx: GraphContext, obs: Observation, ids: Identifier[]): Placement | undefined {
  const { pending, absent, now } = ctx;
  if (!pending || !absent || obs.aliasOf || ids.length === 0 || !ids.every((i) => absent.has(idKey(i))) || comparable(obs.features)) return undefined;
  const profileId = newId('prf', now);
  const features = mergedFeatures({}, obs.features);
  pending.addLeaf(
    { id: profileId, features, ...summaryOf([{ features }], ids), at: now },
    {
      identities: identityRows(profileId, ids, obs.source, obs.at),
      traits: traitRows(profileId, obs.traits, obs.source, obs.at),
      terms: keyRows(profileId, termsFor(features, ids, (t) => ctx.matcher.phonetic(t))),
    },
  );
  if (obs.record) pending.link({ profileId, record: obs.record });
  for (const i of ids) {
    absent.delete(idKey(i));
    ctx.seen?.set(idKey(i), { profileId, lastSeenAt: obs.at });
  }
  return { profileId, created: true, merges: [] };
}

/** Linked by an identifier but refused as one person: count it against the identifier, ask a person. */
async function refuse(ctx: GraphContext, home: string, links: IdentityRow[], why: string): Promise<void> {
  for (const link of links) {
    if (!isExclusiveKind(link) && (await countConflict(ctx.db, ctx.workspaceId, link, ctx.settings.sharedAfterConflicts))) ctx.seen?.delete(idKey(link));
  }
  const other = (links[0] as IdentityRow).profileId;
  if (other === home) return;
  await suggest(
    ctx.db,
    ctx.workspaceId,
    {
      a: home,
      b: other,
      reason: 'conflicting-ids',
      score: null,
      evidence: {
        summary: `share ${links.map((l) => `${l.kind} ${l.value}`).join(', ')}, but ${why}`,
        identifiers: links.map((l) => ({ kind: l.kind, value: l.value })),
        pair: [home, other],
        blockedBy: why,
      },
    },
    ctx.now,
  );
}

/** 99.99996 % would print as 100.0 %, which a match probability never is. */
const percent = (p: number): string => (p > 0.999 ? '> 99.9 %' : `${(p * 100).toFixed(1)} %`);

/** Compare a leaf with its blocked neighbours in other customers; merge or suggest by the thresholds. */
async function matchLeaf(ctx: GraphContext, leafId: string, features: PersonFields, keys: string[]): Promise<string[]> {
  const { db, workspaceId: ws, settings } = ctx;
  const neighbours = (await blockNeighbours(db, ws, keys, BLOCK_LIMIT)).filter((id) => id !== leafId);
  if (neighbours.length === 0) return [];
  const candidates = await profilesById(db, ws, neighbours);
  const homeRoot = (await rootOf(ctx, leafId)).id;
  // The best-scoring leaf of each other customer.
  const best = new Map<string, { leaf: ProfileRow; result: ReturnType<Matcher['compare']> }>();
  for (const c of candidates) {
    if (c.rootId === homeRoot || !comparable(c.features)) continue;
    const result = ctx.matcher.compare(features, c.features);
    const prior = best.get(c.rootId);
    if (!prior || result.probability > prior.result.probability) best.set(c.rootId, { leaf: c, result });
  }
  const merges: string[] = [];
  for (const { leaf, result } of [...best.values()].sort((x, y) => y.result.probability - x.result.probability)) {
    if (result.probability < settings.reviewThreshold) continue;
    const evidence: Evidence = {
      summary: `match probability ${percent(result.probability)} from ${result.fields.filter((f) => f.weight > 0).map((f) => f.field).join(', ') || 'no agreeing field'}`,
      fields: result.fields,
      pair: [leafId, leaf.id],
    };
    if (result.conflict) evidence.blockedBy = result.conflict;
    else if (result.probability >= settings.mergeThreshold) {
      const outcome = await merge(ctx, leafId, leaf.id, { rule: 'probabilistic', score: result.probability, evidence });
      if (outcome.merged) {
        merges.push(outcome.mergeId);
        continue;
      }
      if (outcome.blockedBy === 'already one customer' || outcome.blockedBy.startsWith('a person kept')) continue;
      evidence.blockedBy = outcome.blockedBy;
    }
    await suggest(db, ws, { a: leafId, b: leaf.id, reason: 'probabilistic', score: result.probability, evidence }, ctx.now);
  }
  return merges;
}

/** PostgreSQL: one graph writer per workspace at a time (resolution and people in the dashboard). */
export async function lockGraph(db: Db, dialect: 'sqlite' | 'postgres', workspaceId: string): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`graph:${workspaceId}`}))`.execute(db);
}
