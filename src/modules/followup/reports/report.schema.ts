/**
 * The follow-up reports as the API takes and shows them: SLA met %, speed to first contact and
 * the trend. Filters are validated here: dates are ISO (`2026-11-12` or `2026-11-12T08:00:00Z`),
 * a date-only `to` includes that whole day, and a range is at most MAX_RANGE_DAYS long.
 */
import { z } from 'zod';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO date or date-time as epoch ms; a date-only value as the start of that day (UTC). */
export function parseIsoInstant(value: string): number {
  return Date.parse(ISO_DATE.test(value) ? `${value}T00:00:00Z` : value);
}
export const isDateOnly = (value: string): boolean => ISO_DATE.test(value);

const ZInstant = z
  .string()
  .max(40)
  .refine((v) => (ISO_DATE.test(v) || ISO_DATE_TIME.test(v)) && Number.isFinite(parseIsoInstant(v)), 'must be an ISO date (2026-11-12) or date-time (2026-11-12T08:00:00Z)');

/** The longest range one report reads (a day trend over it is at most this many points). */
export const MAX_RANGE_DAYS = 400;
export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

const ZId = z.string().trim().min(1).max(64);

const filterFields = {
  from: ZInstant.optional().describe('tasks started at or after (ISO date or date-time); default: 30 days before `to`'),
  to: ZInstant.optional().describe('tasks started before this instant; a date-only value includes that whole day; default: the end of today (UTC)'),
  policy: ZId.optional().describe('only tasks under this SLA policy'),
  team: ZId.optional().describe('only tasks of this team'),
  owner: ZId.optional().describe('only tasks owned (now) by this user'),
  kind: z
    .string()
    .trim()
    .max(64)
    .regex(/^[a-z0-9_.-]+$/, 'a trigger kind is lower-case letters, digits, "_", "-" and "."')
    .optional()
    .describe('only tasks of this trigger kind (new_lead, detractor, …)'),
};

const rangeOrdered = (q: { from?: string | undefined; to?: string | undefined }) => !q.from || !q.to || parseIsoInstant(q.from) <= parseIsoInstant(q.to);
const rangeMessage = () => ({ message: 'from must not be after to', path: ['from'] });

export const ZReportQuery = z.strictObject(filterFields).refine(rangeOrdered, rangeMessage());
export type ReportQuery = z.infer<typeof ZReportQuery>;

export const ZTrendQuery = z
  .strictObject({ ...filterFields, period: z.enum(PERIODS).default('week').describe('points per UTC day, week (from Monday) or month') })
  .refine(rangeOrdered, rangeMessage());
export type TrendQuery = z.infer<typeof ZTrendQuery>;

const ZIsoTime = z.string().describe('ISO-8601 date-time');

export const ZSlaFigures = z.object({
  met: z.number().describe('clocks stopped at or before their deadline'),
  missed: z.number().describe('clocks breached, or stopped after their deadline, or past their deadline and still running'),
  n: z.number().describe('met + missed: the clocks that stopped or reached their deadline'),
  metPct: z.number().nullable().describe('100 · met / n; null when n = 0'),
  pending: z.number().describe('clocks still running (or paused) and not yet due: excluded from n'),
  noTarget: z.number().describe('tasks without this target (no policy, or no resolution target): excluded from n'),
});
export type SlaFigures = z.infer<typeof ZSlaFigures>;

export const ZSlaGroup = z.object({
  key: z.string().nullable().describe('policy, team or user id; null: none'),
  label: z.string(),
  tasks: z.number(),
  firstContact: ZSlaFigures,
  resolution: ZSlaFigures,
});
export type SlaGroup = z.infer<typeof ZSlaGroup>;

const reportFrame = {
  from: ZIsoTime,
  to: ZIsoTime,
  asOf: ZIsoTime.describe('the instant the figures were computed: open clocks are judged against it'),
};

export const ZSlaReport = z.object({
  ...reportFrame,
  overall: ZSlaGroup,
  byPolicy: z.array(ZSlaGroup),
  byTeam: z.array(ZSlaGroup),
  byAgent: z.array(ZSlaGroup),
});
export type SlaReport = z.infer<typeof ZSlaReport>;

export const ZDurationStats = z.object({
  n: z.number(),
  medianMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
});
export type DurationStats = z.infer<typeof ZDurationStats>;

export const ZSpeedGroup = z.object({
  key: z.string().nullable(),
  label: z.string(),
  tasks: z.number(),
  contacted: z.number(),
  notContacted: z.number(),
  wall: ZDurationStats.describe('elapsed time from the trigger to the first contact'),
  working: ZDurationStats.describe('working time on the SLA calendar, less paused time; tasks with an SLA clock only'),
});
export type SpeedGroup = z.infer<typeof ZSpeedGroup>;

export const SPEED_BUCKETS = ['under_5m', '5m_to_1h', '1h_to_24h', 'over_24h', 'not_contacted'] as const;
export type SpeedBucket = (typeof SPEED_BUCKETS)[number];

export const ZSpeedReport = z.object({
  ...reportFrame,
  overall: ZSpeedGroup,
  byKind: z.array(ZSpeedGroup),
  byTeam: z.array(ZSpeedGroup),
  byAgent: z.array(ZSpeedGroup),
  distribution: z.array(
    z.object({
      bucket: z.enum(SPEED_BUCKETS),
      label: z.string(),
      count: z.number(),
      share: z.number().nullable().describe('of the tasks in the range, 0–1'),
    }),
  ),
});
export type SpeedReport = z.infer<typeof ZSpeedReport>;

export const ZTrendPoint = z.object({
  start: ZIsoTime.describe('first instant of the period (UTC; weeks start on Monday)'),
  tasks: z.number().describe('tasks started in the period'),
  met: z.number(),
  n: z.number().describe('first-contact clocks of these tasks that stopped or reached their deadline'),
  metPct: z.number().nullable(),
  contacted: z.number(),
  medianFirstContactMs: z.number().nullable().describe('median elapsed time to first contact of the contacted tasks'),
});
export const ZTrendReport = z.object({
  ...reportFrame,
  period: z.enum(PERIODS),
  points: z.array(ZTrendPoint),
});
export type TrendReport = z.infer<typeof ZTrendReport>;
