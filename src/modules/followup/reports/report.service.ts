/**
 * Use cases of the follow-up reports: SLA met % (first contact and resolution) overall and by
 * policy, team and agent; speed to first contact (median, p90, the speed-to-lead buckets)
 * overall and by kind, team and agent; and the trend per day, week or month. A task belongs to
 * the range in which it started (the trigger); open clocks are judged at the clock's now.
 * Definitions: report.maths.ts.
 */
import { AppError } from '../../../platform/errors.js';
import type { SlaPlan } from '../clock/sla.js';
import type { FollowupDeps } from '../deps.js';
import {
  DAY_MS,
  Durations,
  nextPeriod,
  periodStart,
  SlaCounter,
  SPEED_BUCKET_LABEL,
  speedBucket,
  workingTimeToContact,
  type ReportTask,
} from './report.maths.js';
import {
  isDateOnly,
  MAX_RANGE_DAYS,
  parseIsoInstant,
  SPEED_BUCKETS,
  type Period,
  type ReportQuery,
  type SlaGroup,
  type SlaReport,
  type SpeedGroup,
  type SpeedReport,
  type TrendQuery,
  type TrendReport,
} from './report.schema.js';
import { contactTimes, dailyOutcomeCounts, outcomeCounts, reportLabels, speedTasks, type Labels, type OutcomeCount, type TaskFilters } from './report.store.js';

const DEFAULT_DAYS = 30;
const DEFAULT_TREND_DAYS: Record<Period, number> = { day: 30, week: 26 * 7, month: 365 };

const iso = (ms: number): string => new Date(ms).toISOString();
const invalid = (message: string, path: string): AppError => new AppError('VALIDATION_FAILED', message, { issues: [{ path: [path], message }] });

/** [from, to) of a query: a date-only `to` includes its day; absent, the end of today (UTC). At most MAX_RANGE_DAYS. */
export function resolveRange(q: { from?: string | undefined; to?: string | undefined }, now: number, defaultDays = DEFAULT_DAYS): { from: number; to: number } {
  const to = q.to === undefined ? Math.floor(now / DAY_MS) * DAY_MS + DAY_MS : isDateOnly(q.to) ? parseIsoInstant(q.to) + DAY_MS : parseIsoInstant(q.to);
  const from = q.from === undefined ? to - defaultDays * DAY_MS : parseIsoInstant(q.from);
  if (from >= to) throw invalid('the range is empty: from must be before to', 'from');
  if (to - from > MAX_RANGE_DAYS * DAY_MS) throw invalid(`a report covers at most ${MAX_RANGE_DAYS} days: narrow from/to`, 'from');
  return { from, to };
}

const filtersOf = (workspaceId: string, q: ReportQuery | TrendQuery, range: { from: number; to: number }): TaskFilters => ({
  workspaceId,
  from: range.from,
  to: range.to,
  policyId: q.policy,
  teamId: q.team,
  ownerUserId: q.owner,
  kind: q.kind,
});

type Dimension = 'policy' | 'team' | 'agent' | 'kind';

const keyOf = (t: ReportTask, d: Exclude<Dimension, 'policy'>): string | null => (d === 'team' ? t.teamId : d === 'agent' ? t.ownerUserId : t.kind);

function labelOf(labels: Labels, d: Dimension, key: string | null): string {
  if (d === 'kind') return key ?? '—';
  if (key === null) return d === 'policy' ? 'No SLA policy' : d === 'team' ? 'No team' : 'Unassigned';
  const map = d === 'policy' ? labels.policies : d === 'team' ? labels.teams : labels.users;
  return map.get(key) ?? (d === 'agent' ? `Former member (${key})` : `Deleted (${key})`);
}

const byTasksThenLabel = (a: { tasks: number; label: string }, b: { tasks: number; label: string }) => b.tasks - a.tasks || a.label.localeCompare(b.label);

/** Groups of a dimension, in a stable order: most tasks first, then by label. */
function grouped<A extends { tasks: number; label: string }>(tasks: ReportTask[], d: Exclude<Dimension, 'policy'>, labels: Labels, make: (key: string | null, label: string) => A, add: (acc: A, t: ReportTask) => void): A[] {
  const groups = new Map<string | null, A>();
  for (const t of tasks) {
    const key = keyOf(t, d);
    let acc = groups.get(key);
    if (!acc) groups.set(key, (acc = make(key, labelOf(labels, d, key))));
    add(acc, t);
  }
  return [...groups.values()].sort(byTasksThenLabel);
}

// ---------------------------------------------------------------- SLA met %

class SlaAcc {
  tasks = 0;
  readonly first = new SlaCounter();
  readonly resolution = new SlaCounter();
  constructor(
    readonly key: string | null,
    readonly label: string,
  ) {}
  add(c: OutcomeCount): void {
    this.tasks += c.n;
    this.first.add(c.first, c.n);
    this.resolution.add(c.resolution, c.n);
  }
  view(): SlaGroup {
    return { key: this.key, label: this.label, tasks: this.tasks, firstContact: this.first.figures(), resolution: this.resolution.figures() };
  }
}

const countKey = (c: OutcomeCount, d: 'policy' | 'team' | 'agent'): string | null => (d === 'policy' ? c.policyId : d === 'team' ? c.teamId : c.ownerUserId);

export async function slaReport(deps: FollowupDeps, workspaceId: string, q: ReportQuery): Promise<SlaReport> {
  const asOf = deps.clock.now();
  const range = resolveRange(q, asOf);
  const [counts, labels] = await Promise.all([outcomeCounts(deps.store.db, filtersOf(workspaceId, q, range), asOf), reportLabels(deps.store.db, workspaceId)]);
  const overall = new SlaAcc(null, 'All tasks');
  for (const c of counts) overall.add(c);
  const by = (d: 'policy' | 'team' | 'agent') => {
    const groups = new Map<string | null, SlaAcc>();
    for (const c of counts) {
      const key = countKey(c, d);
      let acc = groups.get(key);
      if (!acc) groups.set(key, (acc = new SlaAcc(key, labelOf(labels, d, key))));
      acc.add(c);
    }
    return [...groups.values()].sort(byTasksThenLabel).map((a) => a.view());
  };
  return { from: iso(range.from), to: iso(range.to), asOf: iso(asOf), overall: overall.view(), byPolicy: by('policy'), byTeam: by('team'), byAgent: by('agent') };
}

// ---------------------------------------------------------------- speed to first contact

class SpeedAcc {
  tasks = 0;
  contacted = 0;
  readonly wall = new Durations();
  readonly working = new Durations();
  constructor(
    readonly key: string | null,
    readonly label: string,
  ) {}
  add(t: ReportTask, workingMs: number | null): void {
    this.tasks++;
    if (t.contactedAt === null) return;
    this.contacted++;
    this.wall.add(t.contactedAt - t.startedAt);
    if (workingMs !== null) this.working.add(workingMs);
  }
  view(): SpeedGroup {
    return { key: this.key, label: this.label, tasks: this.tasks, contacted: this.contacted, notContacted: this.tasks - this.contacted, wall: this.wall.stats(), working: this.working.stats() };
  }
}

export async function speedReport(deps: FollowupDeps, workspaceId: string, q: ReportQuery): Promise<SpeedReport> {
  const asOf = deps.clock.now();
  const range = resolveRange(q, asOf);
  const [tasks, labels] = await Promise.all([speedTasks(deps.store.db, filtersOf(workspaceId, q, range)), reportLabels(deps.store.db, workspaceId)]);
  const plans = new Map<string, SlaPlan | null>();
  const working = tasks.map((t) => workingTimeToContact(t, plans));
  const indexOf = new Map(tasks.map((t, i) => [t, i]));
  const workingOf = (t: ReportTask) => working[indexOf.get(t) as number] ?? null;

  const overall = new SpeedAcc(null, 'All tasks');
  const buckets = new Map(SPEED_BUCKETS.map((b) => [b, 0]));
  for (const [i, t] of tasks.entries()) {
    overall.add(t, working[i] ?? null);
    const b = speedBucket(t.contactedAt === null ? null : t.contactedAt - t.startedAt);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  const by = (d: Exclude<Dimension, 'policy'>) =>
    grouped(
      tasks,
      d,
      labels,
      (key, label) => new SpeedAcc(key, label),
      (acc, t) => acc.add(t, workingOf(t)),
    ).map((a) => a.view());
  return {
    from: iso(range.from),
    to: iso(range.to),
    asOf: iso(asOf),
    overall: overall.view(),
    byKind: by('kind'),
    byTeam: by('team'),
    byAgent: by('agent'),
    distribution: SPEED_BUCKETS.map((bucket) => {
      const count = buckets.get(bucket) ?? 0;
      return { bucket, label: SPEED_BUCKET_LABEL[bucket], count, share: tasks.length === 0 ? null : count / tasks.length };
    }),
  };
}

// ---------------------------------------------------------------- trend

export async function trendReport(deps: FollowupDeps, workspaceId: string, q: TrendQuery): Promise<TrendReport> {
  const asOf = deps.clock.now();
  const range = resolveRange(q, asOf, DEFAULT_TREND_DAYS[q.period]);
  // Whole periods: the first one starts at its own beginning, not mid-week.
  const from = periodStart(q.period, range.from);
  const starts: number[] = [];
  for (let s = from; s < range.to; s = nextPeriod(q.period, s)) starts.push(s);
  const filters = filtersOf(workspaceId, q, { from, to: range.to });
  const [counts, times] = await Promise.all([dailyOutcomeCounts(deps.store.db, filters, asOf), contactTimes(deps.store.db, filters)]);
  const per = new Map(starts.map((s) => [s, { tasks: 0, sla: new SlaCounter(), wall: new Durations() }]));
  for (const c of counts) {
    const p = per.get(periodStart(q.period, c.day * DAY_MS));
    if (!p) continue;
    p.tasks += c.n;
    p.sla.add(c.first, c.n);
  }
  for (const t of times) per.get(periodStart(q.period, t.startedAt))?.wall.add(t.contactedAt - t.startedAt);
  const points = starts.map((start) => {
    const p = per.get(start) as { tasks: number; sla: SlaCounter; wall: Durations };
    const f = p.sla.figures();
    return { start: iso(start), tasks: p.tasks, met: f.met, n: f.n, metPct: f.metPct, contacted: p.wall.n, medianFirstContactMs: p.wall.stats().medianMs };
  });
  return { from: iso(from), to: iso(range.to), asOf: iso(asOf), period: q.period, points };
}
