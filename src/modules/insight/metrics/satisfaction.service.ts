/**
 * NPS, CSAT and CES by period, survey, channel, team and agent, from the daily rollups; with a
 * segment (customer traits), which the rollups do not know, from the responses themselves
 * through the feedback reports' own segment-filtered read. Ranges are read in whole UTC days:
 * `from` is taken back to the start of its day and `to` forward to the end of its day.
 */
import { AppError } from '../../../platform/errors.js';
import type { Clock } from '../../../platform/clock.js';
import type { Store } from '../../../store/index.js';
import { segmentMembers, type SegmentMembers, type TraitCondition } from '../../customers/index.js';
import { findSurvey, resolveRange, segmentScoreDays } from '../../feedback/index.js';
import { labeller } from './labels.js';
import { isPeriodGrouping, MAX_RANGE_DAYS, type SatisfactionQuery, type SatisfactionReport, type SatisfactionSummaryView } from './metrics.schema.js';
import { bucketStart, bucketStarts, DAY_MS, dayOf, type Granularity } from './periods.js';
import { addInto, emptyHistogram, SATISFACTION_METRICS, summarise, type Histogram, type SatisfactionMetric } from './satisfaction.maths.js';
import { histograms } from './satisfaction.store.js';

export interface MetricsDeps {
  store: Store;
  clock: Clock;
}

export type Source = 'rollup' | 'responses';

const iso = (ms: number): string => new Date(ms).toISOString();
export const invalid = (message: string, path: string): AppError => new AppError('VALIDATION_FAILED', message, { issues: [{ path: [path], message }] });

/** [from, to) in whole UTC days, at most `maxDays` long. */
export function dayRange(q: { from?: string | undefined; to?: string | undefined }, now: number, maxDays = MAX_RANGE_DAYS): { from: number; to: number } {
  const r = resolveRange(q, now);
  const from = dayOf(r.from) * DAY_MS;
  const to = Math.ceil(r.to / DAY_MS) * DAY_MS;
  if (to - from > maxDays * DAY_MS) throw invalid(`a range covers at most ${maxDays} days: narrow from/to`, 'from');
  return { from, to };
}

export async function requireSurvey(deps: MetricsDeps, workspaceId: string, surveyId: string | undefined): Promise<void> {
  if (surveyId !== undefined && !(await findSurvey(deps.store.db, workspaceId, surveyId))) throw new AppError('SURVEY_NOT_FOUND', `no survey ${surveyId} in this workspace`);
}

/** A segment's conditions evaluated once for a report (undefined: no segment). */
export async function evaluateSegment(deps: MetricsDeps, workspaceId: string, segment: readonly TraitCondition[] | undefined): Promise<SegmentMembers | undefined> {
  return segment && segment.length > 0 ? segmentMembers(deps.store.db, workspaceId, segment) : undefined;
}

export const summaryView = (metric: SatisfactionMetric, counts: Histogram): SatisfactionSummaryView => summarise(metric, counts);

/** Per metric, the histogram of each UTC day in [from, to) that has answers. */
export async function dailyHistograms(
  deps: MetricsDeps,
  workspaceId: string,
  r: { from: number; to: number; metrics: readonly SatisfactionMetric[]; surveyId?: string | undefined; segment?: SegmentMembers | undefined },
): Promise<{ source: Source; days: Map<SatisfactionMetric, Map<number, Histogram>> }> {
  const days = new Map<SatisfactionMetric, Map<number, Histogram>>(r.metrics.map((m) => [m, new Map()]));
  if (r.segment) {
    // Every metric from one read of the segment's answers; the rollup says how many the range holds (at least).
    const totals = await histograms(deps.store.db, { workspaceId, metrics: SATISFACTION_METRICS, fromDay: dayOf(r.from), toDay: dayOf(r.to), surveyId: r.surveyId }, 'survey');
    const perMetric = new Map<string, number>();
    for (const t of totals) perMetric.set(t.metric, (perMetric.get(t.metric) ?? 0) + t.counts.reduce((a, b) => a + b, 0));
    const answersInRange = Math.max(0, ...perMetric.values());
    const rows = await segmentScoreDays(deps.store.db, deps.store.dialect.name, { workspaceId, surveyId: r.surveyId, from: r.from, to: r.to, answersInRange }, r.segment);
    for (const row of rows) {
      for (const metric of r.metrics) {
        const score = row[metric];
        if (score === null) continue;
        const perDay = days.get(metric) as Map<number, Histogram>;
        let h = perDay.get(row.day);
        if (!h) perDay.set(row.day, (h = emptyHistogram()));
        h[score] = (h[score] ?? 0) + row.n;
      }
    }
    return { source: 'responses', days };
  }
  const rows = await histograms(deps.store.db, { workspaceId, metrics: r.metrics, fromDay: dayOf(r.from), toDay: dayOf(r.to), surveyId: r.surveyId }, 'day');
  for (const row of rows) (days.get(row.metric) as Map<number, Histogram>).set(Number(row.key), row.counts);
  return { source: 'rollup', days };
}

/** The histogram of the days in [from, to). */
export function sumDays(perDay: ReadonlyMap<number, Histogram>, from: number, to: number): Histogram {
  const h = emptyHistogram();
  const [a, b] = [dayOf(from), dayOf(to)];
  for (const [day, counts] of perDay) if (day >= a && day < b) addInto(h, counts);
  return h;
}

/** Periods over [from, to), each with its summary (empty periods included). */
export function periodSummaries(metric: SatisfactionMetric, perDay: ReadonlyMap<number, Histogram>, granularity: Granularity, from: number, to: number) {
  const buckets = new Map(bucketStarts(granularity, from, to).map((s) => [s, emptyHistogram()]));
  for (const [day, counts] of perDay) {
    const b = buckets.get(bucketStart(granularity, day));
    if (b && day < dayOf(to)) addInto(b, counts);
  }
  return [...buckets].map(([start, counts]) => ({ start, summary: summaryView(metric, counts) }));
}

export async function satisfactionReport(deps: MetricsDeps, workspaceId: string, q: SatisfactionQuery): Promise<SatisfactionReport> {
  const range = dayRange(q, deps.clock.now());
  await requireSurvey(deps, workspaceId, q.survey);
  const metric = q.metric;
  if (isPeriodGrouping(q.by)) {
    // Whole periods, as the feedback trends: the first one is read from its own beginning.
    const read = { from: bucketStart(q.by, dayOf(range.from)), to: range.to };
    // By period with channel, team or agent filters: the rollup grouped by day under those filters.
    if (q.channel !== undefined || q.team !== undefined || q.agent !== undefined) {
      const rows = await histograms(deps.store.db, { workspaceId, metrics: [metric], fromDay: dayOf(read.from), toDay: dayOf(read.to), surveyId: q.survey, channel: q.channel, teamId: q.team, agentId: q.agent }, 'day');
      return periodReport(q, range, 'rollup', new Map(rows.map((r) => [Number(r.key), r.counts])));
    }
    const { source, days } = await dailyHistograms(deps, workspaceId, { ...read, metrics: [metric], surveyId: q.survey, segment: await evaluateSegment(deps, workspaceId, q.segment) });
    return periodReport(q, range, source, days.get(metric) ?? new Map());
  }
  const by = q.by;
  const rows = await histograms(deps.store.db, { workspaceId, metrics: [metric], fromDay: dayOf(range.from), toDay: dayOf(range.to), surveyId: q.survey, channel: q.channel, teamId: q.team, agentId: q.agent }, by);
  const label = await labeller(deps.store.db, workspaceId, by, rows.map((r) => r.key));
  const overall = emptyHistogram();
  for (const r of rows) addInto(overall, r.counts);
  const groups = rows
    .map((r) => ({ ...summaryView(metric, r.counts), key: r.key, label: label(r.key), ...(r.teamId !== undefined ? { teamId: r.teamId } : {}) }))
    .sort((a, b) => b.n - a.n || a.label.localeCompare(b.label) || a.key.localeCompare(b.key));
  return { metric, by, from: iso(range.from), to: iso(range.to), source: 'rollup', overall: summaryView(metric, overall), groups };
}

function periodReport(q: SatisfactionQuery, range: { from: number; to: number }, source: Source, perDay: ReadonlyMap<number, Histogram>): SatisfactionReport {
  const granularity = q.by as Granularity;
  const points = periodSummaries(q.metric, perDay, granularity, range.from, range.to);
  return {
    metric: q.metric,
    by: q.by,
    from: iso(range.from),
    to: iso(range.to),
    source,
    overall: summaryView(q.metric, sumDays(perDay, range.from, range.to)),
    groups: points.map((p) => ({ ...p.summary, key: iso(p.start), label: iso(p.start).slice(0, granularity === 'month' ? 7 : 10) })),
  };
}

export { SATISFACTION_METRICS };
