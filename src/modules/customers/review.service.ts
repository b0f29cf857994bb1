/**
 * What people decide about identities: the review queue (merge, or keep apart), manual
 * merges and unmerges. Each decision is one transaction that changes the graph, writes
 * the audit log and appends the fact.
 */
import { toIso } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { appendAudit, type Actor } from '../workspaces/index.js';
import type { CustomerDeps } from './deps.js';
import { keepApart, lockGraph, merge, unmerge, type GraphContext } from './graph.js';
import { identitiesOf, profilesById, type Db } from './graph.store.js';
import { readIdentitySettings } from './identity.settings.js';
import { decideSuggestion, listSuggestions, suggestionById, type Suggestion, type SuggestionStatus } from './merge.store.js';

const iso = (ms: number): string => toIso(ms) as string;

export async function countOpenSuggestionsFor(db: Db, workspaceId: string, leaves: readonly string[]): Promise<number> {
  if (leaves.length === 0) return 0;
  const open = new Set<string>();
  for (const column of ['profile_a', 'profile_b'] as const) {
    // Status is filtered here, not in SQL: with it in the WHERE clause SQLite's planner picks
    // the (workspace, status) index and scans every open suggestion of the workspace.
    const rows = await db.selectFrom('merge_suggestions').select(['id', 'status']).where('workspace_id', '=', workspaceId).where(column, 'in', leaves).execute();
    for (const r of rows) if (r.status === 'open') open.add(r.id);
  }
  return open.size;
}

/** In one transaction, with the graph locked and a context for the acting person. */
async function decide<T>(deps: CustomerDeps, workspaceId: string, actor: Actor, work: (ctx: GraphContext) => Promise<T>): Promise<T> {
  return deps.store.db.transaction().execute(async (trx) => {
    await lockGraph(trx, deps.store.dialect.name, workspaceId);
    const settings = await readIdentitySettings(trx, workspaceId);
    // The history shows who decided: the person's e-mail (or the key's name), readable after they leave.
    return work({ db: trx, workspaceId, now: deps.clock.now(), settings, matcher: deps.matcher, actor: actor.label });
  });
}

async function side(db: Db, workspaceId: string, profileId: string) {
  const [p] = await profilesById(db, workspaceId, [profileId]);
  const identities = await identitiesOf(db, workspaceId, [profileId]);
  const features: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(p?.features ?? {})) features[k] = v ?? null;
  return {
    profileId,
    customerId: p?.rootId ?? profileId,
    name: p ? ([p.features.name ?? [p.features.firstName, p.features.lastName].filter(Boolean).join(' ')].find(Boolean) ?? null) : null,
    features,
    identities: identities.map((i) => ({ kind: i.kind, value: i.value, source: i.source })),
  };
}

async function suggestionView(db: Db, workspaceId: string, s: Suggestion) {
  return {
    id: s.id,
    reason: s.reason,
    score: s.score,
    evidence: s.evidence,
    status: s.status,
    createdAt: iso(s.createdAt),
    decidedAt: s.decidedAt === null ? null : iso(s.decidedAt),
    decidedBy: s.decidedBy,
    a: await side(db, workspaceId, s.profileA),
    b: await side(db, workspaceId, s.profileB),
  };
}

export async function reviewQueue(deps: CustomerDeps, workspaceId: string, status: SuggestionStatus, limit: number, before?: string) {
  const rows = await listSuggestions(deps.store.db, workspaceId, status, limit + 1, before);
  const page = rows.slice(0, limit);
  return {
    suggestions: await Promise.all(page.map((s) => suggestionView(deps.store.db, workspaceId, s))),
    nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/** Accept or reject a suggestion. Accepting merges even over an id conflict: a person saw the evidence. */
export async function decide_suggestion(deps: CustomerDeps, workspaceId: string, actor: Actor, suggestionId: string, decision: 'merge' | 'keep-apart') {
  return decide(deps, workspaceId, actor, async (ctx) => {
    const s = await suggestionById(ctx.db, workspaceId, suggestionId);
    if (!s) throw new AppError('SUGGESTION_NOT_FOUND', 'no such suggestion in this workspace');
    if (s.status !== 'open') throw new AppError('SUGGESTION_ALREADY_DECIDED', `this suggestion was already decided (${s.status})`, { status: s.status });
    let mergeId: string | null = null;
    if (decision === 'merge') {
      const outcome = await merge(ctx, s.profileA, s.profileB, { rule: 'manual', score: s.score, evidence: { ...s.evidence, summary: `accepted in review: ${s.evidence.summary}` }, force: true });
      if (outcome.merged) mergeId = outcome.mergeId;
      await decideSuggestion(ctx.db, workspaceId, s.id, 'merged', ctx.actor, ctx.now);
    } else {
      await keepApart(ctx, s.profileA, s.profileB, `review ${s.id}`);
      await decideSuggestion(ctx.db, workspaceId, s.id, 'kept-apart', ctx.actor, ctx.now);
    }
    await appendAudit(ctx.db, {
      workspaceId,
      actor,
      action: decision === 'merge' ? 'customer.merge' : 'customer.keep-apart',
      target: { type: 'suggestion', id: s.id },
      details: { profiles: [s.profileA, s.profileB], score: s.score, mergeId },
      at: ctx.now,
    });
    const decided = await suggestionById(ctx.db, workspaceId, s.id);
    return suggestionView(ctx.db, workspaceId, decided as Suggestion);
  });
}

export async function undoMerge(deps: CustomerDeps, workspaceId: string, actor: Actor, mergeId: string) {
  return decide(deps, workspaceId, actor, async (ctx) => {
    const result = await unmerge(ctx, mergeId);
    await appendAudit(ctx.db, { workspaceId, actor, action: 'customer.unmerge', target: { type: 'merge', id: mergeId }, details: result, at: ctx.now });
    return result;
  });
}

/** Merge two customers by hand (from the customer page). */
export async function mergeManually(deps: CustomerDeps, workspaceId: string, actor: Actor, a: string, b: string, note?: string) {
  return decide(deps, workspaceId, actor, async (ctx) => {
    const outcome = await merge(ctx, a, b, { rule: 'manual', score: null, evidence: { summary: note ? `merged by hand: ${note}` : 'merged by hand' }, force: true });
    if (!outcome.merged) throw new AppError('VALIDATION_FAILED', outcome.blockedBy);
    await appendAudit(ctx.db, { workspaceId, actor, action: 'customer.merge', target: { type: 'merge', id: outcome.mergeId }, details: { profiles: [a, b], note: note ?? null }, at: ctx.now });
    return { mergeId: outcome.mergeId, customerId: outcome.survivorId };
  });
}
