/**
 * Customers drawn from the models with known parameters, from a seedable source: for
 * testing that the fits recover what generated the data, and for benchmarks.
 */
import type { Random } from '../../../platform/random.js';
import type { BgNbdParams } from './bgnbd.js';
import type { GammaGammaParams } from './gamma-gamma.js';
import type { ParetoNbdParams } from './pareto.js';

const uniform = (rng: Random) => 1 - rng.next(); // (0, 1]

export function normal(rng: Random): number {
  return Math.sqrt(-2 * Math.log(uniform(rng))) * Math.cos(2 * Math.PI * rng.next());
}

/** Gamma(shape, rate) by Marsaglia & Tsang (shape < 1 through the U^{1/shape} boost). */
export function gamma(rng: Random, shape: number, rate: number): number {
  if (shape < 1) return gamma(rng, shape + 1, rate) * Math.pow(uniform(rng), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniform(rng);
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

export function beta(rng: Random, a: number, b: number): number {
  const x = gamma(rng, a, 1);
  const y = gamma(rng, b, 1);
  return x / (x + y);
}

export interface SimulatedCustomers {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Purchases in (T, T + holdout], when a holdout length was given. */
  holdout?: Float64Array;
}

export interface SimulationOptions {
  /** Each customer's T, drawn uniformly in [min, max] (default 26 to 52). */
  T?: { min: number; max: number };
  /** Round recency and T down to multiples of this (e.g. 1/7 of a week, as daily records counted in weeks). */
  resolution?: number;
  /** Also count purchases in the next `holdout` periods. */
  holdout?: number;
}

function draws(n: number, options: SimulationOptions) {
  const { min, max } = options.T ?? { min: 26, max: 52 };
  const round = (v: number) => (options.resolution ? Math.floor(v / options.resolution + 1e-9) * options.resolution : v);
  return { min, max, round, out: { frequency: new Float64Array(n), recency: new Float64Array(n), T: new Float64Array(n), ...(options.holdout ? { holdout: new Float64Array(n) } : {}) } };
}

/** BG/NBD customers: purchases at rate λ ~ Gamma(r, α); after each repeat purchase, gone with probability p ~ Beta(a, b). */
export function simulateBgNbd(params: BgNbdParams, n: number, rng: Random, options: SimulationOptions = {}): SimulatedCustomers {
  const { min, max, round, out } = draws(n, options);
  const horizon = options.holdout ?? 0;
  for (let i = 0; i < n; i++) {
    const T = round(min + (max - min) * rng.next());
    const lambda = gamma(rng, params.r, params.alpha);
    const p = beta(rng, params.a, params.b);
    let t = 0;
    let x = 0;
    let tx = 0;
    let later = 0;
    for (;;) {
      t += -Math.log(uniform(rng)) / lambda;
      if (t > T + horizon) break;
      if (t <= T) {
        x++;
        tx = t;
      } else later++;
      if (rng.next() < p) break;
    }
    out.frequency[i] = x;
    out.recency[i] = x > 0 ? Math.min(round(tx), T) : 0;
    out.T[i] = T;
    if (out.holdout) out.holdout[i] = later;
  }
  return out;
}

/** Pareto/NBD customers: purchases at rate λ ~ Gamma(r, α) during an exponential lifetime of rate μ ~ Gamma(s, β). */
export function simulateParetoNbd(params: ParetoNbdParams, n: number, rng: Random, options: SimulationOptions = {}): SimulatedCustomers {
  const { min, max, round, out } = draws(n, options);
  const horizon = options.holdout ?? 0;
  for (let i = 0; i < n; i++) {
    const T = round(min + (max - min) * rng.next());
    const lambda = gamma(rng, params.r, params.alpha);
    const mu = gamma(rng, params.s, params.beta);
    const lifetime = -Math.log(uniform(rng)) / mu;
    const end = Math.min(lifetime, T + horizon);
    let t = 0;
    let x = 0;
    let tx = 0;
    let later = 0;
    for (;;) {
      t += -Math.log(uniform(rng)) / lambda;
      if (t > end) break;
      if (t <= T) {
        x++;
        tx = t;
      } else later++;
    }
    out.frequency[i] = x;
    out.recency[i] = x > 0 ? Math.min(round(tx), T) : 0;
    out.T[i] = T;
    if (out.holdout) out.holdout[i] = later;
  }
  return out;
}

/** Mean spend of each customer's `frequency` repeat purchases: each Gamma(p, ν), ν ~ Gamma(q, v); 0 when there are none. */
export function simulateSpend(params: GammaGammaParams, frequency: ArrayLike<number>, rng: Random): Float64Array {
  const out = new Float64Array(frequency.length);
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    if (x === 0) continue;
    const nu = gamma(rng, params.q, params.v);
    // the sum of x Gamma(p, ν) purchases is Gamma(px, ν)
    out[i] = gamma(rng, params.p * x, nu) / x;
  }
  return out;
}
