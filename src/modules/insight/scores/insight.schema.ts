/** The insight API's shapes (zod): the one source of its types and of its OpenAPI document. */
import { z } from 'zod';

export const ZSubjectKind = z.enum(['customer', 'account']);
export const ZBand = z.enum(['healthy', 'watch', 'at-risk']);

export const ZContribution = z.object({
  signal: z.string(),
  label: z.string(),
  value: z.number().nullable().describe('the raw value of the signal (null: unknown)'),
  logOdds: z.number().describe('log-odds of churn added relative to the baseline customer'),
  points: z.number().describe('points of health added (negative lowers health)'),
  reason: z.string(),
});

export const ZChange = z.object({
  signal: z.string(),
  label: z.string(),
  from: z.number().nullable(),
  to: z.number().nullable(),
  points: z.number(),
  reason: z.string(),
});

export const ZHealthChange = z.object({
  change: z.number().describe('health now − health in last week’s snapshot'),
  from: z.number(),
  to: z.number(),
  bandFrom: ZBand,
  bandTo: ZBand,
  summary: z.string(),
  top: z.array(ZChange).describe('the (up to) three largest changes'),
  changes: z.array(ZChange).describe('every change, largest first; their points add up to `change`'),
});

export const ZFollowupRef = z.object({ taskId: z.string(), title: z.string(), status: z.string(), ownerUserId: z.string().nullable() });

export const ZAtRiskItem = z.object({
  kind: ZSubjectKind,
  id: z.string().describe('customer id (prf_…) or account id (source:externalId)'),
  name: z.string().nullable(),
  health: z.number().describe('0–100: 100 × (1 − P(churn within the horizon))'),
  risk: z.number(),
  band: ZBand,
  active: z.boolean().describe('still a customer: a live subscription or an order in the active window'),
  members: z.number().nullable().describe('accounts: scored customers in it'),
  accountId: z.string().nullable(),
  top: z.array(ZContribution).describe('the largest contributions, with their reasons'),
  change: z.number().nullable().describe('points since last week’s snapshot (null: none)'),
  changeSummary: z.string().nullable(),
  followup: ZFollowupRef.nullable().describe('the open follow-up task made from this list, if any'),
  scoredAt: z.string(),
});

export const ZAtRiskQuery = z.strictObject({
  kind: ZSubjectKind.default('customer'),
  band: z.enum(['at-risk', 'watch', 'healthy', 'all']).default('at-risk'),
  includeInactive: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('also list former customers (no live subscription, no recent order)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});

export const ZAtRiskPage = z.object({ items: z.array(ZAtRiskItem), nextCursor: z.string().nullable(), total: z.number().describe('subjects matching the filter') });

export const ZCustomerValue = z.object({
  currency: z.string().nullable(),
  orders: z.number(),
  frequency: z.number(),
  recency: z.number(),
  T: z.number(),
  monetary: z.number(),
  pAlive: z.number().nullable(),
  expectedTransactions: z.number().nullable().describe('expected purchases over the horizon (52 weeks)'),
  expectedSpend: z.number().nullable(),
  clv: z.number().nullable().describe('discounted CLV over the horizon, in `currency`'),
  horizonWeeks: z.number(),
});

export const ZSubjectHealth = z.object({
  kind: ZSubjectKind,
  id: z.string(),
  name: z.string().nullable(),
  health: z.number(),
  risk: z.number(),
  band: ZBand,
  active: z.boolean(),
  horizonDays: z.number(),
  source: z.enum(['default', 'learnt']),
  signals: z.record(z.string(), z.number().nullable()),
  contributions: z.array(ZContribution),
  top: z.array(ZContribution),
  change: ZHealthChange.nullable(),
  account: z.object({ id: z.string(), name: z.string().nullable(), health: z.number(), band: ZBand }).nullable(),
  value: ZCustomerValue.nullable(),
  followup: ZFollowupRef.nullable(),
  modelId: z.string(),
  scoredAt: z.string(),
});

const ZParams = z.record(z.string(), z.number());
const ZFitPart = z.object({ params: ZParams, standardErrors: ZParams, logLikelihood: z.number(), customers: z.number() });

export const ZClvDistribution = z.object({
  currency: z.string(),
  customers: z.number(),
  total: z.number(),
  mean: z.number(),
  quantiles: z.array(z.object({ p: z.number(), value: z.number() })),
  buckets: z.array(z.object({ from: z.number(), to: z.number().nullable().describe('null: open-ended'), customers: z.number(), total: z.number() })),
});

export const ZClvView = z.object({
  runId: z.string().nullable(),
  fittedAt: z.string().nullable(),
  fit: z
    .object({
      period: z.literal('week'),
      horizonWeeks: z.number(),
      discountPerWeek: z.number(),
      customers: z.number(),
      transactions: ZFitPart.extend({ model: z.literal('bgnbd') }).nullable(),
      transactionsError: z.string().nullable(),
      spend: z.record(z.string(), ZFitPart),
      spendSkipped: z.record(z.string(), z.string()),
    })
    .nullable(),
  distributions: z.array(ZClvDistribution),
});

const ZMetrics = z.object({
  n: z.number(),
  events: z.number(),
  auc: z.number().nullable(),
  logLoss: z.number(),
  brier: z.number(),
  calibration: z.object({ slope: z.number().nullable(), intercept: z.number().nullable(), inTheLarge: z.number().nullable() }),
  table: z.array(z.object({ bin: z.number(), n: z.number(), minPredicted: z.number(), maxPredicted: z.number(), meanPredicted: z.number(), observedRate: z.number() })),
});

export const ZModelView = z.object({
  id: z.string(),
  runId: z.string(),
  createdAt: z.string(),
  source: z.enum(['default', 'learnt']),
  horizonDays: z.number(),
  weights: z.array(z.object({ feature: z.string(), weight: z.number(), standardised: z.number(), standardError: z.number().nullable() })),
  lambda: z.number().nullable(),
  decision: z.object({ use: z.enum(['learnt', 'default']), reasons: z.array(z.string()) }),
  backtest: z
    .object({
      cut: z.string(),
      horizonDays: z.number(),
      train: z.object({ n: z.number(), events: z.number() }),
      test: z.object({ n: z.number(), events: z.number() }),
      excluded: z.number(),
      models: z.record(z.string(), ZMetrics),
    })
    .nullable(),
  snapshots: z.number(),
  events: z.number(),
  sample: z.object({ customers: z.number(), of: z.number() }),
  churnDefinition: z.string(),
});

export const ZRunView = z.object({
  id: z.string(),
  trigger: z.string(),
  requestedBy: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'failed']),
  phase: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  counts: z.record(z.string(), z.number()),
  phaseMs: z.record(z.string(), z.number()),
  metrics: z
    .object({ source: z.string(), auc: z.number().nullable(), logLoss: z.number().nullable(), brier: z.number().nullable(), testEvents: z.number().nullable(), reasons: z.array(z.string()) })
    .nullable(),
});

export const ZFollowupBody = z.strictObject({ kind: ZSubjectKind, id: z.string().min(1).max(200) });
export const ZFollowupResult = z.object({ task: ZFollowupRef, created: z.boolean() });
