/**
 * The named signals behind the health score (issue 7): what Empty Chair already knows about
 * a customer at a moment (the "snapshot"), how a missing value is filled in, and how each
 * raw value is turned into the model's features. Pure: no I/O.
 *
 * Each signal gives one feature (its transformed value) and, where not answering is itself
 * informative (no survey answer, no usage data, no purchase model), a second 0/1 feature
 * `<signal>Missing`. A missing value is imputed with a neutral raw value before the transform,
 * so the value feature adds nothing for it and the missing-indicator carries the effect.
 */
import { z } from 'zod';

export const SIGNAL_NAMES = [
  'npsLast',
  'csatLast',
  'sentimentTrend',
  'ticketsLast30d',
  'slaBreachesLast30d',
  'usageTrend',
  'pAlive',
  'pOrderNext90d',
  'liveSubscription',
  'paymentFailuresLast90d',
  'tenureDays',
  'daysSinceLastActivity',
] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];

const optional = (s: z.ZodNumber) => s.nullable().optional();

/** One customer's (or account's) signals at a snapshot; `null` or absent means unknown. */
export const ZSignals = z.object({
  /** The latest NPS answer, 0–10 (last 180 days). */
  npsLast: optional(z.number().int().min(0).max(10)),
  /** The latest CSAT answer, 1–5 (last 180 days). */
  csatLast: optional(z.number().int().min(1).max(5)),
  /** Mean sentiment (−1…1) of open text in the last 90 days minus the 90 days before. */
  sentimentTrend: optional(z.number().min(-2).max(2)),
  /** Tickets opened in the last 30 days. */
  ticketsLast30d: optional(z.number().int().nonnegative()),
  /** SLA clocks breached in the last 30 days. */
  slaBreachesLast30d: optional(z.number().int().nonnegative()),
  /** ln((events in the last 4 weeks + 1) / (events in the 4 weeks before + 1)): see `usageTrend()`. */
  usageTrend: optional(z.number().finite()),
  /** P(alive) from the CLV model (BG/NBD or Pareto/NBD), 0–1. */
  pAlive: optional(z.number().min(0).max(1)),
  /** P(at least one order in the next 90 days) from the same purchase model, 0–1: see `bgNbdProbabilityOfPurchase`. */
  pOrderNext90d: optional(z.number().min(0).max(1)),
  /** 1 while a subscription is live (started, not cancelled), 0 once every subscription has ended; unknown (null) for a customer who never had one. */
  liveSubscription: optional(z.number().int().min(0).max(1)),
  /** Failed payments in the last 90 days. */
  paymentFailuresLast90d: optional(z.number().int().nonnegative()),
  /** Days since the customer's first purchase or sign-up. */
  tenureDays: optional(z.number().nonnegative()),
  /** Days since the last tracked event, purchase or answer. */
  daysSinceLastActivity: optional(z.number().nonnegative()),
});
export type Signals = z.infer<typeof ZSignals>;

/**
 * A labelled snapshot for learning and backtests: the signals as they were on `at`, and
 * whether the customer churned within the model's horizon (H days) after `at`. Only
 * snapshots whose window (at, at + H] has closed can be labelled.
 */
export const ZHealthSnapshot = z.object({
  customerId: z.string().min(1),
  /** ISO date (or date-time) of the snapshot. */
  at: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'an ISO date'),
  signals: ZSignals,
  churned: z.boolean(),
});
export type HealthSnapshot = z.infer<typeof ZHealthSnapshot>;

export interface SignalDefinition {
  name: SignalName;
  /** A human label for reports. */
  label: string;
  /** Which way a higher raw value is expected to move health (the defaults' sign; learnt weights may disagree). */
  direction: 'higher is healthier' | 'higher is riskier';
  /** The raw value used when the signal is unknown. */
  impute: number;
  /** Whether unknown gets its own 0/1 feature `<name>Missing`. */
  missingIndicator: boolean;
  /** Raw (imputed) value → feature value: clipping, log1p, logit. */
  transform: (raw: number) => number;
  /** What the transform does, for documentation and the API. */
  transformNote: string;
  /** The raw value in plain English ("NPS 3 (detractor)"; `null` means unknown). */
  describe: (raw: number | null) => string;
}

const clip = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const pct = (v: number) => `${Math.round(v * 100)}%`;

export function npsCategory(score: number): 'promoter' | 'passive' | 'detractor' {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

export const SIGNALS: Readonly<Record<SignalName, SignalDefinition>> = {
  npsLast: {
    name: 'npsLast',
    label: 'Latest NPS answer',
    direction: 'higher is healthier',
    impute: 7,
    missingIndicator: true,
    transform: (v) => clip(v, 0, 10),
    transformNote: 'the answer 0–10 as it is',
    describe: (v) => (v === null ? 'No recent NPS answer' : `NPS ${v} (${npsCategory(v)})`),
  },
  csatLast: {
    name: 'csatLast',
    label: 'Latest CSAT answer',
    direction: 'higher is healthier',
    impute: 4,
    missingIndicator: true,
    transform: (v) => clip(v, 1, 5),
    transformNote: 'the answer 1–5 as it is',
    describe: (v) => (v === null ? 'No recent CSAT answer' : `CSAT ${v} of 5`),
  },
  sentimentTrend: {
    name: 'sentimentTrend',
    label: 'Sentiment trend',
    direction: 'higher is healthier',
    impute: 0,
    missingIndicator: true,
    transform: (v) => clip(v, -1, 1),
    transformNote: 'clipped to −1…1',
    describe: (v) =>
      v === null ? 'No recent open-text feedback' : Math.abs(v) < 0.05 ? 'Sentiment steady' : `Sentiment ${v < 0 ? 'falling' : 'rising'} (${v > 0 ? '+' : '−'}${Math.abs(v).toFixed(2)})`,
  },
  ticketsLast30d: {
    name: 'ticketsLast30d',
    label: 'Tickets in the last 30 days',
    direction: 'higher is riskier',
    impute: 0,
    missingIndicator: false,
    transform: (v) => Math.log1p(clip(v, 0, 100)),
    transformNote: 'log1p of the count, capped at 100',
    describe: (v) => (v === null ? 'No ticket data' : v === 0 ? 'No tickets in the last 30 days' : `${plural(v, 'ticket')} in the last 30 days`),
  },
  slaBreachesLast30d: {
    name: 'slaBreachesLast30d',
    label: 'SLA breaches in the last 30 days',
    direction: 'higher is riskier',
    impute: 0,
    missingIndicator: false,
    transform: (v) => Math.log1p(clip(v, 0, 50)),
    transformNote: 'log1p of the count, capped at 50',
    describe: (v) => (v === null ? 'No SLA data' : v === 0 ? 'No SLA breaches in the last 30 days' : `${plural(v, 'SLA breach', 'SLA breaches')} in the last 30 days`),
  },
  usageTrend: {
    name: 'usageTrend',
    label: 'Usage trend (last 4 weeks vs the 4 before)',
    direction: 'higher is healthier',
    impute: 0,
    missingIndicator: true,
    transform: (v) => clip(v, -3, 3),
    transformNote: 'the log ratio, clipped to −3…3 (a factor of 20)',
    describe: (v) => {
      if (v === null) return 'No usage data';
      const change = Math.exp(v) - 1;
      if (Math.abs(change) < 0.05) return 'Usage steady';
      return `Usage ${change < 0 ? 'down' : 'up'} ${pct(Math.abs(change))} on the previous 4 weeks`;
    },
  },
  pAlive: {
    name: 'pAlive',
    label: 'P(alive)',
    direction: 'higher is healthier',
    impute: 0.5,
    missingIndicator: true,
    transform: (v) => {
      const p = clip(v, 0.01, 0.99);
      return Math.log(p / (1 - p));
    },
    transformNote: 'logit of the probability clipped to 0.01…0.99',
    describe: (v) => (v === null ? 'No purchase model' : `P(alive) ${pct(v)}`),
  },
  pOrderNext90d: {
    name: 'pOrderNext90d',
    label: 'Chance of an order in the next 90 days',
    direction: 'higher is healthier',
    impute: 0.5,
    missingIndicator: true,
    transform: (v) => {
      const p = clip(v, 0.01, 0.99);
      return Math.log(p / (1 - p));
    },
    transformNote: 'logit of the probability clipped to 0.01…0.99',
    describe: (v) => (v === null ? 'No purchase forecast' : `${pct(v)} chance of an order in the next 90 days`),
  },
  liveSubscription: {
    name: 'liveSubscription',
    label: 'Live subscription',
    direction: 'higher is healthier',
    // Never subscribed: imputed as live, so that the missing-indicator alone carries what it means.
    impute: 1,
    missingIndicator: true,
    transform: (v) => (v >= 0.5 ? 1 : 0),
    transformNote: '1 with a live subscription, 0 once it has ended',
    describe: (v) => (v === null ? 'No subscription' : v >= 0.5 ? 'A live subscription' : 'Subscription ended'),
  },
  paymentFailuresLast90d: {
    name: 'paymentFailuresLast90d',
    label: 'Failed payments in the last 90 days',
    direction: 'higher is riskier',
    impute: 0,
    missingIndicator: false,
    transform: (v) => Math.log1p(clip(v, 0, 20)),
    transformNote: 'log1p of the count, capped at 20',
    describe: (v) =>
      v === null ? 'No billing data' : v === 0 ? 'No failed payments in the last 90 days' : `${plural(v, 'failed payment')} in the last 90 days`,
  },
  tenureDays: {
    name: 'tenureDays',
    label: 'Tenure',
    direction: 'higher is healthier',
    impute: 365,
    missingIndicator: false,
    transform: (v) => Math.log1p(clip(v, 0, 3650)),
    transformNote: 'log1p of the days, capped at 10 years',
    describe: (v) => (v === null ? 'Tenure unknown' : v < 730 ? `Customer for ${plural(Math.round(v), 'day')}` : `Customer for ${(v / 365.25).toFixed(1)} years`),
  },
  daysSinceLastActivity: {
    name: 'daysSinceLastActivity',
    label: 'Days since last activity',
    direction: 'higher is riskier',
    impute: 90,
    missingIndicator: true,
    transform: (v) => Math.log1p(clip(v, 0, 365)),
    transformNote: 'log1p of the days, capped at 365',
    describe: (v) => (v === null ? 'No recorded activity' : v < 1 ? 'Active today' : `Last active ${plural(Math.round(v), 'day')} ago`),
  },
};

/** The signals whose unknown value gets its own 0/1 feature (`missingIndicator: true` above). */
export const SIGNALS_WITH_MISSING_INDICATOR = ['npsLast', 'csatLast', 'sentimentTrend', 'usageTrend', 'pAlive', 'pOrderNext90d', 'liveSubscription', 'daysSinceLastActivity'] as const;

/** A model feature: a signal's transformed value, or its missing-indicator. */
export type FeatureName = SignalName | `${(typeof SIGNALS_WITH_MISSING_INDICATOR)[number]}Missing`;

/** The features in model order: each signal, followed by its missing-indicator when it has one. */
export const FEATURE_NAMES: readonly FeatureName[] = SIGNAL_NAMES.flatMap((n): FeatureName[] =>
  SIGNALS[n].missingIndicator ? [n, `${n}Missing` as FeatureName] : [n],
);

/** The signal a feature belongs to. */
export function signalOf(feature: FeatureName): SignalName {
  return (feature.endsWith('Missing') ? feature.slice(0, -'Missing'.length) : feature) as SignalName;
}

/** The raw value of a signal, `null` when unknown (absent, null or not finite). */
export function rawValue(signals: Signals, name: SignalName): number | null {
  const v = signals[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The feature vector of one snapshot, in FEATURE_NAMES order. */
export function featureVector(signals: Signals): Float64Array {
  const out = new Float64Array(FEATURE_NAMES.length);
  let j = 0;
  for (const name of SIGNAL_NAMES) {
    const def = SIGNALS[name];
    const raw = rawValue(signals, name);
    out[j++] = def.transform(raw ?? def.impute);
    if (def.missingIndicator) out[j++] = raw === null ? 1 : 0;
  }
  return out;
}

/**
 * The usage trend signal from event counts: ln((last + 1) / (previous + 1)), where `last`
 * counts the last 4 weeks and `previous` the 4 weeks before. The +1 keeps it finite when a
 * window is empty; 0 means steady, −0.69 halved, +0.69 doubled.
 */
export function usageTrend(lastFourWeeks: number, previousFourWeeks: number): number {
  return Math.log((lastFourWeeks + 1) / (previousFourWeeks + 1));
}

/**
 * An account's signals from its members' (people's) signals: survey answers and sentiment
 * are averaged over the members who have them, counts are summed, usage trend is averaged,
 * P(alive), the chance of an order, a live subscription and tenure are the largest (the
 * account lives while any member does), and days since activity is the smallest.
 */
export function accountSignals(members: readonly Signals[]): Signals {
  const known = (name: SignalName) => members.map((m) => rawValue(m, name)).filter((v): v is number => v !== null);
  const mean = (name: SignalName) => {
    const v = known(name);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  const sum = (name: SignalName) => {
    const v = known(name);
    return v.length ? v.reduce((a, b) => a + b, 0) : null;
  };
  const max = (name: SignalName) => {
    const v = known(name);
    return v.length ? Math.max(...v) : null;
  };
  const min = (name: SignalName) => {
    const v = known(name);
    return v.length ? Math.min(...v) : null;
  };
  const rounded = (v: number | null) => (v === null ? null : Math.round(v));
  return {
    npsLast: rounded(mean('npsLast')),
    csatLast: rounded(mean('csatLast')),
    sentimentTrend: mean('sentimentTrend'),
    ticketsLast30d: sum('ticketsLast30d'),
    slaBreachesLast30d: sum('slaBreachesLast30d'),
    usageTrend: mean('usageTrend'),
    pAlive: max('pAlive'),
    pOrderNext90d: max('pOrderNext90d'),
    liveSubscription: max('liveSubscription'),
    paymentFailuresLast90d: sum('paymentFailuresLast90d'),
    tenureDays: max('tenureDays'),
    daysSinceLastActivity: min('daysSinceLastActivity'),
  };
}
