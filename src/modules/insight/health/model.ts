/**
 * A churn-risk model over the health signals, as stored (JSON) and scored: the log-odds of
 * churn within `horizonDays` are
 *
 *   η = baselineLogOdds + Σ_f weights_f · (x_f − baseline_f)
 *
 * where x_f is feature f of the snapshot (see signals.ts) and `baseline` is the reference
 * customer (for learnt weights, the training mean: the standardised baseline is 0; for the
 * defaults, a documented typical customer). With z_f = (x_f − m_f)/s_f, each term equals the
 * standardised coefficient × (standardised value − standardised baseline). Pure: no I/O.
 */
import { z } from 'zod';
import { FEATURE_NAMES, featureVector, SIGNAL_NAMES, signalOf, type FeatureName, type SignalName, type Signals } from './signals.js';

const ZFeature = z.enum(FEATURE_NAMES as [FeatureName, ...FeatureName[]]);
/**
 * A value per feature. A model stored before a signal existed has no entry for it: it reads
 * as `absent` (weight 0, so the signal contributes nothing until the model is re-learnt).
 */
const perFeature = <T extends z.ZodType>(value: T, absent: z.infer<T>) =>
  z.partialRecord(ZFeature, value).transform((r) => Object.fromEntries(FEATURE_NAMES.map((f) => [f, r[f] ?? absent])) as Record<FeatureName, z.infer<T>>);

export const ZHealthModel = z.object({
  version: z.literal(1),
  source: z.enum(['default', 'learnt']),
  /** The label's horizon: the risk is P(churn within this many days). */
  horizonDays: z.number().positive(),
  /** Log-odds of churn of the baseline customer. */
  baselineLogOdds: z.number(),
  /** Per unit of each (transformed) feature. */
  weights: perFeature(z.number(), 0),
  /** The baseline customer's (transformed) features. */
  baseline: perFeature(z.number(), 0),
  /** The spread used to standardise each feature (training standard deviation, or a typical spread for the defaults). */
  scale: perFeature(z.number().positive(), 1),
  /** Standard errors of the weights (null for a feature that did not vary). */
  standardErrors: perFeature(z.number().nullable(), null).optional(),
  /** The penalty chosen by cross-validation. */
  lambda: z.number().nonnegative().optional(),
  trainedOn: z
    .object({
      snapshots: z.number().int().nonnegative(),
      events: z.number().int().nonnegative(),
      from: z.string(),
      to: z.string(),
      separated: z.boolean(),
    })
    .optional(),
});
export type HealthModel = z.infer<typeof ZHealthModel>;

/** Each signal's contribution to the log-odds, relative to the baseline (its value feature plus its missing-indicator). */
export function logOddsContributions(model: HealthModel, signals: Signals): Record<SignalName, number> {
  const x = featureVector(signals);
  const out = Object.fromEntries(SIGNAL_NAMES.map((n) => [n, 0])) as Record<SignalName, number>;
  FEATURE_NAMES.forEach((f, j) => {
    const s = signalOf(f);
    out[s] += model.weights[f] * ((x[j] as number) - model.baseline[f]);
  });
  return out;
}

/** The log-odds of churn within the horizon. */
export function churnLogOdds(model: HealthModel, signals: Signals): number {
  const c = logOddsContributions(model, signals);
  let eta = model.baselineLogOdds;
  for (const n of SIGNAL_NAMES) eta += c[n];
  return eta;
}

/** P(churn within the horizon). */
export function churnRisk(model: HealthModel, signals: Signals): number {
  const eta = churnLogOdds(model, signals);
  return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
}

/** A model's weights on the standardised scale (weight × spread): comparable across features. */
export function standardisedWeights(model: HealthModel): Record<FeatureName, number> {
  return Object.fromEntries(FEATURE_NAMES.map((f) => [f, model.weights[f] * model.scale[f]])) as Record<FeatureName, number>;
}
