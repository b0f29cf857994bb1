/**
 * Active customers, logo churn, GRR / NRR and cohorts from the monthly rollups; with a segment
 * (customer traits, which the rollups do not know), from the states the rollups counted for the
 * segment's customers, summed with the same maths in memory.
 */
import type { SegmentMembers } from '../../customers/index.js';
import type { CohortMatrix, CohortsQuery, CustomersQuery, CustomersReport } from './metrics.schema.js';
import { completeMonths, monthLabel, monthOf, parseMonth, spanLength, type MonthSpan } from './periods.js';
import { MAX_LAG, RetentionCube, RetentionDelta, type PeriodFigures, type RevenueFigures } from './retention.maths.js';
import { cohortRows, monthRows, retentionRows, statesInSegment } from './retention.store.js';
import { dayRange, evaluateSegment, invalid, type MetricsDeps } from './satisfaction.service.js';

export type CustomerSource = 'rollup' | 'records';

/** Trends show at least this many months. */
export const TREND_MONTHS = 12;

export interface CubeNeeds {
  /** Pairs starting in these months … */
  pairsFrom: number;
  pairsTo: number;
  /** … with these lags. */
  lags: readonly number[];
  cohortsFrom: number;
  cohortsTo: number;
}

/** The rollups (or a segment's contributions) for what a report will read. */
export async function loadCube(deps: MetricsDeps, workspaceId: string, segment: SegmentMembers | undefined, needs: CubeNeeds): Promise<{ cube: RetentionCube; source: CustomerSource }> {
  const db = deps.store.db;
  if (segment) {
    const delta = new RetentionDelta(needs.lags);
    for (const state of await statesInSegment(db, deps.store.dialect.name, workspaceId, segment)) delta.add(state, 1);
    const rows = delta.rows();
    return { cube: new RetentionCube(rows.months, rows.retention, rows.cohorts), source: 'records' };
  }
  const [months, retention, cohorts] = await Promise.all([
    monthRows(db, workspaceId),
    retentionRows(db, workspaceId, needs.pairsFrom, needs.pairsTo, needs.lags),
    cohortRows(db, workspaceId, needs.cohortsFrom, needs.cohortsTo),
  ]);
  return { cube: new RetentionCube(months, retention, cohorts), source: 'rollup' };
}

const units = (milli: number): number => milli / 1000;

export const revenueView = (r: RevenueFigures) => ({ currency: r.currency, mrrStart: units(r.mrrStart), mrrEnd: units(r.mrrEnd), grrPct: r.grrPct, nrrPct: r.nrrPct });

export const customerView = (p: PeriodFigures) => ({ activeStart: p.activeStart, activeEnd: p.activeEnd, newCustomers: p.newCustomers, lost: p.lost, logoChurnPct: p.logoChurnPct });

export const spanView = (s: MonthSpan) => ({ first: monthLabel(s.first), last: monthLabel(s.last), count: spanLength(s) });

/** The months of a trend: at least TREND_MONTHS, ending with the span's last month. */
export const trendSpan = (s: MonthSpan): MonthSpan => ({ first: Math.min(s.first, s.last - TREND_MONTHS + 1), last: s.last });

export function trendPoints(cube: RetentionCube, span: MonthSpan) {
  const out = [];
  for (let m = span.first; m <= span.last; m++) {
    const p = cube.period({ first: m, last: m });
    out.push({
      month: monthLabel(m),
      active: p.activeEnd,
      newCustomers: p.newCustomers,
      lost: p.lost,
      logoChurnPct: p.logoChurnPct,
      revenue: p.revenue.map((r) => ({ currency: r.currency, mrrEnd: units(r.mrrEnd), grrPct: r.grrPct, nrrPct: r.nrrPct })),
    });
  }
  return out;
}

export function checkSpan(span: MonthSpan): void {
  if (spanLength(span) > MAX_LAG) throw invalid(`customer and revenue figures cover at most ${MAX_LAG} months: narrow from/to`, 'from');
}

export async function customersReport(deps: MetricsDeps, workspaceId: string, q: CustomersQuery): Promise<CustomersReport> {
  const now = deps.clock.now();
  const range = dayRange(q, now, 31 * (MAX_LAG + 1));
  const span = completeMonths(range.from, range.to, now);
  checkSpan(span);
  const trend = trendSpan(span);
  const { cube, source } = await loadCube(deps, workspaceId, await evaluateSegment(deps, workspaceId, q.segment), { pairsFrom: trend.first - 1, pairsTo: span.last - 1, lags: [1, spanLength(span)], cohortsFrom: 0, cohortsTo: -1 });
  const figures = cube.period(span);
  return {
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    months: spanView(span),
    source,
    figures: customerView(figures),
    revenue: figures.revenue.map(revenueView),
    trend: trendPoints(cube, trend),
  };
}

/** Cohorts first…last measured up to `upTo`: each cell is a share of the cohort still active. */
export function cohortMatrix(cube: RetentionCube, first: number, last: number, upTo: number, source: CustomerSource): CohortMatrix {
  return {
    upTo: monthLabel(upTo),
    source,
    rows: cube.cohorts(first, last, upTo).map((c) => ({
      cohort: monthLabel(c.cohort),
      size: c.size,
      cells: c.active.map((active, age) => ({ age, active, sharePct: c.size > 0 ? (100 * active) / c.size : null })),
    })),
  };
}

/** At most this many cohorts in one matrix. */
export const MAX_COHORTS = 36;

export async function cohortsReport(deps: MetricsDeps, workspaceId: string, q: CohortsQuery): Promise<CohortMatrix> {
  const lastComplete = monthOf(deps.clock.now()) - 1;
  const last = q.to === undefined ? lastComplete : (parseMonth(q.to) as number);
  const first = q.from === undefined ? last - TREND_MONTHS + 1 : (parseMonth(q.from) as number);
  if (last - first + 1 > MAX_COHORTS) throw invalid(`at most ${MAX_COHORTS} cohorts at once: narrow from/to`, 'from');
  const { cube, source } = await loadCube(deps, workspaceId, await evaluateSegment(deps, workspaceId, q.segment), { pairsFrom: 0, pairsTo: -1, lags: [], cohortsFrom: first, cohortsTo: last });
  return cohortMatrix(cube, first, last, Math.max(last, lastComplete), source);
}
