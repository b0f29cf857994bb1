/**
 * The home dashboard's SLA figures from the SLA rollup: for a span of UTC days, the tasks
 * started then, their first-contact SLA (met, missed, pending, met %) and the median and 90th
 * percentile of the time to first contact; and the same per week. The same figures as
 * follow-up's `slaReport` (first contact, overall) and `firstContactSpeed` for that range:
 * counts exactly, times within the histogram's 1 % (sla.histogram.ts). An open clock whose
 * deadline has passed by `asOf` counts as missed, as the reports judge it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';
import { bucketStart, bucketStarts, dayOf, DAY_MS } from './periods.js';
import { DenseHistogram } from './sla.histogram.js';
import { overdueByDay, slaDays, type SlaDayRow } from './sla.store.js';

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

export interface SlaWeek {
  start: string;
  tasks: number;
  n: number;
  met: number;
  metPct: number | null;
  medianFirstContactMs: number | null;
}

/** The rollup's days of a span, with the overdue open clocks as of an instant moved to missed. */
export class SlaDays {
  private constructor(
    private readonly rows: SlaDayRow[],
    private readonly overdue: Map<number, number>,
  ) {}

  static async read(db: Kysely<Database>, workspaceId: string, range: { from: number; to: number }, asOf: number): Promise<SlaDays> {
    const [fromDay, toDay] = [dayOf(range.from), Math.ceil(range.to / DAY_MS)];
    const [rows, overdue] = await Promise.all([slaDays(db, workspaceId, fromDay, toDay), overdueByDay(db, workspaceId, fromDay, toDay, asOf)]);
    return new SlaDays(rows, overdue);
  }

  /** Figures of the tasks started in [from, to) (whole UTC days). */
  figures(from: number, to: number): SlaFigures {
    const [fromDay, toDay] = [dayOf(from), Math.ceil(to / DAY_MS)];
    let tasks = 0;
    let met = 0;
    let missed = 0;
    let pending = 0;
    let contacted = 0;
    const hist = new DenseHistogram();
    for (const r of this.rows) {
      if (r.day < fromDay || r.day >= toDay) continue;
      const late = this.overdue.get(r.day) ?? 0;
      tasks += r.tasks;
      met += r.met;
      missed += r.missed + late;
      pending += r.open - late;
      contacted += r.contacted;
      hist.addEncoded(r.hist);
    }
    const q = hist.quantiles();
    const n = met + missed;
    return { tasks, met, missed, n, pending, metPct: n === 0 ? null : (100 * met) / n, contacted, medianFirstContactMs: q.medianMs, p90FirstContactMs: q.p90Ms };
  }

  /** One point per week (from Monday) overlapping [from, to), the first from its own Monday. */
  weeks(from: number, to: number): SlaWeek[] {
    return bucketStarts('week', from, to).map((start) => {
      const f = this.figures(start, start + 7 * DAY_MS);
      return { start: new Date(start).toISOString(), tasks: f.tasks, n: f.n, met: f.met, metPct: f.metPct, medianFirstContactMs: f.medianFirstContactMs };
    });
  }
}

/** The span the home page reads: the period before, the current one, and the whole of its first week. */
export const slaSpan = (current: { from: number; to: number }, previous: { from: number; to: number }): { from: number; to: number } => ({
  from: Math.min(previous.from, bucketStart('week', dayOf(current.from))),
  to: current.to,
});
