/**
 * Default weights for a workspace that has no churn history yet, and the rule for when its
 * own learnt weights take over. Pure: no I/O.
 *
 * The defaults are a judgement, not a fit: signs follow what customer-success teams and the
 * churn literature agree on, and magnitudes are set so that one clearly bad signal moves a
 * typical customer's risk by roughly 5–20 points of health, and no single signal dominates.
 * All weights are per unit of the transformed feature (signals.ts), relative to the
 * reference customer below, whose risk of churning within 90 days is 8%.
 */
import { FEATURE_NAMES, featureVector, type FeatureName, type Signals } from './signals.js';
import type { HealthModel } from './model.js';

/**
 * The reference ("typical, fine") customer: a passive NPS 8, CSAT 4, steady sentiment and
 * usage, one ticket and no SLA breach in 30 days, P(alive) 0.8, a 60% chance of an order in
 * the next 90 days, a live subscription, no failed payment, a year's tenure, active a week
 * ago; every signal known.
 */
export const REFERENCE_CUSTOMER: Signals = {
  npsLast: 8,
  csatLast: 4,
  sentimentTrend: 0,
  ticketsLast30d: 1,
  slaBreachesLast30d: 0,
  usageTrend: 0,
  pAlive: 0.8,
  pOrderNext90d: 0.6,
  liveSubscription: 1,
  paymentFailuresLast90d: 0,
  tenureDays: 365,
  daysSinceLastActivity: 7,
};

/** P(churn within 90 days) of the reference customer: 8%, a common quarterly logo churn for B2B SaaS and subscriptions (the reference is a subscriber). */
export const DEFAULT_BASELINE_RISK = 0.08;

/**
 * Log-odds per unit of each transformed feature (+ raises risk, − lowers it).
 * Worked examples are against the reference customer.
 */
export const DEFAULT_WEIGHTS: Readonly<Record<FeatureName, number>> = {
  // −0.25 per NPS point: a detractor answering 3 instead of 8 adds +1.25 (risk 8% → 23%),
  // a promoter 10 takes off 0.5.
  npsLast: -0.25,
  // Not answering surveys is a mild warning sign (disengagement), smaller than a detractor.
  npsLastMissing: 0.2,
  // −0.35 per CSAT point (1–5): CSAT 1 instead of 4 adds +1.05.
  csatLast: -0.35,
  csatLastMissing: 0.1,
  // Sentiment trend on −1…1: a fall of 0.5 adds +0.5.
  sentimentTrend: -1,
  sentimentTrendMissing: 0,
  // Tickets, log1p: a little risk (friction) — 10 tickets instead of 1 adds +0.34. Kept small:
  // in some products many tickets mean engagement, which a workspace's own fit will show.
  ticketsLast30d: 0.2,
  // SLA breaches, log1p: one breach adds +0.49, three add +0.97. Broken promises hurt.
  slaBreachesLast30d: 0.7,
  // Usage trend, log ratio: usage halved adds +0.55, down 80% adds +1.29.
  usageTrend: -0.8,
  // No usage data at all for this customer: a mild warning.
  usageTrendMissing: 0.2,
  // P(alive) on the logit scale: 0.2 instead of 0.8 adds +0.69. Half what it was before the
  // chance of an order (below), which comes from the same purchase model: BG/NBD's P(alive)
  // is 1 for anyone who has bought only once (customers drop out only after a repeat
  // purchase), so alone it cannot tell a one-time buyer gone quiet from a loyal one.
  pAlive: -0.25,
  pAliveMissing: 0,
  // The chance of an order in the next 90 days (the purchase model's forecast of the very event
  // the churn label counts), logit scale: 0.2 instead of 0.6 adds +0.9 (8% → 18%), 0.05 adds
  // +1.67. Below 1 (taking the forecast at its word) because for a subscriber the
  // subscription, not orders, keeps them, and the forecast rests on the fitted model. It
  // falls as a one-time buyer's silence lengthens, which P(alive) cannot do.
  pOrderNext90d: -0.5,
  // No orders yet (or no purchase model): nothing to forecast from; the other signals speak.
  pOrderNext90dMissing: 0,
  // A live subscription renews unless the customer acts; once it has ended (cancelled,
  // expired) the customer has to act (order again) to stay, and lapses far more often: an
  // ended subscription instead of a live one adds +1.5 (8% → 28%; the baseline's 8% is a
  // subscriber's quarterly churn).
  liveSubscription: -1.5,
  // Never subscribed: neutral by default. In a shop that sells no subscriptions nobody has
  // one, and it says nothing; where subscriptions are sold, the workspace's own fit learns
  // what not having one means (there, it is usually a large risk).
  liveSubscriptionMissing: 0,
  // Failed payments, log1p: one adds +0.62, three add +1.25 (involuntary churn).
  paymentFailuresLast90d: 0.9,
  // Tenure, log1p days: new customers churn more — 30 days instead of a year adds +0.74.
  tenureDays: -0.3,
  // Days since last activity, log1p: 60 days instead of 7 adds +0.81.
  daysSinceLastActivity: 0.4,
  // Nothing ever recorded: as if quiet for a long time.
  daysSinceLastActivityMissing: 0.5,
};

/** Typical spreads of the features (for standardised weights in reports). */
const TYPICAL_SCALE: Readonly<Record<FeatureName, number>> = {
  npsLast: 2.5,
  npsLastMissing: 0.5,
  csatLast: 1,
  csatLastMissing: 0.5,
  sentimentTrend: 0.3,
  sentimentTrendMissing: 0.5,
  ticketsLast30d: 0.7,
  slaBreachesLast30d: 0.4,
  usageTrend: 0.5,
  usageTrendMissing: 0.3,
  pAlive: 1.5,
  pAliveMissing: 0.3,
  pOrderNext90d: 1.5,
  pOrderNext90dMissing: 0.3,
  liveSubscription: 0.3,
  liveSubscriptionMissing: 0.45,
  paymentFailuresLast90d: 0.3,
  tenureDays: 1,
  daysSinceLastActivity: 1,
  daysSinceLastActivityMissing: 0.2,
};

function defaultModel(): HealthModel {
  const x = featureVector(REFERENCE_CUSTOMER);
  const baseline = Object.fromEntries(FEATURE_NAMES.map((f, j) => [f, x[j] as number])) as Record<FeatureName, number>;
  return {
    version: 1,
    source: 'default',
    horizonDays: 90,
    baselineLogOdds: Math.log(DEFAULT_BASELINE_RISK / (1 - DEFAULT_BASELINE_RISK)),
    weights: { ...DEFAULT_WEIGHTS },
    baseline,
    scale: { ...TYPICAL_SCALE },
  };
}

/** The model a workspace uses until its own churn history earns learnt weights. */
export const DEFAULT_HEALTH_MODEL: HealthModel = defaultModel();

/**
 * When learnt weights replace the defaults: enough churn events to learn from (about ten
 * per feature is the usual rule for an unpenalised fit; the penalty lets us ask for fewer)
 * and to judge by, and a clear win on the time-split backtest.
 */
export interface SwitchRule {
  /** Churned snapshots in the backtest's training part. */
  minTrainingEvents: number;
  /** Churned snapshots in its test part. */
  minTestEvents: number;
  /** The learnt model's test AUC must beat the defaults' by at least this. */
  minAucGain: number;
  /** …and reach at least this. */
  minAuc: number;
}

export const DEFAULT_SWITCH_RULE: SwitchRule = { minTrainingEvents: 100, minTestEvents: 30, minAucGain: 0.02, minAuc: 0.65 };

export interface WeightsEvidence {
  trainingEvents: number;
  testEvents: number;
  /** Test AUCs from the backtest (absent when it was not run). */
  learntAuc?: number;
  defaultAuc?: number;
}

export interface WeightsDecision {
  use: 'learnt' | 'default';
  /** Why, in plain English; every unmet condition is listed. */
  reasons: string[];
}

export function decideWeights(evidence: WeightsEvidence, rule: SwitchRule = DEFAULT_SWITCH_RULE): WeightsDecision {
  const reasons: string[] = [];
  if (evidence.trainingEvents < rule.minTrainingEvents)
    reasons.push(`only ${evidence.trainingEvents} churn events to learn from (at least ${rule.minTrainingEvents} needed)`);
  if (evidence.testEvents < rule.minTestEvents) reasons.push(`only ${evidence.testEvents} churn events to test on (at least ${rule.minTestEvents} needed)`);
  const { learntAuc, defaultAuc } = evidence;
  if (learntAuc === undefined || defaultAuc === undefined || !Number.isFinite(learntAuc)) {
    if (reasons.length === 0) reasons.push('no backtest');
  } else {
    if (learntAuc < rule.minAuc) reasons.push(`learnt AUC ${learntAuc.toFixed(3)} is below ${rule.minAuc}`);
    if (!(learntAuc >= (Number.isFinite(defaultAuc) ? defaultAuc : 0.5) + rule.minAucGain))
      reasons.push(`learnt AUC ${learntAuc.toFixed(3)} does not beat the defaults' ${defaultAuc.toFixed(3)} by ${rule.minAucGain}`);
  }
  if (reasons.length > 0) return { use: 'default', reasons };
  return {
    use: 'learnt',
    reasons: [`learnt AUC ${learntAuc?.toFixed(3)} beats the defaults' ${defaultAuc?.toFixed(3)} on ${evidence.testEvents} churn events after the cut`],
  };
}
