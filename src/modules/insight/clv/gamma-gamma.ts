/**
 * Gamma-Gamma spend model (Fader & Hardie, "The Gamma-Gamma model of monetary value",
 * 2013): each purchase of a customer is Gamma(p, ν) with ν ~ Gamma(q, v) across customers.
 * Fitted on the customers with repeat purchases (x > 0) from x and their mean repeat spend m̄:
 *
 *   log L = log Γ(px+q) − log Γ(px) − log Γ(q) + q log v + (px−1) log m̄ + px log x − (px+q) log(x m̄ + v)
 *
 * The gamma terms depend on x only and are computed once per distinct x; the gradient is analytic.
 */
import { AppError } from '../../../platform/errors.js';
import { maximiseLikelihood, named, type FitOptions, type LikelihoodModel } from './fit.js';
import { digamma, lgamma } from './special.js';

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export interface GammaGammaFit {
  model: 'gamma-gamma';
  params: GammaGammaParams;
  standardErrors: GammaGammaParams;
  logLikelihood: number;
  /** Customers with x > 0 that the model was fitted on. */
  customers: number;
  iterations: number;
  evaluations: number;
}

const NAMES = ['p', 'q', 'v'] as const;

/** Repeat customers' frequency and mean repeat spend, validated. */
export interface SpendData {
  x: Float64Array;
  logM: Float64Array;
  xm: Float64Array;
  /** Distinct frequencies and how many customers hold each. */
  distinctX: Float64Array;
  xIndex: Int32Array;
  count: Float64Array;
  customers: number;
}

/**
 * The repeat customers (frequency > 0) of these columns; customers with frequency 0 are
 * skipped, a repeat customer without a positive finite mean spend is CLV_INPUT_INVALID.
 */
export function spendData(frequency: ArrayLike<number>, monetary: ArrayLike<number>): SpendData {
  if (frequency.length !== monetary.length) throw new AppError('CLV_INPUT_INVALID', `frequency and monetary value must have the same length (${frequency.length}, ${monetary.length})`);
  const keep: number[] = [];
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    const m = monetary[i] as number;
    if (!Number.isFinite(x) || x < 0 || !Number.isInteger(x)) throw new AppError('CLV_INPUT_INVALID', `customer ${i}: frequency must be a whole number ≥ 0 (got ${x})`);
    if (x === 0) continue;
    if (!Number.isFinite(m) || !(m > 0)) throw new AppError('CLV_INPUT_INVALID', `customer ${i}: a repeat customer's mean spend must be a positive number (got ${m})`);
    keep.push(i);
  }
  if (keep.length === 0) throw new AppError('CLV_INPUT_INVALID', 'no customers with repeat purchases: the Gamma-Gamma model needs some');
  const n = keep.length;
  const x = new Float64Array(n);
  const logM = new Float64Array(n);
  const xm = new Float64Array(n);
  const xIndex = new Int32Array(n);
  const slot = new Map<number, number>();
  const distinct: number[] = [];
  const counts: number[] = [];
  keep.forEach((i, j) => {
    const xi = frequency[i] as number;
    const mi = monetary[i] as number;
    x[j] = xi;
    logM[j] = Math.log(mi);
    xm[j] = xi * mi;
    let s = slot.get(xi);
    if (s === undefined) {
      s = distinct.length;
      slot.set(xi, s);
      distinct.push(xi);
      counts.push(0);
    }
    counts[s] = (counts[s] as number) + 1;
    xIndex[j] = s;
  });
  return { x, logM, xm, distinctX: Float64Array.from(distinct), xIndex, count: Float64Array.from(counts), customers: n };
}

/** Total log-likelihood; with `grad`, the gradient in (p, q, v). */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendData, grad?: Float64Array): number {
  const { p, q, v } = params;
  const k = data.distinctX.length;
  const perX = new Float64Array(k);
  const dpX = new Float64Array(k);
  const dqX = new Float64Array(k);
  const lgq = lgamma(q);
  const psiq = grad ? digamma(q) : 0;
  const logv = Math.log(v);
  let ll = 0;
  for (let j = 0; j < k; j++) {
    const x = data.distinctX[j] as number;
    const px = p * x;
    const logx = Math.log(x);
    perX[j] = lgamma(px + q) - lgamma(px) - lgq + q * logv + px * logx;
    ll += (data.count[j] as number) * (perX[j] as number);
    if (grad) {
      const psi = digamma(px + q);
      dpX[j] = x * (psi - digamma(px) + logx);
      dqX[j] = psi - psiq + logv;
    }
  }
  let gp = 0;
  let gq = 0;
  let gv = 0;
  const { x: X, logM, xm, xIndex } = data;
  for (let i = 0; i < data.customers; i++) {
    const x = X[i] as number;
    const lm = logM[i] as number;
    const denom = (xm[i] as number) + v;
    const ld = Math.log(denom);
    const pxq = p * x + q;
    ll += (p * x - 1) * lm - pxq * ld;
    if (grad) {
      const j = xIndex[i] as number;
      gp += (dpX[j] as number) + x * (lm - ld);
      gq += (dqX[j] as number) - ld;
      gv += q / v - pxq / denom;
    }
  }
  if (grad) {
    grad[0] = gp;
    grad[1] = gq;
    grad[2] = gv;
  }
  return ll;
}

export function gammaGammaModel(data: SpendData): LikelihoodModel {
  let mean = 0;
  for (let i = 0; i < data.customers; i++) mean += Math.exp(data.logM[i] as number);
  mean /= data.customers;
  // start: p = 2, q = 3 and v matching the mean spend (E[m] = p v/(q−1))
  return {
    names: NAMES,
    analyticGradient: true,
    customers: data.customers,
    start: [2, 3, mean],
    logLikelihood: (t, g) => gammaGammaLogLikelihood({ p: t[0] as number, q: t[1] as number, v: t[2] as number }, data, g),
  };
}

/** Fit Gamma-Gamma by maximum likelihood on the repeat customers of (frequency, mean repeat spend). */
export function fitGammaGamma(input: SpendData | { frequency: ArrayLike<number>; monetary: ArrayLike<number> }, options: FitOptions = {}): GammaGammaFit {
  const data = 'logM' in input ? input : spendData(input.frequency, input.monetary);
  const mle = maximiseLikelihood(gammaGammaModel(data), options);
  const params = named(NAMES, mle.theta);
  return {
    model: 'gamma-gamma',
    params,
    standardErrors: named(NAMES, mle.standardErrors),
    logLikelihood: gammaGammaLogLikelihood(params, data),
    customers: data.customers,
    iterations: mle.iterations,
    evaluations: mle.evaluations,
  };
}

/**
 * E[M | x, m̄] = p(v + x m̄)/(px + q − 1): a weighted mean of the population mean p v/(q − 1)
 * and the customer's own m̄. For x = 0 (no repeat purchases), the population mean. Needs q > 1.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, meanSpend: number): number {
  const { p, q, v } = params;
  if (!(q > 1)) throw new AppError('CLV_INPUT_INVALID', `the Gamma-Gamma expected spend needs q > 1 (got ${q})`);
  if (x === 0) return (p * v) / (q - 1);
  if (!(meanSpend > 0)) throw new AppError('CLV_INPUT_INVALID', `a repeat customer's mean spend must be positive (got ${meanSpend})`);
  return (p * (v + x * meanSpend)) / (p * x + q - 1);
}
