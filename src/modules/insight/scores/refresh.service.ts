/**
 * One refresh of a workspace's lifetime values and health scores, in phases:
 *
 *   values   walk every customer: their purchase summary (weeks) → customer_values
 *   fit      BG/NBD on the grouped summaries, Gamma-Gamma per currency → a CLV model
 *   learn    a sample of customers' whole histories → labelled snapshots → learnt weights or
 *            the defaults by the switch rule, with the time-split backtest → a health model
 *   score    walk every customer: signals as of the run, CLV values, health and its reasons,
 *            the change since last week's snapshot, this week's snapshot
 *   accounts every account with scored members: the members' signals combined, scored alike
 *   prune    rows of customers that no longer exist, snapshots past the kept weeks
 *
 * Everything is "as of" the run's start, so a run resumed after a crash computes what it
 * would have. Walks go in slices of a few hundred customers; each slice's writes and the run's
 * cursor commit in one short transaction, so a crash loses at most a slice (redone, as upserts)
 * and SQLite's writer is never held long. Memory holds one slice, the CLV fit's grouped
 * summaries, and the learning sample (at most LEARN_SAMPLE customers).
 */
import type { Insertable } from 'kysely';
import type { Clock } from '../../../platform/clock.js';
import type { Logger } from '../../../platform/logger.js';
import { readSetting, type CustomerValuesTable, type HealthScoresTable, type HealthWeeklyTable, type Store } from '../../../store/index.js';
import { accountsByIds, countCustomers, customerIdsAfter } from '../../customers/index.js';
import {
  accountSignals,
  explainChange,
  scoreHealth,
  ZHealthModel,
  type HealthChange,
  type HealthModel,
  type HealthScore,
  type Signals,
  type BacktestReport,
  type WeightsDecision,
} from '../health/index.js';
import { activeAt, DAY_MS, DEFAULT_INSIGHT_SETTINGS, firstSeen, mainCurrency, signalsAt, ZInsightSettings, type CustomerHistory, type InsightSettings } from './history.js';
import { readHistories } from './history.reader.js';
import { learnFromHistories, purchaseOutlook, summaryAt } from './learning.js';
import * as store from './score.store.js';
import { bucketEdges, CLV_DISCOUNT_PER_WEEK, CLV_HORIZON_WEEKS, customerValue, fitSpend, fitTransactions, QUANTILES, type ClvDistribution, type ClvFit } from './values.js';

export interface InsightDeps {
  store: Store;
  clock: Clock;
  logger?: Logger | undefined;
}

export const PHASES = ['values', 'fit', 'learn', 'score', 'accounts', 'prune', 'done'] as const;
export type Phase = (typeof PHASES)[number];

/** Customers per slice (one transaction each). */
export const SLICE = 250;
/** Customers whose whole history weights are learnt from. */
export const LEARN_SAMPLE = 8000;
const ACCOUNT_PAGE = 100;
const PRUNE_PAGE = 500;
/** How far back tracked events are read for today's signals (days since activity is capped at 365). */
const ACTIVITY_DAYS = 400;
/** A run that has not moved for this long is taken as dead (its worker crashed). */
export const STALE_RUN_MS = 10 * 60_000;

export interface RunCounts {
  customers: number;
  valued: number;
  scored: number;
  accounts: number;
  atRisk: number;
  atRiskAccounts: number;
  pruned: number;
  learningSample: number;
}

export interface HealthModelBody {
  model: HealthModel;
  decision: WeightsDecision;
  backtest: BacktestReport | null;
  snapshots: number;
  events: number;
  cut: string;
  dates: { from: string; to: string; count: number };
  sample: { customers: number; of: number };
  settings: InsightSettings;
}

export interface ClvModelBody {
  fit: ClvFit;
  distributions: ClvDistribution[];
}

export interface RunState {
  counts: RunCounts;
  clvModelId?: string;
  healthModelId?: string;
  /** Milliseconds spent per phase. */
  phaseMs: Partial<Record<Phase, number>>;
  metrics?: { source: HealthModel['source']; auc: number | null; logLoss: number | null; brier: number | null; testEvents: number | null; reasons: string[] };
}

const emptyState = (): RunState => ({ counts: { customers: 0, valued: 0, scored: 0, accounts: 0, atRisk: 0, atRiskAccounts: 0, pruned: 0, learningSample: 0 }, phaseMs: {} });

export async function readInsightSettings(deps: Pick<InsightDeps, 'store'>, workspaceId: string): Promise<InsightSettings> {
  const parsed = ZInsightSettings.safeParse((await readSetting<unknown>(deps.store.db, workspaceId, 'insight')) ?? {});
  return parsed.success ? parsed.data : DEFAULT_INSIGHT_SETTINGS;
}

/** The Monday (UTC) of the week of `ms`, as YYYY-MM-DD. */
export function weekOf(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  return new Date((day - ((day + 3) % 7)) * DAY_MS).toISOString().slice(0, 10);
}

/** FNV-1a: a stable 32-bit hash of a customer id, for a sample that does not change between runs. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const yieldToOthers = () => new Promise<void>((r) => setImmediate(r));

interface Stored {
  contributions: HealthScore['contributions'];
  top: HealthScore['top'];
}

/** A stored score or snapshot as the change explanation reads it. */
function asScore(row: { health: number; risk: number; band: string; log_odds: number; contributions: string; signals: string }): HealthScore {
  const c = JSON.parse(row.contributions) as Stored;
  return {
    health: Number(row.health),
    risk: Number(row.risk),
    band: row.band as HealthScore['band'],
    horizonDays: 0,
    source: 'default',
    logOdds: Number(row.log_odds),
    baselineLogOdds: 0,
    baselineHealth: 0,
    contributions: c.contributions,
    top: c.top,
    signals: JSON.parse(row.signals) as Signals,
  };
}

const contributionsJson = (s: HealthScore) => JSON.stringify({ contributions: s.contributions, top: s.top } satisfies Stored);
const changeJson = (c: HealthChange) => JSON.stringify({ summary: c.summary, from: c.from, to: c.to, bandFrom: c.bandFrom, bandTo: c.bandTo, top: c.top, changes: c.changes });

export class StoppedError extends Error {
  constructor() {
    super('the refresh was interrupted; it resumes where it stopped');
    this.name = 'StoppedError';
  }
}

export interface RunOptions {
  trigger: 'schedule' | 'manual';
  requestedBy?: string | null;
  /** Aborted: stop after the current slice (the run resumes on its next attempt). */
  signal?: AbortSignal;
}

/** Run (or resume) the refresh `runId` of a workspace to the end. Idempotent: a finished run is left as it is. */
export async function runRefresh(deps: InsightDeps, workspaceId: string, runId: string, options: RunOptions): Promise<store.RunRow> {
  const db = deps.store.db;
  const now = deps.clock.now();
  await store.insertRun(db, {
    workspace_id: workspaceId,
    id: runId,
    trigger: options.trigger,
    requested_by: options.requestedBy ?? null,
    status: 'running',
    phase: 'values',
    cursor: null,
    state: JSON.stringify(emptyState()),
    started_at: now,
    finished_at: null,
    duration_ms: null,
    error: null,
    updated_at: now,
  });
  let run = (await store.findRun(db, workspaceId, runId)) as store.RunRow;
  if (run.status === 'succeeded') return run;
  const busy = (await store.runningRuns(db, workspaceId, runId)).filter((r) => now - Number(r.updated_at) < STALE_RUN_MS);
  if (busy.length > 0) throw new Error(`another refresh (${busy[0]?.id}) is running for this workspace; this one waits`);
  for (const stale of await store.runningRuns(db, workspaceId, runId))
    await store.updateRun(db, workspaceId, stale.id, { status: 'failed', error: 'abandoned: it stopped moving (its worker crashed?) and a newer run took over', finished_at: now, updated_at: now });
  await store.updateRun(db, workspaceId, runId, { status: 'running', error: null, updated_at: now });
  const ctx = new RunContext(deps, workspaceId, run, await readInsightSettings(deps, workspaceId), options);
  try {
    await ctx.run();
  } catch (error) {
    const at = deps.clock.now();
    await store.updateRun(db, workspaceId, runId, { status: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 2000) : String(error), updated_at: at });
    throw error;
  }
  run = (await store.findRun(db, workspaceId, runId)) as store.RunRow;
  return run;
}

class RunContext {
  private readonly asOf: number;
  private phase: Phase;
  private cursor: string | null;
  private readonly state: RunState;
  private clv: ClvFit | undefined;
  private model: HealthModel | undefined;

  constructor(
    private readonly deps: InsightDeps,
    private readonly workspaceId: string,
    private readonly row: store.RunRow,
    private readonly settings: InsightSettings,
    private readonly options: RunOptions,
  ) {
    this.asOf = Number(row.started_at);
    this.phase = row.phase as Phase;
    this.cursor = row.cursor;
    this.state = { ...emptyState(), ...(JSON.parse(row.state) as Partial<RunState>) };
  }

  private get db() {
    return this.deps.store.db;
  }

  private checkStop(): void {
    if (this.options.signal?.aborted) throw new StoppedError();
  }

  /** Save progress (in the slice's transaction when given). */
  private async save(db = this.db, change: Partial<store.RunRow> = {}): Promise<void> {
    await store.updateRun(db, this.workspaceId, this.row.id, { phase: this.phase, cursor: this.cursor, state: JSON.stringify(this.state), updated_at: this.deps.clock.now(), ...change });
  }

  async run(): Promise<void> {
    while (this.phase !== 'done') {
      const started = performance.now();
      switch (this.phase) {
        case 'values':
          await this.values();
          break;
        case 'fit':
          await this.fit();
          break;
        case 'learn':
          await this.learn();
          break;
        case 'score':
          await this.score();
          break;
        case 'accounts':
          await this.accounts();
          break;
        case 'prune':
          await this.prune();
          break;
      }
      this.state.phaseMs[this.phase] = (this.state.phaseMs[this.phase] ?? 0) + Math.round(performance.now() - started);
      this.phase = PHASES[PHASES.indexOf(this.phase) + 1] as Phase;
      this.cursor = null;
      await this.save();
    }
    const at = this.deps.clock.now();
    const atRisk = await this.db
      .selectFrom('health_scores')
      .select(['subject_kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('workspace_id', '=', this.workspaceId)
      .where('active', '=', 1)
      .where('band', '=', 'at-risk')
      .groupBy('subject_kind')
      .execute();
    this.state.counts.atRisk = Number(atRisk.find((r) => r.subject_kind === 'customer')?.n ?? 0);
    this.state.counts.atRiskAccounts = Number(atRisk.find((r) => r.subject_kind === 'account')?.n ?? 0);
    await this.save(this.db, { status: 'succeeded', finished_at: at, duration_ms: at - Number(this.row.started_at), error: null });
    this.deps.logger?.info({ workspaceId: this.workspaceId, runId: this.row.id, counts: this.state.counts, phaseMs: this.state.phaseMs }, 'insight refresh finished');
  }

  // ------------------------------------------------------------ values

  private async values(): Promise<void> {
    for (;;) {
      this.checkStop();
      // No tracked events needed for purchase summaries: an empty activity window.
      const slice = await readHistories(this.db, this.workspaceId, { after: this.cursor, limit: SLICE }, this.asOf, this.asOf);
      if (slice.last === null) return;
      const rows = slice.histories.flatMap((h) => {
        const row = this.valueRow(h);
        return row ? [row] : [];
      });
      this.cursor = slice.last;
      this.state.counts.customers += slice.histories.length;
      this.state.counts.valued += rows.length;
      await this.db.transaction().execute(async (trx) => {
        await store.upsertValues(trx, rows);
        await this.save(trx);
      });
      await yieldToOthers();
    }
  }

  private valueRow(h: CustomerHistory, fit?: ClvFit): Insertable<CustomerValuesTable> | undefined {
    const s = summaryAt(h, this.asOf);
    if (!s) return undefined;
    const orders = h.orders.filter((o) => o.at <= this.asOf);
    const currency = mainCurrency(orders);
    const v = fit ? customerValue(fit, { frequency: s.frequency, recency: s.recency, T: s.T, monetary: s.monetaryValue }, currency) : undefined;
    return {
      workspace_id: this.workspaceId,
      customer_id: h.customerId,
      currency,
      orders: orders.length,
      frequency: s.frequency,
      recency: s.recency,
      t: s.T,
      monetary: s.monetaryValue,
      p_alive: v?.pAlive ?? null,
      expected_transactions: v?.expectedTransactions ?? null,
      expected_spend: v?.expectedSpend ?? null,
      clv: v?.clv ?? null,
      first_order_at: Math.min(...orders.map((o) => o.at)),
      last_order_at: Math.max(...orders.map((o) => o.at)),
      run_id: this.row.id,
      updated_at: this.deps.clock.now(),
    };
  }

  // ------------------------------------------------------------ fit

  private async fit(): Promise<void> {
    const tuples = await store.summaryTuples(this.db, this.workspaceId, this.row.id);
    const fit: ClvFit = { period: 'week', horizonWeeks: CLV_HORIZON_WEEKS, discountPerWeek: CLV_DISCOUNT_PER_WEEK, ...fitTransactions(tuples), spend: {}, spendSkipped: {} };
    for (const { currency, n } of await store.currenciesOf(this.db, this.workspaceId, this.row.id)) {
      const frequency = new Float64Array(n);
      const monetary = new Float64Array(n);
      let k = 0;
      let after: string | null = null;
      for (;;) {
        const page = await store.spendPage(this.db, this.workspaceId, this.row.id, currency, after, 5000);
        for (const r of page) {
          if (k >= n) break;
          frequency[k] = Number(r.frequency);
          monetary[k] = Number(r.monetary);
          k++;
        }
        if (page.length < 5000) break;
        after = page[page.length - 1]?.customer_id ?? null;
      }
      const out = fitSpend(frequency.subarray(0, k), monetary.subarray(0, k));
      if (out.fit) fit.spend[currency] = { params: out.fit.params, standardErrors: out.fit.standardErrors, logLikelihood: out.fit.logLikelihood, customers: out.fit.customers };
      else fit.spendSkipped[currency] = out.error ?? 'no fit';
    }
    const id = `${this.row.id}.clv`;
    await store.insertModel(this.db, { workspace_id: this.workspaceId, id, kind: 'clv', run_id: this.row.id, body: JSON.stringify({ fit, distributions: [] } satisfies ClvModelBody), created_at: this.deps.clock.now() });
    this.state.clvModelId = id;
    this.clv = fit;
  }

  private async clvFit(): Promise<ClvFit> {
    if (this.clv) return this.clv;
    const row = await store.modelById(this.db, this.workspaceId, this.state.clvModelId ?? `${this.row.id}.clv`);
    if (!row) throw new Error('the CLV fit of this run is missing');
    this.clv = (JSON.parse(row.body) as ClvModelBody).fit;
    return this.clv;
  }

  // ------------------------------------------------------------ learn

  private async learn(): Promise<void> {
    const total = await countCustomers(this.db, this.workspaceId);
    const rate = total <= LEARN_SAMPLE ? 1 : LEARN_SAMPLE / total;
    const threshold = rate * 2 ** 32;
    const histories: CustomerHistory[] = [];
    let after: string | null = null;
    for (;;) {
      this.checkStop();
      const ids = await customerIdsAfter(this.db, this.workspaceId, after, 2000);
      if (ids.length === 0) break;
      after = ids[ids.length - 1] as string;
      const chosen = ids.filter((id) => hash32(id) < threshold);
      for (let i = 0; i < chosen.length; i += SLICE) {
        const slice = await readHistories(this.db, this.workspaceId, { ids: chosen.slice(i, i + SLICE) }, 0, this.asOf + 1);
        histories.push(...slice.histories);
      }
      await yieldToOthers();
    }
    this.state.counts.learningSample = histories.length;
    const learnt = learnFromHistories(histories, { asOf: this.asOf, settings: this.settings });
    const { choice } = learnt;
    const body: HealthModelBody = {
      model: choice.model,
      decision: choice.decision,
      backtest: choice.backtest ?? null,
      snapshots: learnt.snapshots,
      events: learnt.events,
      cut: learnt.cut,
      dates: learnt.dates,
      sample: { customers: histories.length, of: total },
      settings: this.settings,
    };
    const id = `${this.row.id}.health`;
    await store.insertModel(this.db, { workspace_id: this.workspaceId, id, kind: 'health', run_id: this.row.id, body: JSON.stringify(body), created_at: this.deps.clock.now() });
    this.state.healthModelId = id;
    const tested = choice.backtest?.models[choice.model.source === 'learnt' ? 'learnt' : 'default'];
    this.state.metrics = {
      source: choice.model.source,
      auc: tested && Number.isFinite(tested.auc) ? tested.auc : null,
      logLoss: tested ? tested.logLoss : null,
      brier: tested ? tested.brier : null,
      testEvents: choice.backtest?.test.events ?? null,
      reasons: choice.decision.reasons,
    };
    this.model = choice.model;
  }

  private async healthModel(): Promise<HealthModel> {
    if (this.model) return this.model;
    const row = await store.modelById(this.db, this.workspaceId, this.state.healthModelId ?? `${this.row.id}.health`);
    if (!row) throw new Error('the health model of this run is missing');
    this.model = ZHealthModel.parse((JSON.parse(row.body) as HealthModelBody).model);
    return this.model;
  }

  // ------------------------------------------------------------ score

  private async score(): Promise<void> {
    const fit = await this.clvFit();
    const model = await this.healthModel();
    const week = weekOf(this.asOf);
    const lastWeek = weekOf(this.asOf - 7 * DAY_MS);
    const lastWeekAt = this.asOf - 7 * DAY_MS;
    for (;;) {
      this.checkStop();
      const slice = await readHistories(this.db, this.workspaceId, { after: this.cursor, limit: SLICE }, this.asOf - ACTIVITY_DAYS * DAY_MS, this.asOf + 1);
      if (slice.last === null) return;
      const ids = slice.histories.map((h) => h.customerId);
      const previous = await store.weeklyOf(this.db, this.workspaceId, 'customer', ids, lastWeek);
      const scored = this.deps.clock.now();
      const scores: Insertable<HealthScoresTable>[] = [];
      const weekly: Insertable<HealthWeeklyTable>[] = [];
      const values: Insertable<CustomerValuesTable>[] = [];
      for (const h of slice.histories) {
        const value = this.valueRow(h, fit);
        if (value) values.push(value);
        const purchases = fit.transactions?.params;
        const signals = signalsAt(h, this.asOf, purchaseOutlook(purchases, summaryAt(h, this.asOf)), this.settings);
        const now = scoreHealth(model, signals);
        let before = previous.get(h.customerId);
        const seen = firstSeen(h);
        if (!before && seen !== null && seen <= lastWeekAt) {
          // No snapshot last week (the first refresh): the same code as of a week ago, with this run's models.
          const then = scoreHealth(model, signalsAt(h, lastWeekAt, purchaseOutlook(purchases, summaryAt(h, lastWeekAt)), this.settings));
          const row = this.weeklyRow('customer', h.customerId, lastWeek, then, scored);
          weekly.push(row);
          before = { ...row, scored_at: scored } as store.WeeklyRow;
        }
        const change = before ? explainChange(asScore(before), now) : null;
        scores.push({
          workspace_id: this.workspaceId,
          subject_kind: 'customer',
          subject_id: h.customerId,
          name: h.name,
          account_id: h.accountId,
          members: null,
          active: activeAt(h, this.asOf, this.settings) ? 1 : 0,
          health: now.health,
          risk: now.risk,
          band: now.band,
          log_odds: now.logOdds,
          signals: JSON.stringify(signals),
          contributions: contributionsJson(now),
          change: change ? change.change : null,
          change_detail: change ? changeJson(change) : null,
          model_id: this.state.healthModelId ?? `${this.row.id}.health`,
          run_id: this.row.id,
          scored_at: scored,
        });
        weekly.push(this.weeklyRow('customer', h.customerId, week, now, scored));
      }
      this.cursor = slice.last;
      this.state.counts.scored += scores.length;
      await this.db.transaction().execute(async (trx) => {
        await store.upsertValues(trx, values);
        await store.upsertScores(trx, scores);
        await store.upsertWeekly(trx, weekly);
        await this.save(trx);
      });
      await yieldToOthers();
    }
  }

  private weeklyRow(kind: 'customer' | 'account', id: string, week: string, s: HealthScore, at: number): Insertable<HealthWeeklyTable> {
    return {
      workspace_id: this.workspaceId,
      subject_kind: kind,
      subject_id: id,
      week,
      health: s.health,
      risk: s.risk,
      band: s.band,
      log_odds: s.logOdds,
      signals: JSON.stringify(s.signals),
      contributions: contributionsJson(s),
      model_id: this.state.healthModelId ?? `${this.row.id}.health`,
      scored_at: at,
    };
  }

  // ------------------------------------------------------------ accounts

  private async accounts(): Promise<void> {
    const model = await this.healthModel();
    const week = weekOf(this.asOf);
    const lastWeek = weekOf(this.asOf - 7 * DAY_MS);
    for (;;) {
      this.checkStop();
      const accountIds = await store.accountsAfter(this.db, this.workspaceId, this.row.id, this.cursor, ACCOUNT_PAGE);
      if (accountIds.length === 0) return;
      const members = await store.membersOf(this.db, this.workspaceId, accountIds);
      const memberWeeks = await store.weeklyOf(this.db, this.workspaceId, 'customer', members.map((m) => m.subject_id), lastWeek);
      const previous = await store.weeklyOf(this.db, this.workspaceId, 'account', accountIds, lastWeek);
      const records = new Map((await accountsByIds(this.db, this.workspaceId, accountIds)).map((a) => [a.id, a]));
      const scored = this.deps.clock.now();
      const scores: Insertable<HealthScoresTable>[] = [];
      const weekly: Insertable<HealthWeeklyTable>[] = [];
      for (const id of accountIds) {
        const mine = members.filter((m) => m.account_id === id && m.run_id === this.row.id);
        if (mine.length === 0) continue;
        const signals = accountSignals(mine.map((m) => JSON.parse(m.signals) as Signals));
        const now = scoreHealth(model, signals);
        let before = previous.get(id);
        const thenMembers = mine.map((m) => memberWeeks.get(m.subject_id)).filter((w): w is store.WeeklyRow => w !== undefined);
        if (!before && thenMembers.length > 0) {
          const then = scoreHealth(model, accountSignals(thenMembers.map((w) => JSON.parse(w.signals) as Signals)));
          const row = this.weeklyRow('account', id, lastWeek, then, scored);
          weekly.push(row);
          before = { ...row, scored_at: scored } as store.WeeklyRow;
        }
        const change = before ? explainChange(asScore(before), now) : null;
        scores.push({
          workspace_id: this.workspaceId,
          subject_kind: 'account',
          subject_id: id,
          name: records.get(id)?.name ?? null,
          account_id: id,
          members: mine.length,
          active: mine.some((m) => Number(m.active) === 1) ? 1 : 0,
          health: now.health,
          risk: now.risk,
          band: now.band,
          log_odds: now.logOdds,
          signals: JSON.stringify(signals),
          contributions: contributionsJson(now),
          change: change ? change.change : null,
          change_detail: change ? changeJson(change) : null,
          model_id: this.state.healthModelId ?? `${this.row.id}.health`,
          run_id: this.row.id,
          scored_at: scored,
        });
        weekly.push(this.weeklyRow('account', id, week, now, scored));
      }
      this.cursor = accountIds[accountIds.length - 1] as string;
      this.state.counts.accounts += scores.length;
      await this.db.transaction().execute(async (trx) => {
        await store.upsertScores(trx, scores);
        await store.upsertWeekly(trx, weekly);
        await this.save(trx);
      });
      await yieldToOthers();
    }
  }

  // ------------------------------------------------------------ prune and the distribution

  private async prune(): Promise<void> {
    const keepFrom = weekOf(this.asOf - this.settings.snapshotWeeks * 7 * DAY_MS);
    for (const step of [
      (db: store.Db) => store.pruneScores(db, this.workspaceId, this.row.id, PRUNE_PAGE),
      (db: store.Db) => store.pruneValues(db, this.workspaceId, this.row.id, PRUNE_PAGE),
      (db: store.Db) => store.pruneWeekly(db, this.workspaceId, keepFrom, PRUNE_PAGE),
    ]) {
      for (;;) {
        this.checkStop();
        const n = await this.db.transaction().execute((trx) => step(trx));
        this.state.counts.pruned += n;
        if (n < PRUNE_PAGE) break;
        await yieldToOthers();
      }
    }
    await this.distributions();
  }

  /** Histogram, quantiles and totals of CLV per currency, stored with the CLV model. */
  private async distributions(): Promise<void> {
    const fit = await this.clvFit();
    const out: ClvDistribution[] = [];
    for (const currency of Object.keys(fit.spend).sort()) {
      const all = await store.clvRange(this.db, this.workspaceId, currency, null, null);
      if (all.customers === 0) continue;
      const quantiles: { p: number; value: number }[] = [];
      for (const p of QUANTILES) {
        const v = await store.clvAtRank(this.db, this.workspaceId, currency, Math.min(all.customers - 1, Math.floor(p * (all.customers - 1))));
        if (v !== undefined) quantiles.push({ p, value: v });
      }
      const top = quantiles.find((q) => q.p === 0.99)?.value ?? 0;
      const edges = bucketEdges(top);
      const buckets = [];
      for (let i = 0; i < edges.length - 1; i++) {
        const last = i === edges.length - 2;
        const from = edges[i] as number;
        const to = last ? null : (edges[i + 1] as number);
        const r = await store.clvRange(this.db, this.workspaceId, currency, i === 0 ? null : from, to);
        buckets.push({ from, to, customers: r.customers, total: r.total });
      }
      out.push({ currency, customers: all.customers, total: all.total, mean: all.total / all.customers, quantiles, buckets });
    }
    out.sort((a, b) => b.customers - a.customers);
    const id = this.state.clvModelId ?? `${this.row.id}.clv`;
    await this.db.updateTable('insight_models').set({ body: JSON.stringify({ fit, distributions: out } satisfies ClvModelBody) }).where('workspace_id', '=', this.workspaceId).where('id', '=', id).execute();
  }
}
