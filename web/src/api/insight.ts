/**
 * The insight API: health scores (at-risk list, one customer's health), lifetime value, the
 * health model with its backtest, refresh runs and the one-click follow-up. Types mirror
 * src/modules/insight/scores/insight.schema.ts.
 */
import { request } from './client';

export type Band = 'healthy' | 'watch' | 'at-risk';
export type SubjectKind = 'customer' | 'account';

export interface Contribution {
  signal: string;
  label: string;
  value: number | null;
  logOdds: number;
  points: number;
  reason: string;
}

export interface FollowupRef {
  taskId: string;
  title: string;
  status: string;
  ownerUserId: string | null;
}

export interface AtRiskItem {
  kind: SubjectKind;
  id: string;
  name: string | null;
  health: number;
  risk: number;
  band: Band;
  active: boolean;
  members: number | null;
  accountId: string | null;
  top: Contribution[];
  change: number | null;
  changeSummary: string | null;
  followup: FollowupRef | null;
  scoredAt: string;
}

export interface AtRiskPage {
  items: AtRiskItem[];
  nextCursor: string | null;
  total: number;
}

export interface Change {
  signal: string;
  label: string;
  from: number | null;
  to: number | null;
  points: number;
  reason: string;
}

export interface SubjectHealth {
  kind: SubjectKind;
  id: string;
  name: string | null;
  health: number;
  risk: number;
  band: Band;
  active: boolean;
  horizonDays: number;
  source: 'default' | 'learnt';
  signals: Record<string, number | null>;
  contributions: Contribution[];
  top: Contribution[];
  change: { change: number; summary: string; top: Change[]; changes: Change[] } | null;
  account: { id: string; name: string | null; health: number; band: Band } | null;
  value: {
    currency: string | null;
    orders: number;
    pAlive: number | null;
    expectedTransactions: number | null;
    expectedSpend: number | null;
    clv: number | null;
    horizonWeeks: number;
  } | null;
  followup: FollowupRef | null;
  modelId: string;
  scoredAt: string;
}

export interface ClvDistribution {
  currency: string;
  customers: number;
  total: number;
  mean: number;
  quantiles: { p: number; value: number }[];
  buckets: { from: number; to: number | null; customers: number; total: number }[];
}

export interface ClvView {
  runId: string | null;
  fittedAt: string | null;
  fit: { horizonWeeks: number; transactions: { params: Record<string, number>; standardErrors: Record<string, number>; logLikelihood: number } | null; transactionsError: string | null } | null;
  distributions: ClvDistribution[];
}

export interface CalibrationBin {
  bin: number;
  n: number;
  meanPredicted: number;
  observedRate: number;
}

export interface Metrics {
  n: number;
  events: number;
  auc: number | null;
  logLoss: number;
  brier: number;
  calibration: { slope: number | null; intercept: number | null; inTheLarge: number | null };
  table: CalibrationBin[];
}

export interface ModelView {
  id: string;
  createdAt: string;
  source: 'default' | 'learnt';
  horizonDays: number;
  decision: { use: 'learnt' | 'default'; reasons: string[] };
  backtest: { cut: string; train: { n: number; events: number }; test: { n: number; events: number }; models: Record<string, Metrics> } | null;
  snapshots: number;
  events: number;
  sample: { customers: number; of: number };
  churnDefinition: string;
}

export interface RunView {
  id: string;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed';
  phase: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  counts: Record<string, number>;
  metrics: { source: string; auc: number | null } | null;
}

const base = (ws: string) => `/api/workspaces/${encodeURIComponent(ws)}/insight`;

export const insightApi = {
  atRisk: (ws: string, q: { kind: SubjectKind; band?: Band | 'all'; limit?: number; cursor?: string | null }) =>
    request<AtRiskPage>('GET', `${base(ws)}/at-risk`, { query: { kind: q.kind, band: q.band, limit: q.limit, cursor: q.cursor } }),
  customerHealth: (ws: string, id: string) => request<SubjectHealth>('GET', `${base(ws)}/customers/${encodeURIComponent(id)}/health`),
  clv: (ws: string) => request<ClvView>('GET', `${base(ws)}/clv`),
  model: (ws: string) => request<{ model: ModelView | null }>('GET', `${base(ws)}/model`),
  runs: (ws: string) => request<{ runs: RunView[] }>('GET', `${base(ws)}/runs`),
  refresh: (ws: string) => request<{ runId: string; created: boolean }>('POST', `${base(ws)}/refresh`),
  followup: (ws: string, kind: SubjectKind, id: string) => request<{ task: FollowupRef; created: boolean }>('POST', `${base(ws)}/followups`, { body: { kind, id } }),
};

export const BAND_LABEL: Record<Band, string> = { healthy: 'Healthy', watch: 'Watch', 'at-risk': 'At risk' };
export const BAND_COLOR: Record<Band, string> = { healthy: 'teal', watch: 'yellow', 'at-risk': 'red' };
