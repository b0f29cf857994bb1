/**
 * The SLA clock's maths. Pure: a plan (targets, calendar, escalation steps), a task's clock
 * state in, instants out.
 *
 * A clock counts working time of its calendar from `startedAt`, less the working time it spent
 * paused (waiting on the customer). A step at p % of a target is due when the counted time
 * reaches p % of that target: at addWorkingTime(startedAt, target·p/100 + pausedMs). The
 * 100 % step of a target is its breach. Steps are numbered 1… in the order they fall due,
 * which no pause can change (both targets move by the same paused time).
 */
import { addWorkingTime, workingTimeBetween, ZCalendar, type Calendar } from './calendar.js';
import { z } from 'zod';

export const ZNotify = z.union([z.literal('owner'), z.literal('manager'), z.object({ targetId: z.string().min(1).max(64) }).strict()]);
export type Notify = z.infer<typeof ZNotify>;

export const ZEscalationStep = z
  .object({
    atPercent: z.number().int().min(1).max(1000),
    of: z.enum(['first_contact', 'resolution']).default('first_contact'),
    notify: ZNotify,
  })
  .strict();
export type EscalationStep = z.infer<typeof ZEscalationStep>;

export type Track = 'first_contact' | 'resolution';

export interface PlanStep {
  of: Track;
  atPercent: number;
  /** Who hears of it (several escalation entries at one point notify several). */
  notify: Notify[];
  /** The 100 % step: the target is breached. */
  breach: boolean;
}

export const ZSlaPlan = z.object({
  policyId: z.string(),
  firstContactMs: z.number().int().positive(),
  resolutionMs: z.number().int().positive().nullable(),
  calendar: ZCalendar,
  pauseWhenWaiting: z.boolean(),
  steps: z.array(
    z.object({ of: z.enum(['first_contact', 'resolution']), atPercent: z.number(), notify: z.array(ZNotify), breach: z.boolean() }),
  ),
});
export type SlaPlan = z.infer<typeof ZSlaPlan>;

export interface PolicyLike {
  id: string;
  firstContactMs: number;
  resolutionMs: number | null;
  pauseWhenWaiting: boolean;
  escalation: EscalationStep[];
}

const targetOf = (plan: Pick<SlaPlan, 'firstContactMs' | 'resolutionMs'>, of: Track): number | null => (of === 'first_contact' ? plan.firstContactMs : plan.resolutionMs);

/** The plan a new task's clock follows: every escalation point, and a breach point at 100 % of each target. */
export function planOf(policy: PolicyLike, calendar: Calendar): SlaPlan {
  const points = new Map<string, PlanStep>();
  const point = (of: Track, atPercent: number): PlanStep => {
    const key = `${of}:${atPercent}`;
    let p = points.get(key);
    if (!p) points.set(key, (p = { of, atPercent, notify: [], breach: atPercent === 100 }));
    return p;
  };
  point('first_contact', 100);
  if (policy.resolutionMs !== null) point('resolution', 100);
  for (const e of policy.escalation) {
    if (e.of === 'resolution' && policy.resolutionMs === null) continue;
    point(e.of, e.atPercent).notify.push(e.notify);
  }
  const plan = { policyId: policy.id, firstContactMs: policy.firstContactMs, resolutionMs: policy.resolutionMs, calendar, pauseWhenWaiting: policy.pauseWhenWaiting, steps: [] as PlanStep[] };
  plan.steps = [...points.values()].sort(
    (a, b) => offsetOf(plan, a) - offsetOf(plan, b) || (a.of === b.of ? 0 : a.of === 'first_contact' ? -1 : 1),
  );
  return plan;
}

/** Working ms after the start at which a step falls due (before pauses). */
export function offsetOf(plan: Pick<SlaPlan, 'firstContactMs' | 'resolutionMs'>, step: Pick<PlanStep, 'of' | 'atPercent'>): number {
  return Math.round(((targetOf(plan, step.of) ?? 0) * step.atPercent) / 100);
}

export interface ClockState {
  startedAt: number;
  pausedMs: number;
}

/** When step `n` (1-based) falls due. */
export function stepDueAt(plan: SlaPlan, n: number, clock: ClockState): number {
  const step = plan.steps[n - 1];
  if (!step) throw new RangeError(`no step ${n}`);
  return addWorkingTime(clock.startedAt, offsetOf(plan, step) + clock.pausedMs, plan.calendar);
}

/** When a target is breached: its 100 % instant; null when the plan has no such target. */
export function dueAt(plan: SlaPlan, of: Track, clock: ClockState): number | null {
  const target = targetOf(plan, of);
  return target === null ? null : addWorkingTime(clock.startedAt, target + clock.pausedMs, plan.calendar);
}

/** The working time a pause from `pausedAt` to `now` took off the clock. */
export function pausedWorkingTime(plan: SlaPlan, pausedAt: number, now: number): number {
  return workingTimeBetween(pausedAt, now, plan.calendar);
}

/** Whether a step's clock still runs: first contact until contacted, resolution until resolved. */
export function trackRunning(of: Track, task: { contactedAt: number | null; resolvedAt: number | null }): boolean {
  return of === 'first_contact' ? task.contactedAt === null && task.resolvedAt === null : task.resolvedAt === null;
}

/** Working time from the start to a stop, less pauses: the speed to contact the reports use. */
export function workingElapsed(plan: SlaPlan, clock: ClockState, until: number): number {
  return Math.max(0, workingTimeBetween(clock.startedAt, until, plan.calendar) - clock.pausedMs);
}
