/**
 * How good a churn-risk model is: discrimination (AUC), accuracy of the probabilities
 * (log-loss, Brier score), calibration (a table by deciles of predicted risk, and the
 * calibration slope and intercept), and a time-split backtest. Pure maths: no I/O.
 */
import { AppError } from '../../../platform/errors.js';
import { fitLogistic, logit, sigmoid } from './logistic.js';

type Labels = ArrayLike<number | boolean>;
const label = (y: Labels, i: number) => (y[i] === true || y[i] === 1 ? 1 : 0);

function check(p: ArrayLike<number>, y: Labels, what: string) {
  if (p.length !== y.length) throw new AppError('HEALTH_INPUT_INVALID', `${what}: ${p.length} predictions but ${y.length} labels`);
  for (let i = 0; i < p.length; i++) if (!Number.isFinite(p[i] as number)) throw new AppError('HEALTH_INPUT_INVALID', `${what}: prediction ${i} is not a finite number`);
}

/**
 * Area under the ROC curve: the probability that a random event scores above a random
 * non-event, ties counting one half (the Mann–Whitney U with mid-ranks, divided by n₁n₀).
 * NaN when either class is empty.
 */
export function auc(scores: ArrayLike<number>, labels: Labels): number {
  check(scores, labels, 'AUC');
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0;
  let positives = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1] as number] === scores[order[start] as number]) end++;
    const midRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++)
      if (label(labels, order[k] as number)) {
        rankSum += midRank;
        positives++;
      }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean negative log-likelihood of the labels, probabilities clipped to [ε, 1 − ε]. */
export function logLoss(p: ArrayLike<number>, y: Labels, eps = 1e-15): number {
  check(p, y, 'log-loss');
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(Math.max(p[i] as number, eps), 1 - eps);
    s -= label(y, i) ? Math.log(q) : Math.log(1 - q);
  }
  return s / p.length;
}

/** Mean squared difference between the probability and the outcome. */
export function brierScore(p: ArrayLike<number>, y: Labels): number {
  check(p, y, 'Brier score');
  let s = 0;
  for (let i = 0; i < p.length; i++) s += ((p[i] as number) - label(y, i)) ** 2;
  return s / p.length;
}

export interface CalibrationBin {
  /** 1 = lowest predicted risk. */
  bin: number;
  n: number;
  minPredicted: number;
  maxPredicted: number;
  meanPredicted: number;
  observedRate: number;
}

/** Rows sorted by predicted risk and cut into `bins` groups of (nearly) equal size: mean predicted vs observed rate. */
export function calibrationTable(p: ArrayLike<number>, y: Labels, bins = 10): CalibrationBin[] {
  check(p, y, 'calibration');
  const n = p.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number));
  const k = Math.min(bins, n);
  const out: CalibrationBin[] = [];
  for (let b = 0; b < k; b++) {
    const from = Math.floor((b * n) / k);
    const to = Math.floor(((b + 1) * n) / k);
    let sumP = 0;
    let events = 0;
    for (let r = from; r < to; r++) {
      sumP += p[order[r] as number] as number;
      events += label(y, order[r] as number);
    }
    out.push({
      bin: b + 1,
      n: to - from,
      minPredicted: p[order[from] as number] as number,
      maxPredicted: p[order[to - 1] as number] as number,
      meanPredicted: sumP / (to - from),
      observedRate: events / (to - from),
    });
  }
  return out;
}

export interface Calibration {
  /** b in logit P(y) = a + b·logit(p): 1 is ideal, < 1 means predictions too extreme (overfitting). */
  slope: number;
  /** a in the same fit. */
  intercept: number;
  /** Calibration-in-the-large: a in logit P(y) = a + logit(p) (slope fixed at 1); 0 is ideal, > 0 means risk under-predicted. */
  inTheLarge: number;
}

/** Calibration slope and intercepts (Cox 1958; Van Calster et al. 2016), predictions clipped to [1e-9, 1 − 1e-9]. */
export function calibration(p: ArrayLike<number>, y: Labels): Calibration {
  check(p, y, 'calibration');
  const n = p.length;
  const offset = Float64Array.from({ length: n }, (_, i) => logit(Math.min(Math.max(p[i] as number, 1e-9), 1 - 1e-9)));
  const labels = Array.from({ length: n }, (_, i) => label(y, i));
  let events = 0;
  for (const v of labels) events += v;
  if (events === 0 || events === n) return { slope: Number.NaN, intercept: Number.NaN, inTheLarge: Number.NaN };
  const fit = fitLogistic(Array.from(offset, (v) => [v]), labels);
  // a with the offset: Newton on Σ (y − σ(a + o)) = 0
  let a = 0;
  for (let it = 0; it < 100; it++) {
    let g = 0;
    let h = 0;
    for (let i = 0; i < n; i++) {
      const q = sigmoid(a + (offset[i] as number));
      g += (labels[i] as number) - q;
      h += q * (1 - q);
    }
    const step = g / h;
    a += Math.max(-5, Math.min(5, step));
    if (Math.abs(step) < 1e-12) break;
  }
  return { slope: fit.coefficients[0] as number, intercept: fit.intercept, inTheLarge: a };
}

export interface Metrics {
  n: number;
  events: number;
  auc: number;
  logLoss: number;
  brier: number;
  calibration: Calibration;
  table: CalibrationBin[];
}

export function evaluatePredictions(p: ArrayLike<number>, y: Labels, bins = 10): Metrics {
  check(p, y, 'evaluation');
  let events = 0;
  for (let i = 0; i < y.length; i++) events += label(y, i);
  return {
    n: p.length,
    events,
    auc: auc(p, y),
    logLoss: logLoss(p, y),
    brier: brierScore(p, y),
    calibration: calibration(p, y),
    table: calibrationTable(p, y, bins),
  };
}

/** A labelled snapshot: taken on `at`, `churned` within the horizon after it. */
export interface Labelled {
  at: string;
  churned: boolean;
}

const DAY = 86_400_000;
function dayOf(at: string): number {
  const t = Date.parse(at);
  if (!Number.isFinite(t)) throw new AppError('HEALTH_INPUT_INVALID', `backtest: "${at}" is not an ISO date`);
  return t / DAY;
}

export interface TimeSplitOptions {
  /** ISO date: training snapshots' label windows end by it; test snapshots are taken on or after it. */
  cut: string;
  /** The label's horizon H in days ("churned within H days after the snapshot"). */
  horizonDays: number;
  /** ISO date the labels were read: test snapshots whose window (at, at + H] is still open are left out. */
  asOf?: string;
}

/**
 * Split labelled snapshots in time, without leakage: train on snapshots whose label window
 * closed by the cut (at + H ≤ cut), test on those taken on or after it. Snapshots taken in
 * (cut − H, cut) are in neither: their outcome was not yet known at the cut.
 */
export function timeSplit<S extends Labelled>(snapshots: readonly S[], options: TimeSplitOptions): { train: S[]; test: S[]; excluded: number } {
  const { horizonDays } = options;
  if (!(horizonDays > 0)) throw new AppError('HEALTH_INPUT_INVALID', `backtest: the horizon must be > 0 days (got ${horizonDays})`);
  const cut = dayOf(options.cut);
  const asOf = options.asOf === undefined ? Infinity : dayOf(options.asOf);
  const train: S[] = [];
  const test: S[] = [];
  for (const s of snapshots) {
    const at = dayOf(s.at);
    if (at + horizonDays <= cut) train.push(s);
    else if (at >= cut && at + horizonDays <= asOf) test.push(s);
  }
  return { train, test, excluded: snapshots.length - train.length - test.length };
}

/** Learns from training snapshots and returns the churn risk of a snapshot. */
export type Learner<S> = (train: readonly S[]) => (snapshot: S) => number;

export interface BacktestReport {
  cut: string;
  horizonDays: number;
  train: { n: number; events: number };
  test: { n: number; events: number };
  excluded: number;
  /** Test-set metrics per model. */
  models: Record<string, Metrics>;
}

/** Train each model on the snapshots before the cut and evaluate it on those after (see `timeSplit`). */
export function backtest<S extends Labelled>(snapshots: readonly S[], options: TimeSplitOptions & { models: Record<string, Learner<S>>; bins?: number }): BacktestReport {
  const { train, test, excluded } = timeSplit(snapshots, options);
  const events = (rows: readonly S[]) => rows.reduce((a, s) => a + (s.churned ? 1 : 0), 0);
  if (test.length === 0) throw new AppError('HEALTH_INPUT_INVALID', `backtest: no labelled snapshots on or after ${options.cut}`);
  const y = test.map((s) => s.churned);
  const models: Record<string, Metrics> = {};
  for (const [name, learn] of Object.entries(options.models)) {
    const predict = learn(train);
    models[name] = evaluatePredictions(
      test.map((s) => predict(s)),
      y,
      options.bins,
    );
  }
  return {
    cut: options.cut,
    horizonDays: options.horizonDays,
    train: { n: train.length, events: events(train) },
    test: { n: test.length, events: events(test) },
    excluded,
    models,
  };
}
