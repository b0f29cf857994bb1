/**
 * The dashboard's reads of feedback: the response stream, trends with their confidence band,
 * themes and the KPI summary. Query strings are validated here, with clear messages; dates are
 * ISO (`2026-11-12` or `2026-11-12T08:00:00Z`), and a date-only `to` includes that whole day.
 */
import { z } from 'zod';
import { METRICS } from '../surveys/survey.schema.js';

const ZIsoTime = z.string().describe('ISO-8601 date-time');

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO date or date-time as epoch ms; a date-only value as the start of that day (UTC). */
export function parseIsoInstant(value: string): number {
  return Date.parse(ISO_DATE.test(value) ? `${value}T00:00:00Z` : value);
}

export const isDateOnly = (value: string): boolean => ISO_DATE.test(value);

export const ZInstant = z
  .string()
  .max(40)
  .refine((v) => (ISO_DATE.test(v) || ISO_DATE_TIME.test(v)) && Number.isFinite(parseIsoInstant(v)), 'must be an ISO date (2026-11-12) or date-time (2026-11-12T08:00:00Z)');

export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
export const CATEGORIES = ['promoter', 'passive', 'detractor', 'satisfied', 'neutral', 'dissatisfied'] as const;
export const NPS_CATEGORIES = new Set<string>(['promoter', 'passive', 'detractor']);
export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

const ZId = z.string().trim().min(1).max(64);

/** `from` ≤ `to`, when both are given. */
const rangeOrdered = (q: { from?: string | undefined; to?: string | undefined }) => !q.from || !q.to || parseIsoInstant(q.from) <= parseIsoInstant(q.to);
/** A fresh object each time: zod may keep (and change) the params it is given. */
const rangeMessage = () => ({ message: 'from must not be after to', path: ['from'] });

/** At most this many `segment` conditions in one query. */
export const MAX_SEGMENT_CONDITIONS = 5;
const SEGMENT_CONDITION = /^([A-Za-z0-9_.-]{1,64}):([\s\S]{1,200})$/;

/** `plan:pro` → `{key: 'plan', value: 'pro'}`: the value is everything after the first colon. */
const ZSegmentCondition = z
  .string()
  .regex(SEGMENT_CONDITION, 'segment must be trait:value (trait: 1–64 letters, digits, _ . -; value: 1–200 characters), e.g. plan:pro')
  .transform((s) => {
    const at = s.indexOf(':');
    return { key: s.slice(0, at), value: s.slice(at + 1) };
  });

/** Repeatable: `segment=plan:pro&segment=country:FR` (ANDed). */
export const ZSegment = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .pipe(z.array(ZSegmentCondition).max(MAX_SEGMENT_CONDITIONS, `at most ${MAX_SEGMENT_CONDITIONS} segment conditions`))
  .describe("only respondents whose customer has this trait value, as trait:value (e.g. plan:pro); repeat to AND several (at most 5); per trait the customer's newest value counts");

const rangeFields = {
  survey: ZId.optional().describe('only this survey'),
  segment: ZSegment.optional(),
  from: ZInstant.optional().describe('answered at or after (ISO date or date-time)'),
  to: ZInstant.optional().describe('answered before this instant; a date-only value includes that whole day'),
};

const responseFilterFields = {
  ...rangeFields,
  metric: z.enum(METRICS as ['nps', 'csat', 'ces']).optional().describe('only responses with this score; the metric that minScore, maxScore and category apply to'),
  minScore: z.coerce.number().int().min(0).max(10).optional(),
  maxScore: z.coerce.number().int().min(0).max(10).optional(),
  category: z.enum(CATEGORIES).optional().describe('promoter / passive / detractor (NPS), or satisfied / neutral / dissatisfied (CSAT, CES: needs metric)'),
  theme: z.string().trim().min(1).max(100).optional(),
  sentiment: z.enum(SENTIMENTS).optional(),
};

type FilterShape = {
  metric?: string | undefined;
  minScore?: number | undefined;
  maxScore?: number | undefined;
  category?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

function checkFilters(q: FilterShape, ctx: z.RefinementCtx): void {
  if (!rangeOrdered(q)) ctx.addIssue({ code: 'custom', ...rangeMessage() });
  const needsMetric = q.minScore !== undefined || q.maxScore !== undefined || (q.category !== undefined && !NPS_CATEGORIES.has(q.category));
  if (needsMetric && !q.metric) ctx.addIssue({ code: 'custom', path: ['metric'], message: 'minScore, maxScore and the categories satisfied / neutral / dissatisfied need a metric (nps, csat or ces)' });
  if (q.category && NPS_CATEGORIES.has(q.category) && q.metric && q.metric !== 'nps') ctx.addIssue({ code: 'custom', path: ['category'], message: `"${q.category}" is an NPS category; use metric=nps or leave metric out` });
  if (q.category && !NPS_CATEGORIES.has(q.category) && q.metric === 'nps') ctx.addIssue({ code: 'custom', path: ['category'], message: 'NPS categories are promoter, passive and detractor' });
  if (q.minScore !== undefined && q.maxScore !== undefined && q.minScore > q.maxScore) ctx.addIssue({ code: 'custom', path: ['minScore'], message: 'minScore must not be above maxScore' });
}

export const ZResponseFilterQuery = z.strictObject(responseFilterFields).superRefine(checkFilters);
export type ResponseFilterQuery = z.infer<typeof ZResponseFilterQuery>;

export const ZResponseListQuery = z
  .strictObject({
    ...responseFilterFields,
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .superRefine(checkFilters);
export type ResponseListQuery = z.infer<typeof ZResponseListQuery>;

export const ZTrendQuery = z
  .strictObject({
    metric: z.enum(METRICS as ['nps', 'csat', 'ces']),
    period: z.enum(PERIODS).default('week'),
    ...rangeFields,
  })
  .refine(rangeOrdered, rangeMessage());
export type TrendQuery = z.infer<typeof ZTrendQuery>;

export const ZRangeQuery = z.strictObject(rangeFields).refine(rangeOrdered, rangeMessage());
export type RangeQuery = z.infer<typeof ZRangeQuery>;

const ZScores = z.object({ nps: z.number().nullable(), csat: z.number().nullable(), ces: z.number().nullable() });

export const ZResponseItem = z.object({
  id: z.string(),
  surveyId: z.string(),
  surveyName: z.string().nullable(),
  channel: z.string(),
  respondent: z.object({ kind: z.string(), value: z.string() }),
  customerId: z.string().nullable().describe('the customer the identity graph knows this respondent as'),
  scores: ZScores,
  categories: z.object({ nps: z.string().nullable(), csat: z.string().nullable(), ces: z.string().nullable() }),
  comment: z.string().nullable().describe('the open text; cut to 2 000 characters in the list (see commentTruncated)'),
  commentTruncated: z.boolean(),
  commentLength: z.number(),
  sentiment: z.object({ score: z.number(), label: z.enum(SENTIMENTS) }).nullable(),
  themes: z.array(z.string()),
  complete: z.boolean(),
  language: z.string(),
  createdAt: ZIsoTime,
  updatedAt: ZIsoTime,
});
export type ResponseItem = z.infer<typeof ZResponseItem>;

export const ZResponsePage = z.object({ responses: z.array(ZResponseItem), nextCursor: z.string().nullable() });

export const ZSummary = z.object({
  metric: z.enum(METRICS as ['nps', 'csat', 'ces']),
  n: z.number(),
  value: z.number().nullable().describe('NPS −100…100; CSAT % of 4–5; CES % of 5–7'),
  low: z.number().nullable().describe('95 % interval'),
  high: z.number().nullable(),
  mean: z.number().nullable(),
});

export const ZTrendPoint = z.object({
  start: ZIsoTime.describe('the first instant of the period (UTC; weeks start on Monday)'),
  n: z.number(),
  value: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  mean: z.number().nullable(),
});
export const ZTrend = z.object({
  metric: z.enum(METRICS as ['nps', 'csat', 'ces']),
  period: z.enum(PERIODS),
  from: ZIsoTime,
  to: ZIsoTime,
  points: z.array(ZTrendPoint),
  overall: ZSummary,
});
export type Trend = z.infer<typeof ZTrend>;

export const ZThemeItem = z.object({
  theme: z.string(),
  count: z.number(),
  share: z.number().describe('of the responses with a comment in the range, 0–1'),
  meanSentiment: z.number().nullable(),
  previousCount: z.number().describe('in the equal-length range just before'),
  previousShare: z.number(),
  trend: z.enum(['up', 'down', 'flat', 'new']),
  examples: z.array(z.object({ responseId: z.string(), comment: z.string(), createdAt: ZIsoTime })),
});
export const ZThemes = z.object({
  from: ZIsoTime,
  to: ZIsoTime,
  commented: z.number().describe('responses with a comment in the range'),
  previousCommented: z.number(),
  themes: z.array(ZThemeItem),
});
export type Themes = z.infer<typeof ZThemes>;

export const ZSummaryReport = z.object({
  from: ZIsoTime,
  to: ZIsoTime,
  responses: z.number(),
  nps: ZSummary,
  csat: ZSummary,
  ces: ZSummary,
});
export type SummaryReport = z.infer<typeof ZSummaryReport>;
