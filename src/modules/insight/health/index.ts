/**
 * Explainable health score and churn risk (issue 7): named signals, L2-regularised logistic
 * regression learnt from a workspace's churn history (with documented defaults until there
 * is enough of it), health = 100 × (1 − churn risk) with per-signal contributions that add
 * up to the score, the change since last week, and a time-split backtest (AUC, log-loss,
 * Brier, calibration). Pure maths: no I/O.
 */
export {
  SIGNAL_NAMES,
  SIGNALS,
  FEATURE_NAMES,
  SIGNALS_WITH_MISSING_INDICATOR,
  ZSignals,
  ZHealthSnapshot,
  featureVector,
  rawValue,
  signalOf,
  usageTrend,
  accountSignals,
  npsCategory,
  type SignalName,
  type FeatureName,
  type Signals,
  type HealthSnapshot,
  type SignalDefinition,
} from './signals.js';
export {
  fitLogistic,
  fitLogisticCV,
  crossValidate,
  predictLogistic,
  stratifiedFolds,
  LAMBDA_GRID,
  type LogisticFit,
  type LogisticOptions,
  type CvFit,
  type CvOptions,
  type CvRow,
  type Rows,
} from './logistic.js';
export {
  auc,
  logLoss,
  brierScore,
  calibration,
  calibrationTable,
  evaluatePredictions,
  timeSplit,
  backtest,
  type Calibration,
  type CalibrationBin,
  type Metrics,
  type Labelled,
  type Learner,
  type TimeSplitOptions,
  type BacktestReport,
} from './evaluate.js';
export { ZHealthModel, churnRisk, churnLogOdds, logOddsContributions, standardisedWeights, type HealthModel } from './model.js';
export {
  DEFAULT_HEALTH_MODEL,
  DEFAULT_WEIGHTS,
  DEFAULT_BASELINE_RISK,
  REFERENCE_CUSTOMER,
  DEFAULT_SWITCH_RULE,
  decideWeights,
  type SwitchRule,
  type WeightsEvidence,
  type WeightsDecision,
} from './defaults.js';
export {
  scoreHealth,
  explainChange,
  riskBand,
  healthOf,
  DEFAULT_BANDS,
  type HealthScore,
  type Contribution,
  type HealthChange,
  type Change,
  type RiskBand,
  type BandThresholds,
  type ScoreOptions,
} from './score.js';
export { learnHealthModel, chooseHealthModel, type LearnOptions, type ChooseOptions, type ModelChoice } from './learn.js';
export { simulateWorkspace, simulateSignals, type ChurnTruth, type WorkspaceOptions, type SimulatedWorkspace } from './simulate.js';
