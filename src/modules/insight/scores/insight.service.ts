/**
 * The insight read side and the at-risk list's one-click follow-up: what the API returns,
 * built from the stored scores, values, models and runs.
 */
import type { z } from 'zod';
import { toIso } from '../../../platform/clock.js';
import { AppError } from '../../../platform/errors.js';
import { appendFacts, type JobQueue } from '../../../store/index.js';
import { accountsByIds, customerById } from '../../customers/index.js';
import { createTaskByHand, taskStates } from '../../followup/index.js';
import { FEATURE_NAMES, standardisedWeights, ZHealthModel } from '../health/index.js';
import type { InsightDeps, ClvModelBody, HealthModelBody, RunState } from './refresh.service.js';
import * as store from './score.store.js';
import { ZClvView } from './insight.schema.js';
import type { ZAtRiskItem, ZAtRiskPage, ZAtRiskQuery, ZBand, ZFollowupRef, ZFollowupResult, ZHealthChange, ZModelView, ZRunView, ZSubjectHealth } from './insight.schema.js';
import { CLV_HORIZON_WEEKS } from './values.js';
import { DEFAULT_INSIGHT_SETTINGS } from './history.js';

type Contributions = { contributions: z.infer<typeof ZSubjectHealth>['contributions']; top: z.infer<typeof ZSubjectHealth>['top'] };
const iso = (ms: number) => toIso(Number(ms)) as string;

export const CHURN_DEFINITION =
  'A customer is active on a day when they have a live subscription or placed an order in the 180 days before it; an active customer churned within the horizon (90 days) when in that time they placed no order and had no live subscription at its end.';

/** The open follow-up task made from the at-risk list for each subject, if any. */
async function openFollowups(deps: InsightDeps, workspaceId: string, kind: 'customer' | 'account', ids: readonly string[]): Promise<Map<string, z.infer<typeof ZFollowupRef>>> {
  const out = new Map<string, z.infer<typeof ZFollowupRef>>();
  if (ids.length === 0) return out;
  const links = await deps.store.db
    .selectFrom('health_followups')
    .select(['subject_id', 'task_id', 'seq'])
    .where('workspace_id', '=', workspaceId)
    .where('subject_kind', '=', kind)
    .where('subject_id', 'in', [...ids])
    .execute();
  const states = await taskStates(deps.store.db, workspaceId, links.map((l) => l.task_id));
  for (const l of links.sort((a, b) => Number(a.seq) - Number(b.seq))) {
    const t = states.get(l.task_id);
    if (t && t.status !== 'resolved') out.set(l.subject_id, { taskId: t.id, title: t.title, status: t.status, ownerUserId: t.ownerUserId });
  }
  return out;
}

const encodeCursor = (health: number, id: string) => `${health}~${id}`;
function decodeCursor(cursor: string): [number, string] {
  const i = cursor.indexOf('~');
  const h = Number(cursor.slice(0, i));
  if (i < 0 || !Number.isFinite(h)) throw new AppError('VALIDATION_FAILED', 'not a cursor from this API', { cursor });
  return [h, cursor.slice(i + 1)];
}

/** At-risk customers or accounts (or another band), lowest health first, paged. */
export async function atRiskList(deps: InsightDeps, workspaceId: string, q: z.infer<typeof ZAtRiskQuery>): Promise<z.infer<typeof ZAtRiskPage>> {
  const db = deps.store.db;
  let base = db.selectFrom('health_scores').where('workspace_id', '=', workspaceId).where('subject_kind', '=', q.kind);
  if (!q.includeInactive) base = base.where('active', '=', 1);
  if (q.band !== 'all') base = base.where('band', '=', q.band);
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  let page = base.selectAll();
  if (q.cursor) {
    const [h, id] = decodeCursor(q.cursor);
    page = page.where((eb) => eb.or([eb('health', '>', h), eb.and([eb('health', '=', h), eb('subject_id', '>', id)])]));
  }
  const rows = await page.orderBy('health').orderBy('subject_id').limit(q.limit + 1).execute();
  const shown = rows.slice(0, q.limit);
  const followups = await openFollowups(deps, workspaceId, q.kind, shown.map((r) => r.subject_id));
  const items = shown.map((r): z.infer<typeof ZAtRiskItem> => {
    const c = JSON.parse(r.contributions) as Contributions;
    const detail = r.change_detail ? (JSON.parse(r.change_detail) as { summary: string }) : null;
    return {
      kind: q.kind,
      id: r.subject_id,
      name: r.name,
      health: Number(r.health),
      risk: Number(r.risk),
      band: r.band as z.infer<typeof ZAtRiskItem>['band'],
      active: Number(r.active) === 1,
      members: r.members === null ? null : Number(r.members),
      accountId: r.account_id,
      top: c.top,
      change: r.change === null ? null : Number(r.change),
      changeSummary: detail?.summary ?? null,
      followup: followups.get(r.subject_id) ?? null,
      scoredAt: iso(r.scored_at),
    };
  });
  const last = shown[shown.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(Number(last.health), last.subject_id) : null, total };
}

/** One customer's (or account's) health with its contributions, change since last week and (customers) lifetime value. */
export async function subjectHealth(deps: InsightDeps, workspaceId: string, kind: 'customer' | 'account', id: string): Promise<z.infer<typeof ZSubjectHealth>> {
  const db = deps.store.db;
  let [row] = await store.scoresOf(db, workspaceId, kind, [id]);
  if (!row && kind === 'customer') {
    // A merged profile's id: its customer's score.
    const customer = await customerById(db, workspaceId, id);
    if (customer) [row] = await store.scoresOf(db, workspaceId, kind, [customer.customerId]);
  }
  if (!row) throw new AppError('HEALTH_NOT_FOUND', `no health score for this ${kind} yet (the next refresh scores it)`);
  const c = JSON.parse(row.contributions) as Contributions;
  const detail = row.change_detail ? (JSON.parse(row.change_detail) as Omit<z.infer<typeof ZHealthChange>, 'change'>) : null;
  const model = await store.modelById(db, workspaceId, row.model_id);
  const body = model ? (JSON.parse(model.body) as HealthModelBody) : undefined;
  let account: z.infer<typeof ZSubjectHealth>['account'] = null;
  if (kind === 'customer' && row.account_id) {
    const [a] = await store.scoresOf(db, workspaceId, 'account', [row.account_id]);
    if (a) account = { id: a.subject_id, name: a.name, health: Number(a.health), band: a.band as z.infer<typeof ZBand> };
  }
  let value: z.infer<typeof ZSubjectHealth>['value'] = null;
  if (kind === 'customer') {
    const [v] = await store.valuesOf(db, workspaceId, [row.subject_id]);
    if (v)
      value = {
        currency: v.currency,
        orders: Number(v.orders),
        frequency: Number(v.frequency),
        recency: Number(v.recency),
        T: Number(v.t),
        monetary: Number(v.monetary),
        pAlive: v.p_alive === null ? null : Number(v.p_alive),
        expectedTransactions: v.expected_transactions === null ? null : Number(v.expected_transactions),
        expectedSpend: v.expected_spend === null ? null : Number(v.expected_spend),
        clv: v.clv === null ? null : Number(v.clv),
        horizonWeeks: CLV_HORIZON_WEEKS,
      };
  }
  const followup = (await openFollowups(deps, workspaceId, kind, [row.subject_id])).get(row.subject_id) ?? null;
  return {
    kind,
    id: row.subject_id,
    name: row.name,
    health: Number(row.health),
    risk: Number(row.risk),
    band: row.band as z.infer<typeof ZBand>,
    active: Number(row.active) === 1,
    horizonDays: body?.model.horizonDays ?? DEFAULT_INSIGHT_SETTINGS.horizonDays,
    source: body?.model.source ?? 'default',
    signals: JSON.parse(row.signals) as Record<string, number | null>,
    contributions: c.contributions,
    top: c.top,
    change: detail && row.change !== null ? { ...detail, change: Number(row.change) } : null,
    account,
    value,
    followup,
    modelId: row.model_id,
    scoredAt: iso(row.scored_at),
  };
}

/** The CLV fit and distribution of the last finished refresh. */
export async function clvView(deps: InsightDeps, workspaceId: string): Promise<z.infer<typeof ZClvView>> {
  const row = await store.latestModel(deps.store.db, workspaceId, 'clv');
  if (!row) return { runId: null, fittedAt: null, fit: null, distributions: [] };
  const body = JSON.parse(row.body) as ClvModelBody;
  return { runId: row.run_id, fittedAt: iso(row.created_at), fit: ZClvView.shape.fit.parse(body.fit), distributions: body.distributions };
}

/** The health model in use (of the last finished refresh) with its backtest; null before the first. */
export async function modelView(deps: InsightDeps, workspaceId: string): Promise<z.infer<typeof ZModelView> | null> {
  const row = await store.latestModel(deps.store.db, workspaceId, 'health');
  if (!row) return null;
  const body = JSON.parse(row.body) as HealthModelBody;
  const model = ZHealthModel.parse(body.model);
  const std = standardisedWeights(model);
  return {
    id: row.id,
    runId: row.run_id,
    createdAt: iso(row.created_at),
    source: model.source,
    horizonDays: model.horizonDays,
    weights: FEATURE_NAMES.map((f) => ({ feature: f, weight: model.weights[f], standardised: std[f], standardError: model.standardErrors?.[f] ?? null })),
    lambda: model.lambda ?? null,
    decision: body.decision,
    backtest: body.backtest as z.infer<typeof ZModelView>['backtest'],
    snapshots: body.snapshots,
    events: body.events,
    sample: body.sample,
    churnDefinition: CHURN_DEFINITION,
  };
}

export function runView(r: store.RunRow): z.infer<typeof ZRunView> {
  const state = JSON.parse(r.state) as RunState;
  return {
    id: r.id,
    trigger: r.trigger,
    requestedBy: r.requested_by,
    status: r.status as z.infer<typeof ZRunView>['status'],
    phase: r.phase,
    startedAt: iso(r.started_at),
    finishedAt: r.finished_at === null ? null : iso(r.finished_at),
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    error: r.error,
    counts: { ...state.counts },
    phaseMs: state.phaseMs as Record<string, number>,
    metrics: state.metrics ?? null,
  };
}

const PREFERRED = ['user_id', 'email', 'anonymous_id'];

/**
 * One click on "Create follow-up": a task about the customer (for an account, its member with
 * the lowest health), titled with the name and health, owned by the account owner or the
 * workspace's default rules, with the reasons in its body. A second click while that task is
 * open returns it; once it is resolved, a click makes a new one.
 */
export async function createFollowup(deps: InsightDeps, queue: JobQueue, workspaceId: string, kind: 'customer' | 'account', id: string, actor: string): Promise<z.infer<typeof ZFollowupResult>> {
  const db = deps.store.db;
  const [row] = await store.scoresOf(db, workspaceId, kind, [id]);
  if (!row) throw new AppError('HEALTH_NOT_FOUND', `no health score for this ${kind} yet`);
  const existing = (await openFollowups(deps, workspaceId, kind, [id])).get(id);
  if (existing) return { task: existing, created: false };

  let customerId = row.subject_id;
  let ownerTraits: Record<string, unknown> = {};
  if (kind === 'account') {
    const members = (await store.membersOf(db, workspaceId, [id])).sort((a, b) => Number(b.active) - Number(a.active) || Number(a.health) - Number(b.health));
    if (!members[0]) throw new AppError('HEALTH_NOT_FOUND', 'this account has no scored customers');
    customerId = members[0].subject_id;
    const [account] = await accountsByIds(db, workspaceId, [id]);
    if (account?.ownerId) ownerTraits = { ownerId: account.ownerId };
  } else if (row.account_id) {
    const [account] = await accountsByIds(db, workspaceId, [row.account_id]);
    if (account?.ownerId) ownerTraits = { accountOwnerId: account.ownerId };
  }
  const customer = await customerById(db, workspaceId, customerId);
  if (!customer) throw new AppError('HEALTH_NOT_FOUND', 'the customer is gone');
  const respondent = PREFERRED.map((k) => customer.identifiers.find((i) => i.kind === k)).find((i) => i !== undefined);
  if (!respondent) throw new AppError('HEALTH_NO_IDENTIFIER', 'the customer has no user id, e-mail or anonymous id to follow up on');

  const c = JSON.parse(row.contributions) as Contributions;
  const detail = row.change_detail ? (JSON.parse(row.change_detail) as { summary: string }) : null;
  const health = Math.round(Number(row.health));
  const name = row.name ?? customer.name ?? customer.email ?? 'customer';
  const title = `${kind === 'account' ? 'At-risk account' : 'At risk'}: ${name} (health ${health})`;
  const note = [
    `Health ${health}/100: ${Math.round(Number(row.risk) * 100)}% risk of churning within the horizon (${row.band}).`,
    ...(kind === 'account' ? [`Account of ${Number(row.members ?? 0)} customers; this task is about ${customer.name ?? customer.email ?? customerId}.`] : []),
    'Top reasons:',
    ...c.top.map((t) => `- ${t.reason}`),
    ...(detail ? [`Since last week: ${detail.summary}`] : []),
  ].join('\n');

  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const last = await trx
      .selectFrom('health_followups')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('workspace_id', '=', workspaceId)
      .where('subject_kind', '=', kind)
      .where('subject_id', '=', id)
      .executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    const made = await createTaskByHand(
      { db: trx, queue, now },
      {
        workspaceId,
        origin: 'insight.at-risk',
        key: `${kind}:${id}:${seq}`,
        actor,
        title,
        note,
        priority: row.band === 'at-risk' ? 'high' : 'normal',
        slaKind: 'churn_risk',
        respondent,
        customerId: customer.customerId,
        traits: { ...customer.traits, ...ownerTraits },
      },
    );
    await trx
      .insertInto('health_followups')
      .values({ workspace_id: workspaceId, subject_kind: kind, subject_id: id, seq, task_id: made.taskId, created_by: actor, created_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await appendFacts(trx, workspaceId, made.facts, now);
    return { task: { taskId: made.taskId, title, status: made.status, ownerUserId: made.ownerUserId }, created: made.created };
  });
}
