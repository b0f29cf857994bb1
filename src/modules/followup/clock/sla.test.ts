import { describe, expect, it } from 'vitest';
import { TWENTY_FOUR_SEVEN, type Calendar } from './calendar.js';
import { dueAt, pausedWorkingTime, planOf, stepDueAt, trackRunning, workingElapsed } from './sla.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Paris office hours, Monday to Friday 9–17, closed on 11 November. */
const paris: Calendar = {
  timeZone: 'Europe/Paris',
  hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] },
  holidays: ['2026-11-11'],
};
const policy = {
  id: 'sla_1',
  firstContactMs: HOUR,
  resolutionMs: 8 * HOUR,
  pauseWhenWaiting: true,
  escalation: [
    { atPercent: 50, of: 'first_contact' as const, notify: 'owner' as const },
    { atPercent: 100, of: 'first_contact' as const, notify: 'manager' as const },
    { atPercent: 150, of: 'first_contact' as const, notify: { targetId: 'ntg_1' } },
    { atPercent: 50, of: 'resolution' as const, notify: 'manager' as const },
  ],
};

describe('the SLA plan', () => {
  it('orders the steps by when they fall due, with a breach at 100 % of each target', () => {
    const plan = planOf(policy, TWENTY_FOUR_SEVEN);
    expect(plan.steps.map((s) => `${s.of}@${s.atPercent}${s.breach ? '!' : ''}:${s.notify.length}`)).toEqual([
      'first_contact@50:1',
      'first_contact@100!:1',
      'first_contact@150:1',
      'resolution@50:1',
      'resolution@100!:0',
    ]);
    const start = Date.UTC(2026, 10, 16, 9);
    expect([1, 2, 3, 4, 5].map((n) => (stepDueAt(plan, n, { startedAt: start, pausedMs: 0 }) - start) / MINUTE)).toEqual([30, 60, 90, 240, 480]);
  });

  it('counts business hours: an answer at 16:30 on a Tuesday before a holiday is due Thursday 09:30', () => {
    const plan = planOf(policy, paris);
    const tuesday1630 = Date.UTC(2026, 10, 10, 15, 30); // 16:30 in Paris (UTC+1)
    const due = dueAt(plan, 'first_contact', { startedAt: tuesday1630, pausedMs: 0 });
    expect(new Date(due as number).toISOString()).toBe('2026-11-12T08:30:00.000Z');
    // Half the target is reached at closing time.
    expect(new Date(stepDueAt(plan, 1, { startedAt: tuesday1630, pausedMs: 0 })).toISOString()).toBe('2026-11-10T16:00:00.000Z');
    expect(workingElapsed(plan, { startedAt: tuesday1630, pausedMs: 0 }, Date.UTC(2026, 10, 12, 8, 10))).toBe(40 * MINUTE);
  });

  it('moves the deadline by the working time spent waiting, not the wall-clock time', () => {
    const plan = planOf(policy, paris);
    const monday10 = Date.UTC(2026, 10, 16, 9);
    // Waiting from Monday 16:45 to Tuesday 09:15 Paris time: 30 working minutes.
    const paused = pausedWorkingTime(plan, Date.UTC(2026, 10, 16, 15, 45), Date.UTC(2026, 10, 17, 8, 15));
    expect(paused).toBe(30 * MINUTE);
    const before = dueAt(plan, 'first_contact', { startedAt: monday10, pausedMs: 0 }) as number;
    const after = dueAt(plan, 'first_contact', { startedAt: monday10, pausedMs: paused }) as number;
    expect(after - before).toBe(30 * MINUTE);
  });

  it('stops each track on its own event', () => {
    expect(trackRunning('first_contact', { contactedAt: null, resolvedAt: null })).toBe(true);
    expect(trackRunning('first_contact', { contactedAt: 1, resolvedAt: null })).toBe(false);
    expect(trackRunning('resolution', { contactedAt: 1, resolvedAt: null })).toBe(true);
    expect(trackRunning('resolution', { contactedAt: 1, resolvedAt: 2 })).toBe(false);
  });
});
