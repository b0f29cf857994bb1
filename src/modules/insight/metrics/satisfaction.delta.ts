/**
 * What a response contributes to the daily satisfaction histograms, and the change when it
 * changes: its old contribution (the ledger row as last counted) taken away, its new one
 * added. Counting the same state twice changes nothing, which makes re-reading a fact after a
 * crash harmless. Pure: no I/O.
 */
import { SATISFACTION_METRICS, type SatisfactionMetric } from './satisfaction.maths.js';

/** A response as counted: where its scores go. */
export interface LedgerRow {
  responseId: string;
  day: number;
  surveyId: string;
  channel: string;
  teamId: string;
  agentId: string;
  nps: number | null;
  csat: number | null;
  ces: number | null;
}

export interface DayCell {
  metric: SatisfactionMetric;
  day: number;
  surveyId: string;
  channel: string;
  /** Change in the count of each score 0…10. */
  counts: number[];
}

export interface PeopleCell {
  metric: SatisfactionMetric;
  day: number;
  teamId: string;
  agentId: string;
  surveyId: string;
  counts: number[];
}

export const sameLedgerRow = (a: LedgerRow | null, b: LedgerRow | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.day === b.day &&
    a.surveyId === b.surveyId &&
    a.channel === b.channel &&
    a.teamId === b.teamId &&
    a.agentId === b.agentId &&
    a.nps === b.nps &&
    a.csat === b.csat &&
    a.ces === b.ces);

export class SatisfactionDelta {
  private readonly dayCells = new Map<string, DayCell>();
  private readonly peopleCells = new Map<string, PeopleCell>();

  private add(row: LedgerRow, sign: 1 | -1): void {
    for (const metric of SATISFACTION_METRICS) {
      const score = row[metric];
      if (score === null) continue;
      const dayKey = `${metric}|${row.day}|${row.surveyId}|${row.channel}`;
      let d = this.dayCells.get(dayKey);
      if (!d) this.dayCells.set(dayKey, (d = { metric, day: row.day, surveyId: row.surveyId, channel: row.channel, counts: new Array<number>(11).fill(0) }));
      d.counts[score] = (d.counts[score] ?? 0) + sign;
      const peopleKey = `${metric}|${row.day}|${row.teamId}|${row.agentId}|${row.surveyId}`;
      let p = this.peopleCells.get(peopleKey);
      if (!p) this.peopleCells.set(peopleKey, (p = { metric, day: row.day, teamId: row.teamId, agentId: row.agentId, surveyId: row.surveyId, counts: new Array<number>(11).fill(0) }));
      p.counts[score] = (p.counts[score] ?? 0) + sign;
    }
  }

  change(before: LedgerRow | null, after: LedgerRow | null): void {
    if (sameLedgerRow(before, after)) return;
    if (before) this.add(before, -1);
    if (after) this.add(after, 1);
  }

  /** Cells whose counts changed (cells that net to zero dropped). */
  cells(): { days: DayCell[]; people: PeopleCell[] } {
    const moved = (c: { counts: number[] }) => c.counts.some((v) => v !== 0);
    return { days: [...this.dayCells.values()].filter(moved), people: [...this.peopleCells.values()].filter(moved) };
  }
}
