/** The SLA countdown of a task, as the inbox shows it: pure, so that it is easy to reason about. */
import type { Task } from '../../../api/followups';

export type ClockLevel = 'ok' | 'half' | 'near' | 'breached' | 'paused' | 'met' | 'missed' | 'none';

export interface ClockState {
  level: ClockLevel;
  /** Which deadline the clock counts down to. */
  track: 'first_contact' | 'resolution' | null;
  /** Milliseconds left (negative once breached); null when no clock runs. */
  leftMs: number | null;
  /** Fraction of the target left, 0–1 (0 once breached); null when no clock runs. */
  fractionLeft: number | null;
  dueAt: string | null;
}

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/**
 * The next deadline: first contact until the customer was contacted, then resolution; none once
 * resolved. A paused clock (waiting on the customer) shows "paused". Colour levels: more than
 * half the target left, at most half, at most a fifth, breached.
 */
export function clockOf(task: Task, now: number): ClockState {
  if (task.status === 'resolved') {
    const missed = task.firstBreachedAt !== null || task.resolutionBreachedAt !== null;
    return { level: missed ? 'missed' : task.slaMet === false ? 'missed' : task.firstContactDueAt || task.resolutionDueAt ? 'met' : 'none', track: null, leftMs: null, fractionLeft: null, dueAt: null };
  }
  const track = task.contactedAt === null ? 'first_contact' : 'resolution';
  const dueIso = track === 'first_contact' ? task.firstContactDueAt : task.resolutionDueAt;
  const due = ms(dueIso);
  if (due === null) return { level: 'none', track: null, leftMs: null, fractionLeft: null, dueAt: null };
  if (task.pausedAt !== null) {
    const pausedAt = ms(task.pausedAt) ?? now;
    return { level: 'paused', track, leftMs: due - pausedAt, fractionLeft: null, dueAt: dueIso };
  }
  const start = ms(task.startedAt) ?? now;
  const total = Math.max(1, due - start);
  const leftMs = due - now;
  const alreadyBreached = track === 'first_contact' ? task.firstBreachedAt !== null : task.resolutionBreachedAt !== null;
  if (leftMs <= 0 || alreadyBreached) return { level: 'breached', track, leftMs, fractionLeft: 0, dueAt: dueIso };
  const fractionLeft = Math.min(1, leftMs / total);
  const level: ClockLevel = fractionLeft > 0.5 ? 'ok' : fractionLeft > 0.2 ? 'half' : 'near';
  return { level, track, leftMs, fractionLeft, dueAt: dueIso };
}

/** "1d 2h", "2h 05m", "4m 09s", "12s". */
export function formatDuration(msIn: number): string {
  const s = Math.floor(Math.abs(msIn) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${two(m)}m`;
  if (m > 0) return `${m}m ${two(sec)}s`;
  return `${sec}s`;
}

export const LEVEL: Record<ClockLevel, { color: string; word: string }> = {
  ok: { color: 'green', word: 'On track' },
  half: { color: 'yellow', word: 'Half gone' },
  near: { color: 'orange', word: 'Due soon' },
  breached: { color: 'red', word: 'Breached' },
  paused: { color: 'gray', word: 'Paused' },
  met: { color: 'teal', word: 'Met' },
  missed: { color: 'red', word: 'Missed' },
  none: { color: 'gray', word: 'No SLA' },
};

export const TRACK_LABEL = { first_contact: 'first contact', resolution: 'resolution' } as const;

/** The countdown as words (colour is never the only signal). */
export function clockText(c: ClockState): string {
  switch (c.level) {
    case 'ok':
    case 'half':
    case 'near':
      return `${formatDuration(c.leftMs ?? 0)} left to ${TRACK_LABEL[c.track ?? 'first_contact']}`;
    case 'breached':
      return `${TRACK_LABEL[c.track ?? 'first_contact']} breached ${formatDuration(c.leftMs ?? 0)} ago`;
    case 'paused':
      return `paused (${formatDuration(Math.max(0, c.leftMs ?? 0))} left to ${TRACK_LABEL[c.track ?? 'first_contact']})`;
    case 'met':
      return 'resolved within the SLA';
    case 'missed':
      return 'resolved, SLA missed';
    case 'none':
      return 'no SLA clock';
  }
}
