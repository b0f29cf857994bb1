/** Merge history and the review queue's suggestions. */
import type { Kysely } from 'kysely';
import { newId } from '../../platform/ids.js';
import { fromJson, toJson, type Database } from '../../store/index.js';

type Db = Kysely<Database>;

export const MERGE_RULES = ['shared-identifier', 'alias', 'probabilistic', 'manual'] as const;
export type MergeRule = (typeof MERGE_RULES)[number];

/** Why two profiles were (or might be) one person: shown to people, so every part reads well. */
export interface Evidence {
  /** Plain-language summary. */
  summary: string;
  /** Identifiers both sides hold (deterministic rules). */
  identifiers?: { kind: string; value: string }[];
  /** Field-by-field comparison (probabilistic rule). */
  fields?: { field: string; level: string; label: string; weight: number }[];
  /** The two leaves compared, when the rule compared leaves. */
  pair?: [string, string];
  /** What stopped an automatic merge. */
  blockedBy?: string;
}

export interface MergeRecord {
  id: string;
  survivorId: string;
  absorbedId: string;
  rule: MergeRule;
  score: number | null;
  evidence: Evidence;
  actor: string;
  createdAt: number;
  undoneAt: number | null;
  undoneBy: string | null;
}

type RawMerge = {
  id: string;
  survivor_id: string;
  absorbed_id: string;
  rule: string;
  score: number | null;
  evidence: unknown;
  actor: string;
  created_at: number;
  undone_at: number | null;
  undone_by: string | null;
};

const toMerge = (r: RawMerge): MergeRecord => ({
  id: r.id,
  survivorId: r.survivor_id,
  absorbedId: r.absorbed_id,
  rule: r.rule as MergeRule,
  score: r.score === null ? null : Number(r.score),
  evidence: fromJson<Evidence>(r.evidence),
  actor: r.actor,
  createdAt: Number(r.created_at),
  undoneAt: r.undone_at === null ? null : Number(r.undone_at),
  undoneBy: r.undone_by,
});

export async function insertMerge(
  db: Db,
  workspaceId: string,
  m: { survivorId: string; absorbedId: string; rule: MergeRule; score: number | null; evidence: Evidence; actor: string },
  at: number,
): Promise<string> {
  const id = newId('mrg', at);
  await db
    .insertInto('profile_merges')
    .values({
      workspace_id: workspaceId,
      id,
      survivor_id: m.survivorId,
      absorbed_id: m.absorbedId,
      rule: m.rule,
      score: m.score,
      evidence: toJson(m.evidence),
      actor: m.actor,
      created_at: at,
      undone_at: null,
      undone_by: null,
    })
    .execute();
  return id;
}

export async function mergeById(db: Db, workspaceId: string, id: string): Promise<MergeRecord | undefined> {
  const row = await db.selectFrom('profile_merges').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? toMerge(row) : undefined;
}

export async function markUndone(db: Db, workspaceId: string, id: string, actor: string, at: number): Promise<void> {
  await db.updateTable('profile_merges').set({ undone_at: at, undone_by: actor }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Every merge that involved one of these profiles, newest first. */
export async function mergesOf(db: Db, workspaceId: string, profileIds: readonly string[]): Promise<MergeRecord[]> {
  if (profileIds.length === 0) return [];
  // Two indexed reads rather than an OR, which would scan the workspace's merges.
  const byId = new Map<string, MergeRecord>();
  for (const column of ['survivor_id', 'absorbed_id'] as const) {
    const rows = await db.selectFrom('profile_merges').selectAll().where('workspace_id', '=', workspaceId).where(column, 'in', profileIds).execute();
    for (const r of rows) byId.set(r.id, toMerge(r));
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : -1));
}

// ---------------------------------------------------------------- suggestions

export const SUGGESTION_STATUSES = ['open', 'merged', 'kept-apart'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];
export type SuggestionReason = 'probabilistic' | 'conflicting-ids';

export interface Suggestion {
  id: string;
  profileA: string;
  profileB: string;
  reason: SuggestionReason;
  score: number | null;
  evidence: Evidence;
  status: SuggestionStatus;
  createdAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
}

type RawSuggestion = {
  id: string;
  profile_a: string;
  profile_b: string;
  reason: string;
  score: number | null;
  evidence: unknown;
  status: string;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
};

const toSuggestion = (r: RawSuggestion): Suggestion => ({
  id: r.id,
  profileA: r.profile_a,
  profileB: r.profile_b,
  reason: r.reason as SuggestionReason,
  score: r.score === null ? null : Number(r.score),
  evidence: fromJson<Evidence>(r.evidence),
  status: r.status as SuggestionStatus,
  createdAt: Number(r.created_at),
  decidedAt: r.decided_at === null ? null : Number(r.decided_at),
  decidedBy: r.decided_by,
});

/** Open a suggestion for the pair of leaves (one per pair: a decided pair is not asked again). */
export async function suggest(
  db: Db,
  workspaceId: string,
  s: { a: string; b: string; reason: SuggestionReason; score: number | null; evidence: Evidence },
  at: number,
): Promise<void> {
  const [a, b] = s.a < s.b ? [s.a, s.b] : [s.b, s.a];
  await db
    .insertInto('merge_suggestions')
    .values({
      workspace_id: workspaceId,
      id: newId('sug', at),
      profile_a: a,
      profile_b: b,
      reason: s.reason,
      score: s.score,
      evidence: toJson(s.evidence),
      status: 'open',
      created_at: at,
      decided_at: null,
      decided_by: null,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'profile_a', 'profile_b']).doNothing())
    .execute();
}

export async function suggestionById(db: Db, workspaceId: string, id: string): Promise<Suggestion | undefined> {
  const row = await db.selectFrom('merge_suggestions').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? toSuggestion(row) : undefined;
}

export async function listSuggestions(db: Db, workspaceId: string, status: SuggestionStatus, limit: number, before?: string): Promise<Suggestion[]> {
  let q = db.selectFrom('merge_suggestions').selectAll().where('workspace_id', '=', workspaceId).where('status', '=', status);
  if (before) q = q.where('id', '<', before);
  const rows = await q.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toSuggestion);
}

export async function countOpenSuggestions(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('merge_suggestions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function decideSuggestion(db: Db, workspaceId: string, id: string, status: Exclude<SuggestionStatus, 'open'>, actor: string, at: number): Promise<void> {
  await db
    .updateTable('merge_suggestions')
    .set({ status, decided_at: at, decided_by: actor })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Open suggestions between two sets of leaves are settled by a merge or a keep-apart. */
export async function settleSuggestionsBetween(
  db: Db,
  workspaceId: string,
  left: readonly string[],
  right: readonly string[],
  status: Exclude<SuggestionStatus, 'open'>,
  actor: string,
  at: number,
): Promise<void> {
  const all = [...left, ...right];
  // profile_a leads the pair index; the status filter runs on the few rows it finds.
  const rows = (
    await db
      .selectFrom('merge_suggestions')
      .select(['id', 'profile_a', 'profile_b', 'status'])
      .where('workspace_id', '=', workspaceId)
      .where('profile_a', 'in', all)
      .execute()
  ).filter((s) => s.status === 'open');
  const l = new Set(left);
  const r = new Set(right);
  for (const s of rows) {
    if ((l.has(s.profile_a) && r.has(s.profile_b)) || (r.has(s.profile_a) && l.has(s.profile_b))) {
      await decideSuggestion(db, workspaceId, s.id, status, actor, at);
    }
  }
}
