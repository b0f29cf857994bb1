/**
 * The health score and its explanation. Pure: no I/O.
 *
 *   health = 100 × (1 − churn risk)
 *
 * where churn risk = P(churn within the model's horizon) = σ(η) (model.ts). So health 85
 * means a 15% chance of churning within the horizon (90 days for the defaults): the score is
 * a probability, not an arbitrary index, and it can be checked against what happened.
 *
 * Contributions. Each signal contributes c_j = Σ over its features of weight × (value −
 * baseline) to the log-odds, so η = baselineLogOdds + Σ c_j exactly. In points of health,
 * each c_j is multiplied by the same factor: the mean slope of the health curve between the
 * baseline and this customer, (health − baselineHealth) / (η − baselineLogOdds) (its limit,
 * −100·σ(η)(1 − σ(η)), when the two coincide). Then the points add up exactly:
 * health = baselineHealth + Σ points_j, their order is the order of the log-odds, and a
 * signal's points never exceed 25 × its log-odds.
 */
import { SIGNAL_NAMES, SIGNALS, rawValue, type SignalName, type Signals } from './signals.js';
import { logOddsContributions, type HealthModel } from './model.js';

export type RiskBand = 'healthy' | 'watch' | 'at-risk';

/** Risk thresholds of the bands: at risk from `atRisk`, watch from `watch`, healthy below. */
export interface BandThresholds {
  watch: number;
  atRisk: number;
}

/**
 * Default bands, for a 90-day horizon: healthy below 20% risk (health above 80), watch from
 * 20%, at risk from 40% (health 60 or less) — 2.5× and 5× the defaults' baseline risk of 8%.
 */
export const DEFAULT_BANDS: BandThresholds = { watch: 0.2, atRisk: 0.4 };

export function riskBand(risk: number, bands: BandThresholds = DEFAULT_BANDS): RiskBand {
  return risk >= bands.atRisk ? 'at-risk' : risk >= bands.watch ? 'watch' : 'healthy';
}

const sigma = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
/** Health of log-odds η. */
export const healthOf = (eta: number) => 100 * sigma(-eta);

/** Points of health per unit of log-odds on the way from η₀ to η₁ (mean slope; exact sums). */
function pointsPerLogOdds(eta0: number, eta1: number): number {
  const d = eta1 - eta0;
  if (Math.abs(d) > 1e-9) return (healthOf(eta1) - healthOf(eta0)) / d;
  const p = sigma((eta0 + eta1) / 2);
  return -100 * p * (1 - p);
}

function pointsText(points: number): string {
  const n = Math.round(Math.abs(points));
  return `${n} ${n === 1 ? 'point' : 'points'}`;
}

function signed(points: number): string {
  const n = Math.round(points);
  return n === 0 ? '±0 points' : `${n > 0 ? '+' : '−'}${pointsText(points)}`;
}

export interface Contribution {
  signal: SignalName;
  label: string;
  /** The raw value (null: unknown). */
  value: number | null;
  /** Log-odds of churn added relative to the baseline customer (+ raises risk). */
  logOdds: number;
  /** Points of health added (− lowers health). */
  points: number;
  /** "NPS 3 (detractor) lowers health by 12 points". */
  reason: string;
}

export interface HealthScore {
  /** 100 × (1 − risk), 0–100. */
  health: number;
  /** P(churn within `horizonDays`). */
  risk: number;
  band: RiskBand;
  horizonDays: number;
  source: HealthModel['source'];
  logOdds: number;
  baselineLogOdds: number;
  /** The baseline customer's health: health = baselineHealth + Σ contributions' points. */
  baselineHealth: number;
  /** Every signal, largest |points| first. */
  contributions: Contribution[];
  /** The (up to) three largest, with a non-zero effect. */
  top: Contribution[];
  signals: Signals;
}

export interface ScoreOptions {
  bands?: BandThresholds;
  /** How many top contributions (default 3). */
  top?: number;
}

function reasonFor(signal: SignalName, value: number | null, points: number): string {
  const what = SIGNALS[signal].describe(value);
  if (Math.round(Math.abs(points)) === 0) return `${what} hardly changes health`;
  return `${what} ${points < 0 ? 'lowers' : 'raises'} health by ${pointsText(points)}`;
}

/** The health score of one customer or account, with its contributions. */
export function scoreHealth(model: HealthModel, signals: Signals, options: ScoreOptions = {}): HealthScore {
  const c = logOddsContributions(model, signals);
  let eta = model.baselineLogOdds;
  for (const n of SIGNAL_NAMES) eta += c[n];
  const slope = pointsPerLogOdds(model.baselineLogOdds, eta);
  const contributions = SIGNAL_NAMES.map((signal): Contribution => {
    const value = rawValue(signals, signal);
    const points = c[signal] * slope;
    return { signal, label: SIGNALS[signal].label, value, logOdds: c[signal], points, reason: reasonFor(signal, value, points) };
  }).sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  const risk = sigma(eta);
  return {
    health: healthOf(eta),
    risk,
    band: riskBand(risk, options.bands),
    horizonDays: model.horizonDays,
    source: model.source,
    logOdds: eta,
    baselineLogOdds: model.baselineLogOdds,
    baselineHealth: healthOf(model.baselineLogOdds),
    contributions,
    top: contributions.filter((x) => x.logOdds !== 0).slice(0, options.top ?? 3),
    signals,
  };
}

export interface Change {
  /** A signal, or 'model' for the part due to re-learnt weights. */
  signal: SignalName | 'model';
  label: string;
  from: number | null;
  to: number | null;
  /** Change in log-odds of churn. */
  logOdds: number;
  /** Change in points of health; the changes add up to now.health − lastWeek.health. */
  points: number;
  reason: string;
}

export interface HealthChange {
  from: number;
  to: number;
  /** now.health − lastWeek.health. */
  change: number;
  bandFrom: RiskBand;
  bandTo: RiskBand;
  /** Every non-zero change, largest |points| first. */
  changes: Change[];
  top: Change[];
  /** "Health fell 14 points (82 → 68): NPS 9 (promoter) → NPS 3 (detractor) −12 points; …" */
  summary: string;
}

/**
 * What moved the score between two scorings (say last week's and now): each signal's change
 * in log-odds, in points by the mean slope of the health curve between the two (so that the
 * points add up to the change). When the weights were re-learnt in between, the part that no
 * signal explains is listed as 'model'.
 */
export function explainChange(lastWeek: HealthScore, now: HealthScore, top = 3): HealthChange {
  const slope = pointsPerLogOdds(lastWeek.logOdds, now.logOdds);
  const byName = (s: HealthScore) => new Map(s.contributions.map((c) => [c.signal, c]));
  const before = byName(lastWeek);
  const after = byName(now);
  const changes: Change[] = [];
  let explained = 0;
  for (const signal of SIGNAL_NAMES) {
    const a = before.get(signal);
    const b = after.get(signal);
    const d = (b?.logOdds ?? 0) - (a?.logOdds ?? 0);
    explained += d;
    if (d === 0) continue;
    const from = a?.value ?? null;
    const to = b?.value ?? null;
    const points = d * slope;
    const def = SIGNALS[signal];
    const what = from === to ? `${def.describe(to)} (weighed differently)` : `${def.describe(from)} → ${def.describe(to)}`;
    changes.push({ signal, label: def.label, from, to, logOdds: d, points, reason: `${what}: ${signed(points)}` });
  }
  const rest = now.logOdds - lastWeek.logOdds - explained;
  if (Math.abs(rest) > 1e-12) {
    const points = rest * slope;
    changes.push({ signal: 'model', label: 'Model', from: null, to: null, logOdds: rest, points, reason: `The weights were re-learnt: ${signed(points)}` });
  }
  changes.sort((x, y) => Math.abs(y.points) - Math.abs(x.points));
  const change = now.health - lastWeek.health;
  const topChanges = changes.filter((c) => Math.round(Math.abs(c.points)) > 0).slice(0, top);
  const r = (v: number) => Math.round(v);
  const head =
    r(change) === 0
      ? `Health steady at ${r(now.health)}`
      : `Health ${change < 0 ? 'fell' : 'rose'} ${pointsText(change)} (${r(lastWeek.health)} → ${r(now.health)})`;
  return {
    from: lastWeek.health,
    to: now.health,
    change,
    bandFrom: lastWeek.band,
    bandTo: now.band,
    changes,
    top: topChanges,
    summary: topChanges.length ? `${head}: ${topChanges.map((c) => c.reason).join('; ')}` : head,
  };
}
