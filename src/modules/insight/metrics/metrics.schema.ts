/**
 * The insight metrics API as it takes and shows them. Dates are ISO (`2026-11-12` or
 * `2026-11-12T08:00:00Z`) and a date-only `to` includes that whole day, as in the feedback
 * reports; `segment` is theirs too (`plan:pro`, repeatable, ANDed).
 */
import { z } from 'zod';
import { parseIsoInstant, ZInstant, ZSegment } from '../../feedback/index.js';
import { parseMonth } from './periods.js';

const ZIsoTime = z.string().describe('ISO-8601 date-time');
const ZMonth = z.string().regex(/^\d{4}-\d{2}$/).describe('a calendar month, YYYY-MM (UTC)');
const ZId = z.string().trim().min(1).max(200);

export const METRIC_NAMES = ['nps', 'csat', 'ces'] as const;
export const GROUPINGS = ['day', 'week', 'month', 'survey', 'channel', 'team', 'agent'] as const;
export type Grouping = (typeof GROUPINGS)[number];
export const isPeriodGrouping = (g: Grouping): g is 'day' | 'week' | 'month' => g === 'day' || g === 'week' || g === 'month';

/** The longest range the satisfaction and home reads cover. */
export const MAX_RANGE_DAYS = 731;

const rangeFields = {
  from: ZInstant.optional().describe('at or after (ISO date or date-time); default: 30 days before `to`'),
  to: ZInstant.optional().describe('before this instant; a date-only value includes that whole day; default: the end of today (UTC)'),
  segment: ZSegment.optional(),
};

const ordered = (q: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) => {
  if (q.from && q.to && parseIsoInstant(q.from) > parseIsoInstant(q.to)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
};

export const ZHomeQuery = z.strictObject(rangeFields).superRefine(ordered);
export type HomeQuery = z.infer<typeof ZHomeQuery>;

export const ZSatisfactionQuery = z
  .strictObject({
    metric: z.enum(METRIC_NAMES),
    by: z.enum(GROUPINGS).default('week').describe('points per UTC day, week (from Monday) or month, or groups per survey, channel, team or agent'),
    survey: ZId.optional().describe('only this survey'),
    channel: z.string().trim().min(1).max(40).optional().describe('only answers through this channel (link, email, widget, api)'),
    team: z.string().max(200).optional().describe("only answers attributed to this team ('' for unattributed)"),
    agent: z.string().max(200).optional().describe("only answers attributed to this agent ('' for unattributed)"),
    ...rangeFields,
  })
  .superRefine((q, ctx) => {
    ordered(q, ctx);
    const people = q.by === 'team' || q.by === 'agent' || q.team !== undefined || q.agent !== undefined;
    if (people && (q.channel !== undefined || q.by === 'channel')) ctx.addIssue({ code: 'custom', path: ['channel'], message: 'team and agent figures are not split by channel: leave channel out, or group by channel without team or agent' });
    if (q.segment?.length && (!isPeriodGrouping(q.by) || q.channel !== undefined || people)) {
      ctx.addIssue({ code: 'custom', path: ['segment'], message: 'with a segment, figures come from the responses themselves: group by day, week or month, optionally for one survey (no channel, team or agent)' });
    }
  });
export type SatisfactionQuery = z.infer<typeof ZSatisfactionQuery>;

export const ZCustomersQuery = z.strictObject(rangeFields).superRefine(ordered);
export type CustomersQuery = z.infer<typeof ZCustomersQuery>;

export const ZCohortsQuery = z
  .strictObject({
    from: ZMonth.optional().describe('the first cohort (default: 11 months before `to`)'),
    to: ZMonth.optional().describe('the last cohort (default: the last complete month); every cohort is measured up to the last complete month'),
    segment: ZSegment.optional(),
  })
  .superRefine((q, ctx) => {
    for (const k of ['from', 'to'] as const) {
      const v = q[k];
      if (v !== undefined && parseMonth(v) === undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'must be a month, YYYY-MM' });
    }
    if (q.from && q.to && (parseMonth(q.from) ?? 0) > (parseMonth(q.to) ?? 0)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
  });
export type CohortsQuery = z.infer<typeof ZCohortsQuery>;

// ---------------------------------------------------------------- responses

export const ZSatisfactionSummary = z.object({
  metric: z.enum(METRIC_NAMES),
  n: z.number().describe('answers with this score'),
  value: z.number().nullable().describe('NPS −100…100; CSAT % of 4–5; CES % of 5–7'),
  low: z.number().nullable().describe('95 % interval of value: NPS normal with the PRODUCT.md standard error; CSAT and CES Wilson'),
  high: z.number().nullable(),
  mean: z.number().nullable(),
  meanLow: z.number().nullable().describe('95 % interval of the mean (normal, sample SD); null below 2 answers'),
  meanHigh: z.number().nullable(),
  top: z.number().describe('NPS promoters (9–10); CSAT 4–5; CES 5–7'),
  middle: z.number().describe('NPS passives (7–8); CSAT 3; CES 4'),
  bottom: z.number().describe('NPS detractors (0–6); CSAT 1–2; CES 1–3'),
});
export type SatisfactionSummaryView = z.infer<typeof ZSatisfactionSummary>;

export const ZTrendPoint = z.object({
  start: ZIsoTime.describe('first instant of the period (UTC; weeks start on Monday)'),
  n: z.number(),
  value: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  mean: z.number().nullable(),
});

const ZSource = z.enum(['rollup', 'responses']).describe('rollup: the daily rollups; responses: read from the responses (a segment the rollups cannot answer)');

export const ZSatisfactionReport = z.object({
  metric: z.enum(METRIC_NAMES),
  by: z.enum(GROUPINGS),
  from: ZIsoTime,
  to: ZIsoTime,
  source: ZSource,
  overall: ZSatisfactionSummary,
  groups: z.array(
    ZSatisfactionSummary.extend({
      key: z.string().describe("the period's start (ISO), or the survey, channel, team or agent id ('' = unattributed)"),
      label: z.string(),
      teamId: z.string().optional().describe('by agent: the team the answers were attributed to with the agent'),
    }),
  ),
});
export type SatisfactionReport = z.infer<typeof ZSatisfactionReport>;

const ZMonthSpan = z.object({ first: ZMonth, last: ZMonth, count: z.number() });

export const ZCustomerFigures = z.object({
  activeStart: z.number().describe('customers active at the end of the month before the first month (a subscription running, or an order in the 12 months up to then)'),
  activeEnd: z.number().describe('customers active at the end of the last month'),
  newCustomers: z.number().describe('first purchases or subscriptions in the months'),
  lost: z.number().describe('active at the start and not at the end'),
  logoChurnPct: z.number().nullable().describe('100 · lost ÷ activeStart'),
});

export const ZRevenueFigures = z.object({
  currency: z.string(),
  mrrStart: z.number().describe('MRR at the start, in currency units'),
  mrrEnd: z.number(),
  grrPct: z.number().nullable().describe('gross revenue retention: MRR kept from the customers with MRR at the start, each capped at their start MRR, ÷ MRR at the start'),
  nrrPct: z.number().nullable().describe('net revenue retention: their MRR at the end (with expansion) ÷ MRR at the start'),
});

export const ZCustomerTrendPoint = z.object({
  month: ZMonth,
  active: z.number().describe('at the end of the month'),
  newCustomers: z.number(),
  lost: z.number().describe('active at the end of the month before and not at the end of this one'),
  logoChurnPct: z.number().nullable(),
  revenue: z.array(ZRevenueFigures.pick({ currency: true, mrrEnd: true, grrPct: true, nrrPct: true })),
});

export const ZCustomersReport = z.object({
  from: ZIsoTime,
  to: ZIsoTime,
  months: ZMonthSpan.describe('the complete months whose end falls in the range (the last complete one when none does)'),
  source: z.enum(['rollup', 'records']),
  figures: ZCustomerFigures,
  revenue: z.array(ZRevenueFigures),
  trend: z.array(ZCustomerTrendPoint).describe('one point per month of the span (at least the last 12)'),
});
export type CustomersReport = z.infer<typeof ZCustomersReport>;

export const ZCohortMatrix = z.object({
  upTo: ZMonth.describe('the last month measured'),
  source: z.enum(['rollup', 'records']),
  rows: z.array(
    z.object({
      cohort: ZMonth,
      size: z.number().describe('customers whose first purchase or subscription fell in the month'),
      cells: z.array(z.object({ age: z.number().describe('months after the cohort month'), active: z.number().describe('cohort members who bought in that month or were subscribed at its end'), sharePct: z.number().nullable() })),
    }),
  ),
});
export type CohortMatrix = z.infer<typeof ZCohortMatrix>;

const ZSla = z.object({
  tasks: z.number(),
  met: z.number(),
  missed: z.number(),
  n: z.number().describe('first-contact clocks that stopped or reached their deadline'),
  pending: z.number(),
  metPct: z.number().nullable().describe('SLA met %: first-contact clocks stopped before their deadline'),
  contacted: z.number(),
  medianFirstContactMs: z.number().nullable().describe('elapsed time from the trigger to the first contact'),
  p90FirstContactMs: z.number().nullable(),
});

const ZSlaWeek = z.object({
  start: z.string().describe('Monday 00:00 UTC of the week (the first week from its own Monday)'),
  tasks: z.number().describe('follow-up tasks started that week'),
  n: z.number().describe('their first-contact clocks that stopped or reached their deadline'),
  met: z.number(),
  metPct: z.number().nullable(),
  medianFirstContactMs: z.number().nullable(),
});

const ZSatisfactionBlock = z.object({ current: ZSatisfactionSummary, previous: ZSatisfactionSummary, trend: z.array(ZTrendPoint).describe('weekly, over the current period') });

export const ZHome = z.object({
  from: ZIsoTime,
  to: ZIsoTime,
  previousFrom: ZIsoTime,
  previousTo: ZIsoTime,
  asOf: ZIsoTime,
  segment: z.array(z.object({ key: z.string(), value: z.string() })),
  sources: z.object({ satisfaction: ZSource, customers: z.enum(['rollup', 'records']) }),
  satisfaction: z.object({ nps: ZSatisfactionBlock, csat: ZSatisfactionBlock, ces: ZSatisfactionBlock }),
  customers: z.object({
    months: ZMonthSpan,
    previousMonths: ZMonthSpan,
    current: ZCustomerFigures,
    previous: ZCustomerFigures,
    trend: z.array(ZCustomerTrendPoint).describe('monthly, the 12 months ending with the last month of the period (more if the period is longer)'),
  }),
  revenue: z.object({
    currency: z.string().nullable().describe('the currency with the most MRR at the end of the period; MRR in different currencies is never added'),
    current: ZRevenueFigures.nullable(),
    previous: ZRevenueFigures.nullable(),
    byCurrency: z.array(z.object({ currency: z.string(), current: ZRevenueFigures, previous: ZRevenueFigures })),
  }),
  cohorts: ZCohortMatrix,
  sla: z
    .object({ current: ZSla, previous: ZSla, trend: z.array(ZSlaWeek).describe('weekly, over the current period') })
    .describe('follow-up tasks started in the period: the figures of its SLA reports, from the SLA rollup (times within 1 %)'),
  clv: z.null().describe('reserved: the CLV distribution (health and CLV work)'),
  atRisk: z.null().describe('reserved: the customers at risk (health and CLV work)'),
});
export type Home = z.infer<typeof ZHome>;
