/**
 * The home dashboard in one response: satisfaction first (NPS, CSAT, CES for the period and
 * the one before, with n, intervals and a weekly trend), then customers (active, logo churn),
 * revenue retention (GRR, NRR) with a monthly trend, the last 12 retention cohorts, and SLA
 * performance of follow-up with a weekly trend. Everything reads the rollups (a few hundred
 * rows); the SLA rollup gives follow-up's own report figures (sla.service.ts). `clv` and
 * `atRisk` are reserved for the health and CLV work.
 */
import { cohortMatrix, customerView, loadCube, revenueView, spanView, trendPoints, trendSpan } from './customers.service.js';
import type { Home, HomeQuery } from './metrics.schema.js';
import { completeMonths, previousSpan, spanLength } from './periods.js';
import { dailyHistograms, dayRange, evaluateSegment, periodSummaries, SATISFACTION_METRICS, sumDays, summaryView, type MetricsDeps } from './satisfaction.service.js';
import { SlaDays, slaSpan } from './sla.service.js';

/** The home page offers up to 12 months (and follow-up's reports, which it matches, at most 400 days). */
export const HOME_MAX_DAYS = 400;
const COHORTS = 12;

const iso = (ms: number): string => new Date(ms).toISOString();

export async function home(deps: MetricsDeps, workspaceId: string, q: HomeQuery): Promise<Home> {
  const now = deps.clock.now();
  const range = dayRange(q, now, HOME_MAX_DAYS);
  const length = range.to - range.from;
  const previous = { from: range.from - length, to: range.from };
  const segment = q.segment ?? [];
  // Evaluated once for both reads below (answers, billing items).
  const members = await evaluateSegment(deps, workspaceId, segment);

  // Satisfaction: per day over both periods (and the week the trend's first point starts in).
  const trendFrom = Math.min(previous.from, range.from - 7 * 86_400_000);
  const { source: satisfactionSource, days } = await dailyHistograms(deps, workspaceId, { from: trendFrom, to: range.to, metrics: SATISFACTION_METRICS, segment: members });
  const block = (metric: (typeof SATISFACTION_METRICS)[number]) => {
    const perDay = days.get(metric) ?? new Map();
    return {
      current: summaryView(metric, sumDays(perDay, range.from, range.to)),
      previous: summaryView(metric, sumDays(perDay, previous.from, previous.to)),
      trend: periodSummaries(metric, perDay, 'week', range.from, range.to).map((p) => ({ start: iso(p.start), n: p.summary.n, value: p.summary.value, low: p.summary.low, high: p.summary.high, mean: p.summary.mean })),
    };
  };

  // Customers and revenue: whole months.
  const span = completeMonths(range.from, range.to, now);
  const before = previousSpan(span);
  const trend = trendSpan(span);
  const cohortsFrom = span.last - COHORTS + 1;
  const [{ cube, source: customerSource }, sla] = await Promise.all([
    loadCube(deps, workspaceId, members, { pairsFrom: Math.min(before.first, trend.first) - 1, pairsTo: span.last - 1, lags: [1, spanLength(span)], cohortsFrom, cohortsTo: span.last }),
    SlaDays.read(deps.store.db, workspaceId, slaSpan(range, previous), now),
  ]);
  const current = cube.period(span);
  const prior = cube.period(before);
  const byCurrency = current.revenue
    .map((r) => {
      const p = prior.revenue.find((x) => x.currency === r.currency);
      return { currency: r.currency, current: revenueView(r), previous: revenueView(p ?? { ...r, mrrStart: 0, mrrEnd: 0, kept: 0, net: 0, grrPct: null, nrrPct: null }) };
    })
    .sort((a, b) => b.current.mrrEnd - a.current.mrrEnd || a.currency.localeCompare(b.currency));
  const main = byCurrency[0] ?? null;

  return {
    from: iso(range.from),
    to: iso(range.to),
    previousFrom: iso(previous.from),
    previousTo: iso(previous.to),
    asOf: iso(now),
    segment: [...segment],
    sources: { satisfaction: satisfactionSource, customers: customerSource },
    satisfaction: { nps: block('nps'), csat: block('csat'), ces: block('ces') },
    customers: {
      months: spanView(span),
      previousMonths: spanView(before),
      current: customerView(current),
      previous: customerView(prior),
      trend: trendPoints(cube, trend),
    },
    revenue: { currency: main?.currency ?? null, current: main?.current ?? null, previous: main?.previous ?? null, byCurrency },
    cohorts: cohortMatrix(cube, cohortsFrom, span.last, span.last, customerSource),
    sla: { current: sla.figures(range.from, range.to), previous: sla.figures(previous.from, previous.to), trend: sla.weeks(range.from, range.to) },
    clv: null,
    atRisk: null,
  };
}
