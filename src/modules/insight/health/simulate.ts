/**
 * A synthetic workspace whose churn follows a known logistic model over the health
 * features: for testing that learning recovers it, and for demo data. Seedable. Pure.
 *
 * Each customer has a latent engagement u ~ N(0, 1) (wobbling by N(0, 0.5²) from one
 * snapshot to the next) that drives every signal, so the signals are correlated as real
 * ones are. Snapshots are taken every `horizonDays` from `start`; the label of a snapshot
 * is drawn from σ(intercept + Σ truth_f · x_f) on its features x, and a customer who churns
 * has no later snapshot.
 */
import type { Random } from '../../../platform/random.js';
import { seededRandom } from '../../../platform/random.js';
import { FEATURE_NAMES, featureVector, type FeatureName, type HealthSnapshot, type Signals } from './signals.js';

export interface ChurnTruth {
  intercept: number;
  /** Log-odds per unit of each transformed feature; absent means 0. */
  weights: Partial<Record<FeatureName, number>>;
}

export interface WorkspaceOptions {
  customers: number;
  seed: number;
  truth: ChurnTruth;
  /** ISO date of the first snapshot (default 2024-01-01). */
  start?: string;
  /** Snapshots per customer at most (default 6). */
  periods?: number;
  /** Days between snapshots, and the label's horizon (default 90). */
  horizonDays?: number;
}

export interface SimulatedWorkspace {
  snapshots: HealthSnapshot[];
  /** The true P(churn) of each snapshot. */
  trueRisk: number[];
}

const uniform = (rng: Random) => 1 - rng.next(); // (0, 1]
export function normal(rng: Random): number {
  return Math.sqrt(-2 * Math.log(uniform(rng))) * Math.cos(2 * Math.PI * rng.next());
}
export function poisson(rng: Random, mean: number): number {
  // inversion: fine for the small means used here
  let k = 0;
  let p = Math.exp(-mean);
  let s = p;
  const u = rng.next();
  while (u > s && k < 1000) {
    k++;
    p *= mean / k;
    s += p;
  }
  return k;
}
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const sigma = (x: number) => 1 / (1 + Math.exp(-x));

/** One customer's signals at engagement u (and the previous u, for trends), `tenure` days in. */
export function simulateSignals(rng: Random, u: number, previousU: number, tenure: number): Signals {
  const tickets = poisson(rng, Math.exp(0.4 - 0.3 * u + 0.4 * normal(rng)));
  let breaches = 0;
  for (let t = 0; t < tickets; t++) if (rng.next() < 0.12) breaches++;
  return {
    npsLast: rng.next() < 0.55 ? clamp(Math.round(7.3 + 1.6 * u + 1.3 * normal(rng)), 0, 10) : null,
    csatLast: rng.next() < 0.45 ? clamp(Math.round(4 + 0.6 * u + 0.7 * normal(rng)), 1, 5) : null,
    sentimentTrend: rng.next() < 0.4 ? clamp(0.25 * (u - previousU) + 0.2 * normal(rng), -1, 1) : null,
    ticketsLast30d: tickets,
    slaBreachesLast30d: breaches,
    usageTrend: rng.next() < 0.92 ? 0.5 * (u - previousU) + 0.1 * u + 0.35 * normal(rng) : null,
    pAlive: clamp(sigma(1.2 + 0.9 * u + 0.8 * normal(rng)), 0, 1),
    paymentFailuresLast90d: poisson(rng, 0.12 * Math.exp(-0.5 * u)),
    tenureDays: tenure,
    daysSinceLastActivity: Math.round(-Math.log(uniform(rng)) * Math.exp(2.3 - 0.7 * u)),
  };
}

export function simulateWorkspace(options: WorkspaceOptions): SimulatedWorkspace {
  const rng = seededRandom(options.seed);
  const periods = options.periods ?? 6;
  const H = options.horizonDays ?? 90;
  const start = Date.parse(options.start ?? '2024-01-01');
  const w = FEATURE_NAMES.map((f) => options.truth.weights[f] ?? 0);
  const snapshots: HealthSnapshot[] = [];
  const trueRisk: number[] = [];
  for (let c = 0; c < options.customers; c++) {
    const id = `c${c}`;
    // joined up to three years before the start, or during the simulated period
    const joined = Math.floor(-1095 + rng.next() * (1095 + (periods - 1) * H));
    const base = normal(rng);
    let previousU = base + 0.5 * normal(rng);
    for (let k = 0; k < periods; k++) {
      const day = k * H;
      const tenure = day - joined;
      if (tenure < 14) continue;
      const u = base + 0.5 * normal(rng);
      const signals = simulateSignals(rng, u, previousU, tenure);
      previousU = u;
      const x = featureVector(signals);
      let eta = options.truth.intercept;
      for (let j = 0; j < w.length; j++) eta += (w[j] as number) * (x[j] as number);
      const risk = sigma(eta);
      const churned = rng.next() < risk;
      snapshots.push({ customerId: id, at: new Date(start + day * 86_400_000).toISOString().slice(0, 10), signals, churned });
      trueRisk.push(risk);
      if (churned) break;
    }
  }
  return { snapshots, trueRisk };
}
