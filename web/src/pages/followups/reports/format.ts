/** Formatting and CSV rows of the follow-up reports: pure functions of the API's answers. */
import type { CsvCell } from '../../home/csv';
import type { Period, SlaGroup, SpeedReport, TrendPoint } from '../../../api/followup-reports';

const nf0 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export const formatCount = (n: number): string => new Intl.NumberFormat().format(n);
export const formatPct = (v: number | null): string => (v === null ? '—' : `${nf1.format(v)} %`);
export const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);

/** A duration as people read it: 45 s, 12 min, 3.5 h, 2.1 d. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const s = ms / 1000;
  if (s < 60) return `${nf0.format(s)} s`;
  const min = s / 60;
  if (min < 60) return `${nf1.format(min)} min`;
  const h = min / 60;
  if (h < 48) return `${nf1.format(h)} h`;
  return `${nf1.format(h / 24)} d`;
}

export const minutes = (ms: number | null): number | null => (ms === null ? null : Math.round((ms / 60_000) * 10) / 10);

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const monthLabel = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

export function periodLabel(period: Period, iso: string): string {
  const d = new Date(iso);
  if (period === 'month') return monthLabel.format(d);
  return period === 'week' ? `Week of ${dayLabel.format(d)}` : dayLabel.format(d);
}

export const SLA_HEADER = ['Group', 'Tasks', 'First contact met', 'First contact n', 'First contact SLA met %', 'Pending (not yet due)', 'Resolution met', 'Resolution n', 'Resolution SLA met %'];
export const slaRows = (groups: SlaGroup[]): CsvCell[][] =>
  groups.map((g) => [g.label, g.tasks, g.firstContact.met, g.firstContact.n, round1(g.firstContact.metPct), g.firstContact.pending, g.resolution.met, g.resolution.n, round1(g.resolution.metPct)]);

export const DISTRIBUTION_HEADER = ['Time to first contact', 'Tasks', 'Share %'];
export const distributionRows = (r: SpeedReport): CsvCell[][] => r.distribution.map((b) => [b.label, b.count, b.share === null ? null : round1(100 * b.share)]);

export const TREND_HEADER = ['Period start', 'Tasks', 'SLA met', 'n', 'SLA met %', 'Contacted', 'Median first contact (min)'];
export const trendRows = (points: TrendPoint[]): CsvCell[][] => points.map((p) => [p.start.slice(0, 10), p.tasks, p.met, p.n, round1(p.metPct), p.contacted, minutes(p.medianFirstContactMs)]);

/** `sla-by-team-2026-11-16.csv`. */
export const csvName = (what: string, now = Date.now()): string => `followup-${what}-${new Date(now).toISOString().slice(0, 10)}.csv`;
