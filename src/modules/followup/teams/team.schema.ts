/** Teams (members, a manager, a working calendar) and SLA policies, as the API takes and shows them. */
import { z } from 'zod';
import { ZCalendar } from '../clock/calendar.js';
import { ZEscalationStep } from '../clock/sla.js';

const ZId = z.string().min(1).max(64);

export const ZTeamInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** Business hours, holidays and time zone; null or absent: 24/7. */
    calendar: ZCalendar.nullable().default(null),
    managerUserId: ZId.nullable().default(null),
    /** Member user ids, in round-robin order. */
    members: z.array(ZId).max(500).default([]),
  })
  .strict();
export const ZTeamPatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    calendar: ZCalendar.nullable().optional(),
    managerUserId: ZId.nullable().optional(),
    members: z.array(ZId).max(500).optional(),
  })
  .strict();

export const ZTeam = z.object({
  id: z.string(),
  name: z.string(),
  calendar: ZCalendar,
  managerUserId: z.string().nullable(),
  members: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TeamView = z.infer<typeof ZTeam>;

const MINUTE = 60_000;

export const ZPolicyInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** The kind of trigger it applies to ("lead", "detractor" …): rules name it as their slaKind. */
    triggerKind: z.string().min(1).max(64).regex(/^[a-z0-9_.-]+$/, 'lower-case letters, digits, "_", "-" and "."'),
    firstContactMinutes: z.number().positive().max(60 * 24 * 365),
    resolutionMinutes: z.number().positive().max(60 * 24 * 365).nullable().default(null),
    /** Whose calendar counts; null: 24/7. */
    teamId: ZId.nullable().default(null),
    /** Stop the clock while the task waits on the customer. */
    pauseWhenWaiting: z.boolean().default(true),
    escalation: z.array(ZEscalationStep).max(20).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    p.escalation.forEach((e, i) => {
      if (e.of === 'resolution' && p.resolutionMinutes === null) ctx.addIssue({ code: 'custom', path: ['escalation', i, 'of'], message: 'the policy has no resolution target' });
    });
  });
export const ZPolicyPatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    firstContactMinutes: z.number().positive().max(60 * 24 * 365).optional(),
    resolutionMinutes: z.number().positive().max(60 * 24 * 365).nullable().optional(),
    teamId: ZId.nullable().optional(),
    pauseWhenWaiting: z.boolean().optional(),
    escalation: z.array(ZEscalationStep).max(20).optional(),
  })
  .strict();

export const ZPolicy = z.object({
  id: z.string(),
  name: z.string(),
  triggerKind: z.string(),
  firstContactMinutes: z.number(),
  resolutionMinutes: z.number().nullable(),
  teamId: z.string().nullable(),
  pauseWhenWaiting: z.boolean(),
  escalation: z.array(ZEscalationStep),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PolicyView = z.infer<typeof ZPolicy>;

export const minutesToMs = (m: number): number => Math.round(m * MINUTE);
export const msToMinutes = (ms: number): number => ms / MINUTE;
