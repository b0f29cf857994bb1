/**
 * Learning a workspace's own weights from its churn history, and choosing between them and
 * the defaults by a time-split backtest. Pure: no I/O.
 */
import { AppError } from '../../../platform/errors.js';
import { DEFAULT_HEALTH_MODEL, DEFAULT_SWITCH_RULE, decideWeights, type SwitchRule, type WeightsDecision } from './defaults.js';
import { backtest, timeSplit, type BacktestReport } from './evaluate.js';
import { fitLogisticCV, type CvOptions } from './logistic.js';
import { churnRisk, type HealthModel } from './model.js';
import { FEATURE_NAMES, featureVector, type FeatureName, type HealthSnapshot } from './signals.js';

export interface LearnOptions extends CvOptions {
  /** The horizon the snapshots' labels were read over (default 90). */
  horizonDays?: number;
}

/**
 * L2-regularised logistic regression of the churn labels on the features, λ by seeded
 * k-fold cross-validation (logistic.ts). The baseline customer is the training mean.
 */
export function learnHealthModel(snapshots: readonly HealthSnapshot[], options: LearnOptions = {}): HealthModel {
  const events = snapshots.reduce((a, s) => a + (s.churned ? 1 : 0), 0);
  if (events === 0 || events === snapshots.length)
    throw new AppError('HEALTH_INPUT_INVALID', `learning health weights needs churned and retained snapshots (got ${events} churned of ${snapshots.length})`);
  const X = snapshots.map((s) => featureVector(s.signals));
  const y = snapshots.map((s) => (s.churned ? 1 : 0));
  const fit = fitLogisticCV(X, y, options);
  const per = (f: (j: number) => number) => Object.fromEntries(FEATURE_NAMES.map((name, j) => [name, f(j)])) as Record<FeatureName, number>;
  const dates = snapshots.map((s) => s.at).sort();
  return {
    version: 1,
    source: 'learnt',
    horizonDays: options.horizonDays ?? 90,
    baselineLogOdds: fit.standardised.intercept,
    weights: per((j) => fit.coefficients[j] as number),
    baseline: per((j) => fit.means[j] as number),
    scale: per((j) => fit.scales[j] as number),
    standardErrors: Object.fromEntries(
      FEATURE_NAMES.map((name, j) => {
        const se = fit.standardErrors.coefficients[j] as number;
        return [name, Number.isFinite(se) ? se : null];
      }),
    ) as Record<FeatureName, number | null>,
    lambda: fit.lambda,
    trainedOn: { snapshots: snapshots.length, events, from: dates[0] as string, to: dates[dates.length - 1] as string, separated: fit.separated },
  };
}

export interface ChooseOptions extends LearnOptions {
  /** ISO date: learn before it, test after it (see evaluate.ts `timeSplit`). */
  cut: string;
  horizonDays: number;
  /** ISO date the labels were read; snapshots whose window is still open are left out. */
  asOf?: string;
  rule?: SwitchRule;
  /** The model to beat (default DEFAULT_HEALTH_MODEL). */
  defaults?: HealthModel;
}

export interface ModelChoice {
  /** The model to score with: the defaults, or weights learnt from every labelled snapshot. */
  model: HealthModel;
  decision: WeightsDecision;
  /** Absent when there were too few events to run it. */
  backtest?: BacktestReport;
}

/**
 * Backtest learnt weights against the defaults on a time split and apply the switch rule
 * (defaults.ts). When the learnt weights win, they are re-learnt on every labelled snapshot
 * (before and after the cut) for scoring.
 */
export function chooseHealthModel(snapshots: readonly HealthSnapshot[], options: ChooseOptions): ModelChoice {
  const rule = options.rule ?? DEFAULT_SWITCH_RULE;
  const defaults = options.defaults ?? DEFAULT_HEALTH_MODEL;
  const split = timeSplit(snapshots, options);
  const count = (rows: readonly HealthSnapshot[]) => rows.reduce((a, s) => a + (s.churned ? 1 : 0), 0);
  const trainingEvents = count(split.train);
  const testEvents = count(split.test);
  if (trainingEvents < rule.minTrainingEvents || testEvents < rule.minTestEvents || trainingEvents === split.train.length)
    return { model: defaults, decision: decideWeights({ trainingEvents, testEvents }, rule) };
  const report = backtest(snapshots, {
    ...options,
    models: {
      learnt: (train) => {
        const model = learnHealthModel(train, options);
        return (s) => churnRisk(model, s.signals);
      },
      default: () => (s) => churnRisk(defaults, s.signals),
    },
  });
  const decision = decideWeights(
    { trainingEvents, testEvents, learntAuc: report.models.learnt?.auc as number, defaultAuc: report.models.default?.auc as number },
    rule,
  );
  if (decision.use === 'default') return { model: defaults, decision, backtest: report };
  const labelled = snapshots.filter((s) => closedBy(s, options));
  return { model: learnHealthModel(labelled, options), decision, backtest: report };
}

/** Whether a snapshot's label window has closed by `asOf` (always, without one). */
function closedBy(s: HealthSnapshot, options: ChooseOptions): boolean {
  if (options.asOf === undefined) return true;
  return Date.parse(s.at) + options.horizonDays * 86_400_000 <= Date.parse(options.asOf);
}
