/**
 * The home dashboard in one read: `GET /insight/home?from&to&segment…`. Types mirror ZHome in
 * src/modules/insight/metrics/metrics.schema.ts. `sla.trend` is newer than some servers: read it
 * through slaTrend(), which treats a missing trend as no weeks.
 */
import { request } from './client';
import type { Metric } from './feedback-reports';

export interface HomeSummary {
  metric: Metric;
  n: number;
  value: number | null;
  low: number | null;
  high: number | null;
  mean: number | null;
  meanLow: number | null;
  meanHigh: number | null;
  top: number;
  middle: number;
  bottom: number;
}

export interface HomeTrendPoint {
  start: string;
  n: number;
  value: number | null;
  low: number | null;
  high: number | null;
  mean: number | null;
}

export interface SatisfactionBlock {
  current: HomeSummary;
  previous: HomeSummary;
  /** Weekly, over the current period. */
  trend: HomeTrendPoint[];
}

export interface MonthSpan {
  first: string;
  last: string;
  count: number;
}

export interface CustomerFigures {
  activeStart: number;
  activeEnd: number;
  newCustomers: number;
  lost: number;
  logoChurnPct: number | null;
}

export interface RevenueFigures {
  currency: string;
  mrrStart: number;
  mrrEnd: number;
  grrPct: number | null;
  nrrPct: number | null;
}

export interface CustomerTrendPoint {
  month: string;
  active: number;
  newCustomers: number;
  lost: number;
  logoChurnPct: number | null;
  revenue: Pick<RevenueFigures, 'currency' | 'mrrEnd' | 'grrPct' | 'nrrPct'>[];
}

export interface CohortRow {
  cohort: string;
  size: number;
  cells: { age: number; active: number; sharePct: number | null }[];
}

export interface SlaFigures {
  tasks: number;
  met: number;
  missed: number;
  n: number;
  pending: number;
  metPct: number | null;
  contacted: number;
  medianFirstContactMs: number | null;
  p90FirstContactMs: number | null;
}

export interface SlaTrendPoint {
  /** Monday (ISO) of the week. */
  start: string;
  tasks: number;
  n: number;
  met: number;
  metPct: number | null;
  medianFirstContactMs: number | null;
}

export interface Home {
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  asOf: string;
  segment: { key: string; value: string }[];
  sources: { satisfaction: 'rollup' | 'responses'; customers: 'rollup' | 'records' };
  satisfaction: Record<Metric, SatisfactionBlock>;
  customers: { months: MonthSpan; previousMonths: MonthSpan; current: CustomerFigures; previous: CustomerFigures; trend: CustomerTrendPoint[] };
  revenue: {
    currency: string | null;
    current: RevenueFigures | null;
    previous: RevenueFigures | null;
    byCurrency: { currency: string; current: RevenueFigures; previous: RevenueFigures }[];
  };
  cohorts: { upTo: string; source: 'rollup' | 'records'; rows: CohortRow[] };
  sla: { current: SlaFigures; previous: SlaFigures; trend?: SlaTrendPoint[] };
}

export interface HomeQuery {
  /** ISO dates (YYYY-MM-DD); `to` includes that whole day. */
  from: string;
  to: string;
  /** Customer traits as `trait:value`, ANDed. */
  segment: string[];
}

/** The weekly SLA trend, or no weeks from a server that does not send one yet. */
export const slaTrend = (home: Home): SlaTrendPoint[] => home.sla.trend ?? [];

const path = (ws: string, segment: string[]) => {
  const params = new URLSearchParams();
  for (const s of segment) params.append('segment', s);
  const qs = params.toString();
  return `/api/workspaces/${encodeURIComponent(ws)}/insight/home${qs ? `?${qs}` : ''}`;
};

export const homeApi = {
  home: (ws: string, q: HomeQuery, signal?: AbortSignal) => request<Home>('GET', path(ws, q.segment), { query: { from: q.from, to: q.to }, signal }),
};

export const homeKeys = {
  home: (ws: string, q: HomeQuery) => ['insight', ws, 'home', q] as const,
};
