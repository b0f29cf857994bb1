import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_MODEL, DEFAULT_WEIGHTS, decideWeights, REFERENCE_CUSTOMER } from './defaults.js';
import { churnRisk, ZHealthModel, type HealthModel } from './model.js';
import { explainChange, riskBand, scoreHealth } from './score.js';
import {
  accountSignals,
  FEATURE_NAMES,
  featureVector,
  SIGNAL_NAMES,
  SIGNALS,
  SIGNALS_WITH_MISSING_INDICATOR,
  signalOf,
  usageTrend,
  ZSignals,
  type Signals,
} from './signals.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('signals', () => {
  it('validates one customer’s signals with zod, unknowns as null or absent', () => {
    expect(ZSignals.safeParse({ npsLast: 9, ticketsLast30d: 2, pAlive: null }).success).toBe(true);
    expect(ZSignals.safeParse({ npsLast: 11 }).success).toBe(false);
    expect(ZSignals.safeParse({ csatLast: 0 }).success).toBe(false);
    expect(ZSignals.safeParse({ ticketsLast30d: -1 }).success).toBe(false);
    expect(ZSignals.safeParse({ pAlive: 1.2 }).success).toBe(false);
  });

  it('imputes unknowns, flags them, and transforms (log1p, logit, clipping)', () => {
    const x = featureVector({ npsLast: null, ticketsLast30d: 3, pAlive: 0.9, usageTrend: 10 });
    const at = (f: string) => x[FEATURE_NAMES.indexOf(f as (typeof FEATURE_NAMES)[number])];
    expect(at('npsLast')).toBe(7);
    expect(at('npsLastMissing')).toBe(1);
    expect(at('ticketsLast30d')).toBeCloseTo(Math.log(4), 12);
    expect(at('pAlive')).toBeCloseTo(Math.log(9), 12);
    expect(at('pAliveMissing')).toBe(0);
    expect(at('usageTrend')).toBe(3);
    expect(at('slaBreachesLast30d')).toBe(0); // unknown count: none
    expect(at('daysSinceLastActivityMissing')).toBe(1);
    expect(x).toHaveLength(FEATURE_NAMES.length);
  });

  it('has one feature per signal plus a missing-indicator where declared', () => {
    const withIndicator = SIGNAL_NAMES.filter((n) => SIGNALS[n].missingIndicator);
    expect(withIndicator).toEqual([...SIGNALS_WITH_MISSING_INDICATOR]);
    expect(FEATURE_NAMES).toHaveLength(SIGNAL_NAMES.length + withIndicator.length);
    expect(FEATURE_NAMES.map(signalOf)).toEqual(SIGNAL_NAMES.flatMap((n) => (SIGNALS[n].missingIndicator ? [n, n] : [n])));
  });

  it('usage trend is the log ratio of the last 4 weeks to the 4 before', () => {
    expect(usageTrend(9, 19)).toBeCloseTo(Math.log(0.5), 12);
    expect(usageTrend(0, 0)).toBe(0);
    expect(SIGNALS.usageTrend.describe(usageTrend(9, 19))).toBe('Usage down 50% on the previous 4 weeks');
  });

  it('describes values in plain English', () => {
    expect(SIGNALS.npsLast.describe(3)).toBe('NPS 3 (detractor)');
    expect(SIGNALS.npsLast.describe(9)).toBe('NPS 9 (promoter)');
    expect(SIGNALS.slaBreachesLast30d.describe(1)).toBe('1 SLA breach in the last 30 days');
    expect(SIGNALS.paymentFailuresLast90d.describe(2)).toBe('2 failed payments in the last 90 days');
    expect(SIGNALS.pAlive.describe(0.123)).toBe('P(alive) 12%');
    expect(SIGNALS.pOrderNext90d.describe(0.42)).toBe('42% chance of an order in the next 90 days');
    expect(SIGNALS.pOrderNext90d.describe(null)).toBe('No purchase forecast');
    expect(SIGNALS.liveSubscription.describe(1)).toBe('A live subscription');
    expect(SIGNALS.liveSubscription.describe(0)).toBe('Subscription ended');
    expect(SIGNALS.liveSubscription.describe(null)).toBe('No subscription');
  });

  it('rolls members up into an account', () => {
    const a = accountSignals([
      { npsLast: 9, ticketsLast30d: 2, pAlive: 0.3, pOrderNext90d: 0.7, liveSubscription: 0, daysSinceLastActivity: 40 },
      { npsLast: 4, ticketsLast30d: 1, pAlive: 0.9, pOrderNext90d: 0.2, liveSubscription: 1, daysSinceLastActivity: 3 },
      { npsLast: null, ticketsLast30d: 0, liveSubscription: null },
    ]);
    // the account buys while any member does, and is subscribed while any member is
    expect(a).toMatchObject({ npsLast: 7, ticketsLast30d: 3, pAlive: 0.9, pOrderNext90d: 0.7, liveSubscription: 1, daysSinceLastActivity: 3, csatLast: null });
  });
});

describe('default weights', () => {
  it('have the documented signs: each value weight agrees with its signal’s direction', () => {
    for (const n of SIGNAL_NAMES) {
      const w = DEFAULT_WEIGHTS[n];
      if (SIGNALS[n].direction === 'higher is riskier') expect(w, n).toBeGreaterThan(0);
      else expect(w, n).toBeLessThan(0);
    }
  });

  it('give the reference customer 8% risk (health 92) and are a valid stored model', () => {
    expect(churnRisk(DEFAULT_HEALTH_MODEL, REFERENCE_CUSTOMER)).toBeCloseTo(0.08, 12);
    expect(scoreHealth(DEFAULT_HEALTH_MODEL, REFERENCE_CUSTOMER).health).toBeCloseTo(92, 10);
    expect(ZHealthModel.parse(JSON.parse(JSON.stringify(DEFAULT_HEALTH_MODEL)))).toEqual(DEFAULT_HEALTH_MODEL);
  });

  it('read a model stored before a signal existed: the new signal weighs nothing until the model is re-learnt', () => {
    const stored = JSON.parse(JSON.stringify(DEFAULT_HEALTH_MODEL)) as Record<'weights' | 'baseline' | 'scale', Record<string, number>>;
    for (const part of ['weights', 'baseline', 'scale'] as const) for (const f of ['pOrderNext90d', 'pOrderNext90dMissing', 'liveSubscription', 'liveSubscriptionMissing']) delete stored[part][f];
    const model = ZHealthModel.parse(stored);
    expect(model.weights).toMatchObject({ pOrderNext90d: 0, pOrderNext90dMissing: 0, liveSubscription: 0, liveSubscriptionMissing: 0, npsLast: DEFAULT_WEIGHTS.npsLast });
    const s = scoreHealth(model, { ...REFERENCE_CUSTOMER, pOrderNext90d: 0.05, liveSubscription: 0 });
    expect(s.contributions.filter((c) => c.signal === 'pOrderNext90d' || c.signal === 'liveSubscription').map((c) => c.logOdds)).toEqual([0, 0]);
    expect(s.health).toBeCloseTo(92, 10);
    expect(() => ZHealthModel.parse({ ...stored, weights: { ...stored.weights, notASignal: 1 } })).toThrow();
  });

  it('raise risk for a detractor, SLA breaches, payment failures, falling usage, low P(alive), a low chance of an order and no live subscription', () => {
    const base = churnRisk(DEFAULT_HEALTH_MODEL, REFERENCE_CUSTOMER);
    const worse: Signals[] = [
      { npsLast: 2 },
      { slaBreachesLast30d: 3 },
      { paymentFailuresLast90d: 2 },
      { usageTrend: usageTrend(10, 40) },
      { pAlive: 0.15 },
      { pOrderNext90d: 0.15 },
      { liveSubscription: 0 },
      { daysSinceLastActivity: 120 },
    ];
    for (const change of worse) {
      const risk = churnRisk(DEFAULT_HEALTH_MODEL, { ...REFERENCE_CUSTOMER, ...change });
      expect(risk, JSON.stringify(change)).toBeGreaterThan(base + 0.03);
      expect(risk, JSON.stringify(change)).toBeLessThan(0.5); // no single signal dominates
    }
  });

  it('switch to learnt weights only with enough events and a clear AUC win', () => {
    expect(decideWeights({ trainingEvents: 40, testEvents: 10 })).toEqual({
      use: 'default',
      reasons: ['only 40 churn events to learn from (at least 100 needed)', 'only 10 churn events to test on (at least 30 needed)'],
    });
    expect(decideWeights({ trainingEvents: 300, testEvents: 80, learntAuc: 0.79, defaultAuc: 0.78 }).use).toBe('default');
    expect(decideWeights({ trainingEvents: 300, testEvents: 80, learntAuc: 0.83, defaultAuc: 0.78 }).use).toBe('learnt');
    expect(decideWeights({ trainingEvents: 300, testEvents: 80, learntAuc: 0.6, defaultAuc: 0.5 }).reasons).toEqual(['learnt AUC 0.600 is below 0.65']);
  });
});

describe('health score', () => {
  it('is 100 × (1 − risk) with bands at 20% and 40% risk', () => {
    const s = scoreHealth(DEFAULT_HEALTH_MODEL, { ...REFERENCE_CUSTOMER, paymentFailuresLast90d: 4 });
    expect(s.health).toBeCloseTo(100 * (1 - s.risk), 12);
    expect(s.risk).toBeCloseTo(sigmoid(Math.log(0.08 / 0.92) + 0.9 * Math.log(5)), 12);
    expect(riskBand(0.1)).toBe('healthy');
    expect(riskBand(0.2)).toBe('watch');
    expect(riskBand(0.4)).toBe('at-risk');
    expect(riskBand(0.3, { watch: 0.1, atRisk: 0.25 })).toBe('at-risk');
  });

  it('explains a detractor: "NPS 3 (detractor) lowers health by 15 points"', () => {
    const s = scoreHealth(DEFAULT_HEALTH_MODEL, { ...REFERENCE_CUSTOMER, npsLast: 3 });
    // η = logit(0.08) + 5 × 0.25; health 92 → 100·σ(−η)
    const expected = 100 * sigmoid(-(Math.log(0.08 / 0.92) + 1.25));
    expect(s.health).toBeCloseTo(expected, 10);
    expect(s.top).toHaveLength(1);
    expect(s.top[0]?.reason).toBe(`NPS 3 (detractor) lowers health by ${Math.round(92 - expected)} points`);
    expect(Math.round(92 - expected)).toBe(15);
  });

  it('lists the top three contributions, and every contribution adds up to the score', () => {
    const signals: Signals = { npsLast: 10, csatLast: 2, slaBreachesLast30d: 2, usageTrend: usageTrend(5, 30), pAlive: 0.5, pOrderNext90d: 0.6, liveSubscription: 1, tenureDays: 800, daysSinceLastActivity: 20 };
    const s = scoreHealth(DEFAULT_HEALTH_MODEL, signals);
    const points = s.contributions.reduce((a, c) => a + c.points, 0);
    const logOdds = s.contributions.reduce((a, c) => a + c.logOdds, 0);
    expect(s.baselineHealth + points).toBeCloseTo(s.health, 10);
    expect(s.baselineLogOdds + logOdds).toBeCloseTo(s.logOdds, 12);
    expect(s.top).toHaveLength(3);
    const sizes = s.contributions.map((c) => Math.abs(c.points));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(s.top.map((c) => c.signal)).toEqual(s.contributions.slice(0, 3).map((c) => c.signal));
    expect(s.top[0]?.reason).toMatch(/^Usage down 81% on the previous 4 weeks lowers health by \d+ points$/);
    // the promoter's NPS raises health
    expect(s.contributions.find((c) => c.signal === 'npsLast')?.reason).toMatch(/^NPS 10 \(promoter\) raises health by \d+ points?$/);
  });

  it('contributions are weight × (standardised value − standardised baseline), in log-odds', () => {
    const model: HealthModel = { ...DEFAULT_HEALTH_MODEL, scale: { ...DEFAULT_HEALTH_MODEL.scale, npsLast: 2 } };
    const s = scoreHealth(model, { ...REFERENCE_CUSTOMER, npsLast: 4 });
    const standardisedWeight = model.weights.npsLast * 2;
    const mean = 6.5; // any centre: it cancels
    const z = (v: number) => (v - mean) / 2;
    expect(s.contributions.find((c) => c.signal === 'npsLast')?.logOdds).toBeCloseTo(standardisedWeight * (z(4) - z(8)), 12);
  });
});

describe('explaining the change since last week', () => {
  it('lists what moved the score most, in points that add up to the change', () => {
    const lastWeek = scoreHealth(DEFAULT_HEALTH_MODEL, { ...REFERENCE_CUSTOMER, npsLast: 9 });
    const now = scoreHealth(DEFAULT_HEALTH_MODEL, { ...REFERENCE_CUSTOMER, npsLast: 3, slaBreachesLast30d: 2, ticketsLast30d: 4 });
    const change = explainChange(lastWeek, now);
    expect(change.changes.reduce((a, c) => a + c.points, 0)).toBeCloseTo(now.health - lastWeek.health, 10);
    expect(change.changes.map((c) => c.signal)).toEqual(['npsLast', 'slaBreachesLast30d', 'ticketsLast30d']);
    expect(change.top[0]?.reason).toMatch(/^NPS 9 \(promoter\) → NPS 3 \(detractor\): −\d+ points$/);
    expect(change.summary).toMatch(/^Health fell \d+ points \(\d+ → \d+\): NPS 9 \(promoter\) → NPS 3 \(detractor\): −\d+ points; No SLA breaches in the last 30 days → 2 SLA breaches in the last 30 days: −\d+ points; 1 ticket/);
    expect(change.bandFrom).toBe('healthy');
    expect(change.bandTo).toBe('at-risk');
  });

  it('puts the part due to re-learnt weights under "model"', () => {
    const signals = { ...REFERENCE_CUSTOMER, npsLast: 5 };
    const relearnt: HealthModel = { ...DEFAULT_HEALTH_MODEL, source: 'learnt', baselineLogOdds: -2, weights: { ...DEFAULT_WEIGHTS, npsLast: -0.4 } };
    const change = explainChange(scoreHealth(DEFAULT_HEALTH_MODEL, signals), scoreHealth(relearnt, signals));
    const model = change.changes.find((c) => c.signal === 'model');
    expect(model?.reason).toMatch(/^The weights were re-learnt: −\d+ points?$/);
    expect(change.changes.find((c) => c.signal === 'npsLast')?.reason).toMatch(/^NPS 5 \(detractor\) \(weighed differently\): −\d+ points?$/);
    expect(change.changes.reduce((a, c) => a + c.points, 0)).toBeCloseTo(change.change, 10);
  });

  it('says steady when nothing moved', () => {
    const s = scoreHealth(DEFAULT_HEALTH_MODEL, REFERENCE_CUSTOMER);
    expect(explainChange(s, s)).toMatchObject({ change: 0, changes: [], summary: 'Health steady at 92' });
  });
});
