/**
 * What a follow-up task contributes to the daily SLA rollup, and the change when the task
 * changes: its ledger row as last counted taken away, its row as it is now added. The same
 * state counted twice changes nothing, which makes re-reading a fact harmless. Pure: no I/O.
 *
 * The first-contact state is follow-up's own `judge` (report.maths.ts) with no instant: met,
 * missed, no target, or open (neither yet). Whether an open clock has passed its deadline depends
 * on when one asks, so it is not counted here: the ledger keeps the deadline of each open clock
 * that runs, and a read counts those past its now as missed (sla.store.ts `overdueByDay`), as
 * the reports do.
 */
import { judgeSlaTarget } from '../../followup/index.js';
import { addInto, bucketOf, type ContactHistogram } from './sla.histogram.js';
import { dayOf } from './periods.js';

export type FirstState = 'met' | 'missed' | 'open' | 'no_target';

/** A task as counted. */
export interface SlaLedgerRow {
  taskId: string;
  day: number;
  policyId: string;
  teamId: string;
  first: FirstState;
  paused: boolean;
  openDueAt: number | null;
  contactMs: number | null;
}

/** The columns of a follow-up task the rollup reads. */
export interface SlaTaskRow {
  id: string;
  started_at: number | string;
  policy_id: string | null;
  team_id: string | null;
  first_contact_due_at: number | string | null;
  contacted_at: number | string | null;
  first_breached_at: number | string | null;
  paused_at: number | string | null;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function ledgerRowOf(t: SlaTaskRow): SlaLedgerRow {
  const startedAt = Number(t.started_at);
  const due = num(t.first_contact_due_at);
  const contactedAt = num(t.contacted_at);
  const paused = t.paused_at !== null;
  const outcome = judgeSlaTarget(due, contactedAt, num(t.first_breached_at), paused, Number.NEGATIVE_INFINITY);
  const first: FirstState = outcome === 'pending' ? 'open' : outcome;
  return {
    taskId: t.id,
    day: dayOf(startedAt),
    policyId: t.policy_id ?? '',
    teamId: t.team_id ?? '',
    first,
    paused,
    openDueAt: first === 'open' && !paused ? due : null,
    contactMs: contactedAt === null ? null : contactedAt - startedAt,
  };
}

export const sameSlaRow = (a: SlaLedgerRow | null, b: SlaLedgerRow | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.day === b.day &&
    a.policyId === b.policyId &&
    a.teamId === b.teamId &&
    a.first === b.first &&
    a.paused === b.paused &&
    a.openDueAt === b.openDueAt &&
    a.contactMs === b.contactMs);

/** The change of one day's counts and histogram. */
export interface SlaDayCell {
  day: number;
  tasks: number;
  met: number;
  missed: number;
  open: number;
  noTarget: number;
  contacted: number;
  hist: ContactHistogram;
}

const COUNTER: Record<FirstState, 'met' | 'missed' | 'open' | 'noTarget'> = { met: 'met', missed: 'missed', open: 'open', no_target: 'noTarget' };

export class SlaDelta {
  private readonly days = new Map<number, SlaDayCell>();

  private add(row: SlaLedgerRow, sign: 1 | -1): void {
    let c = this.days.get(row.day);
    if (!c) this.days.set(row.day, (c = { day: row.day, tasks: 0, met: 0, missed: 0, open: 0, noTarget: 0, contacted: 0, hist: new Map() }));
    c.tasks += sign;
    c[COUNTER[row.first]] += sign;
    if (row.contactMs !== null) {
      c.contacted += sign;
      addInto(c.hist, new Map([[bucketOf(row.contactMs), 1]]), sign);
    }
  }

  change(before: SlaLedgerRow | null, after: SlaLedgerRow | null): void {
    if (sameSlaRow(before, after)) return;
    if (before) this.add(before, -1);
    if (after) this.add(after, 1);
  }

  /** Days whose counts or histogram changed. */
  cells(): SlaDayCell[] {
    return [...this.days.values()].filter((c) => c.tasks !== 0 || c.met !== 0 || c.missed !== 0 || c.open !== 0 || c.noTarget !== 0 || c.contacted !== 0 || c.hist.size > 0);
  }
}
