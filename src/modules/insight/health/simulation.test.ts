/**
 * End to end on a simulated workspace whose churn follows a known logistic model over a
 * subset of the signals — one that differs from the defaults (tickets protect here; NPS,
 * CSAT, SLA breaches and P(alive) play no direct part).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_MODEL } from './defaults.js';
import { auc, backtest } from './evaluate.js';
import { chooseHealthModel, learnHealthModel } from './learn.js';
import { churnRisk, ZHealthModel } from './model.js';
import { explainChange, scoreHealth } from './score.js';
import { simulateWorkspace, type ChurnTruth } from './simulate.js';

const truth: ChurnTruth = {
  intercept: -1.2,
  weights: { usageTrend: -1.6, daysSinceLastActivity: 0.8, paymentFailuresLast90d: 1.5, ticketsLast30d: -0.6, tenureDays: -0.45 },
};
// snapshots every 90 days from 2024-01-01; cut after the fourth (2024-09-27) has its label
const CUT = '2024-12-26';
const workspace = simulateWorkspace({ customers: 5000, seed: 2024, truth });

describe('learning health weights from a simulated churn history', () => {
  const report = backtest(workspace.snapshots, {
    cut: CUT,
    horizonDays: 90,
    models: {
      learnt: (train) => {
        const model = learnHealthModel(train, { seed: 1 });
        return (s) => churnRisk(model, s.signals);
      },
      default: () => (s) => churnRisk(DEFAULT_HEALTH_MODEL, s.signals),
    },
  });
  const learnt = report.models.learnt;
  const defaults = report.models.default;

  it('has a real history to learn from', () => {
    expect(report.train.events).toBeGreaterThan(500);
    expect(report.test.events).toBeGreaterThan(200);
    // the best any model can do: the true risk
    expect(auc(workspace.trueRisk, workspace.snapshots.map((s) => s.churned))).toBeGreaterThan(0.83);
  });

  it('reaches a backtest AUC ≥ 0.80, better than the defaults when the truth differs from them', () => {
    expect(learnt?.auc).toBeGreaterThanOrEqual(0.8);
    expect((learnt?.auc as number) - (defaults?.auc as number)).toBeGreaterThan(0.03);
    expect(learnt?.logLoss).toBeLessThan(defaults?.logLoss as number);
  });

  it('is calibrated on the later period: slope near 1, in-the-large near 0, deciles close', () => {
    const c = learnt?.calibration;
    expect(Math.abs((c?.slope as number) - 1)).toBeLessThan(0.15);
    expect(Math.abs(c?.inTheLarge as number)).toBeLessThan(0.15);
    for (const bin of learnt?.table ?? []) expect(Math.abs(bin.meanPredicted - bin.observedRate), `decile ${bin.bin}`).toBeLessThan(0.06);
  });

  it('recovers the true weights and signs: the ones that matter within 4 SE, the others near 0', () => {
    const model = learnHealthModel(workspace.snapshots, { seed: 1 });
    for (const [f, w] of Object.entries(truth.weights) as [keyof typeof model.weights, number][]) {
      const se = model.standardErrors?.[f] as number;
      expect(Math.abs(model.weights[f] - w) / se, f).toBeLessThan(4);
    }
    for (const f of ['npsLast', 'csatLast', 'slaBreachesLast30d', 'pAlive'] as const) expect(Math.abs(model.weights[f]) / (model.standardErrors?.[f] as number), f).toBeLessThan(4);
    expect(ZHealthModel.parse(JSON.parse(JSON.stringify(model)))).toEqual(model);
  });

  it('chooses the learnt weights by the switch rule, and keeps the defaults on a short history', () => {
    const choice = chooseHealthModel(workspace.snapshots, { cut: CUT, horizonDays: 90, seed: 1 });
    expect(choice.decision.use).toBe('learnt');
    expect(choice.model.source).toBe('learnt');
    expect(choice.model.trainedOn?.snapshots).toBe(workspace.snapshots.length);
    const small = simulateWorkspace({ customers: 150, seed: 5, truth });
    const early = chooseHealthModel(small.snapshots, { cut: CUT, horizonDays: 90 });
    expect(early.decision.use).toBe('default');
    expect(early.model).toBe(DEFAULT_HEALTH_MODEL);
    expect(early.decision.reasons[0]).toMatch(/churn events to learn from/);
  });

  it('scores with learnt weights whose contributions add up to each score, and explains a week’s change', () => {
    const model = learnHealthModel(workspace.snapshots, { seed: 1 });
    let worst = 0;
    for (const s of workspace.snapshots.slice(0, 500)) {
      const score = scoreHealth(model, s.signals);
      const sum = score.contributions.reduce((a, c) => a + c.points, score.baselineHealth);
      worst = Math.max(worst, Math.abs(sum - score.health));
      expect(score.health).toBeCloseTo(100 * (1 - churnRisk(model, s.signals)), 10);
    }
    expect(worst).toBeLessThan(1e-9);
    const before = workspace.snapshots[0]?.signals ?? {};
    const after = { ...before, paymentFailuresLast90d: 2, usageTrend: -1 };
    const change = explainChange(scoreHealth(model, before), scoreHealth(model, after));
    expect(change.change).toBeLessThan(0);
    expect(new Set(change.top.map((c) => c.signal))).toEqual(new Set(['paymentFailuresLast90d', 'usageTrend']));
  });
});
