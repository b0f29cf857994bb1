/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987), in the formulation of Fader & Hardie,
 * "A note on deriving the Pareto/NBD model and related expressions" (2005): purchases at
 * rate λ ~ Gamma(r, α) while alive, lifetimes exponential at rate μ ~ Gamma(s, β).
 *
 *   L = Γ(r+x) α^r β^s / Γ(r) · { (α+T)^{−(r+x)} (β+T)^{−s} + s/(r+s+x) · A₀ }
 *
 * with, for α ≥ β (m = α, the second 2F1 parameter s+1) or α < β (m = β, parameter r+x),
 *
 *   A₀ = 2F1(r+s+x, ·; r+s+x+1; |α−β|/(m+t_x)) / (m+t_x)^{r+s+x}
 *      − 2F1(r+s+x, ·; r+s+x+1; |α−β|/(m+T)) / (m+T)^{r+s+x}
 *
 * Everything in log space; each 2F1 is taken through Euler's transformation
 * 2F1(A, B; A+1; z) = (1−z)^{1−B} 2F1(1, A+1−B; A+1; z), whose series has positive terms
 * shrinking at least as fast as z^k, so its logarithm is exact and cheap. The gradient is
 * by central differences.
 */
import { AppError } from '../../../platform/errors.js';
import { customerData, type CustomerData, type SummaryColumns } from './data.js';
import { maximiseLikelihood, named, type FitOptions, type LikelihoodModel } from './fit.js';
import { hyp2f1, logAddExp, logSubExp } from './special.js';

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export interface ParetoNbdFit {
  model: 'pareto';
  params: ParetoNbdParams;
  standardErrors: ParetoNbdParams;
  logLikelihood: number;
  customers: number;
  iterations: number;
  evaluations: number;
}

const NAMES = ['r', 'alpha', 's', 'beta'] as const;

function checkParams(p: ParetoNbdParams): void {
  for (const n of NAMES) if (!(p[n] > 0 && Number.isFinite(p[n]))) throw new AppError('CLV_INPUT_INVALID', `Pareto/NBD parameter ${n} must be a positive number (got ${p[n]})`);
}

/** log 2F1(A, B; A+1; z) for A, B > 0 and 0 ≤ z < 1. */
function log2f1Shifted(A: number, B: number, z: number): number {
  if (z === 0) return 0;
  return (1 - B) * Math.log1p(-z) + Math.log(hyp2f1(1, A + 1 - B, A + 1, z));
}

/** log A₀ (−∞ when t_x = T). */
export function paretoLogA0(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = params;
  const rsx = r + s + x;
  const [m, B] = alpha >= beta ? [alpha, s + 1] : [beta, r + x];
  const d = Math.abs(alpha - beta);
  const q1 = m + tx;
  const q2 = m + T;
  const l1 = log2f1Shifted(rsx, B, d / q1) - rsx * Math.log(q1);
  const l2 = log2f1Shifted(rsx, B, d / q2) - rsx * Math.log(q2);
  return l1 > l2 ? logSubExp(l1, l2) : -Infinity;
}

/** The log-likelihood of one customer. */
export function paretoCustomerLogLikelihood(params: ParetoNbdParams, x: number, tx: number, T: number, lgammaRatio?: number): number {
  const { r, alpha, s, beta } = params;
  let lg = lgammaRatio;
  if (lg === undefined) {
    lg = 0;
    for (let k = 0; k < x; k++) lg += Math.log(r + k);
  }
  const first = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const second = Math.log(s / (r + s + x)) + paretoLogA0(params, x, tx, T);
  return lg + r * Math.log(alpha) + s * Math.log(beta) + logAddExp(first, second);
}

/** The total log-likelihood of the customers in `data`. */
export function paretoLogLikelihood(params: ParetoNbdParams, data: CustomerData): number {
  const lgR = new Float64Array(data.maxX + 1);
  for (let x = 1; x <= data.maxX; x++) lgR[x] = (lgR[x - 1] as number) + Math.log(params.r + x - 1);
  let ll = 0;
  for (let i = 0; i < data.size; i++) {
    const x = data.x[i] as number;
    ll += (data.weight[i] as number) * paretoCustomerLogLikelihood(params, x, data.tx[i] as number, data.T[i] as number, lgR[x] as number);
  }
  return ll;
}

export function paretoModel(data: CustomerData): LikelihoodModel {
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < data.size; i++) {
    sx += (data.x[i] as number) * (data.weight[i] as number);
    sT += (data.T[i] as number) * (data.weight[i] as number);
  }
  const rate = Math.max(sx, 0.5) / sT;
  let meanT = sT / data.customers;
  if (!(meanT > 0)) meanT = 1;
  return {
    names: NAMES,
    analyticGradient: false,
    customers: data.customers,
    start: [1, 1 / rate, 1, meanT],
    logLikelihood: (t) => paretoLogLikelihood({ r: t[0] as number, alpha: t[1] as number, s: t[2] as number, beta: t[3] as number }, data),
  };
}

/** Fit Pareto/NBD by maximum likelihood; standard errors from the inverse Hessian. */
export function fitParetoNbd(input: CustomerData | SummaryColumns, options: FitOptions = {}): ParetoNbdFit {
  const data = 'tupleOf' in input ? input : customerData(input);
  const mle = maximiseLikelihood(paretoModel(data), options);
  const params = named(NAMES, mle.theta);
  return {
    model: 'pareto',
    params,
    standardErrors: named(NAMES, mle.standardErrors),
    logLikelihood: paretoLogLikelihood(params, data),
    customers: data.customers,
    iterations: mle.iterations,
    evaluations: mle.evaluations,
  };
}

/** P(alive at T | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^{r+x} (β+T)^s · A₀). */
export function paretoPAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  checkParams(params);
  const { r, alpha, s, beta } = params;
  const logOdds = Math.log(s / (r + s + x)) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + paretoLogA0(params, x, tx, T);
  if (logOdds === -Infinity) return 1;
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/** [1 − (β/(β+t))^{s−1}] / (s − 1), continuous through s = 1 (where it is log((β+t)/β)). */
function survivalIntegral(s: number, beta: number, t: number): number {
  const L = Math.log1p(t / beta);
  const sm1 = s - 1;
  return Math.abs(sm1) < 1e-12 ? L : -Math.expm1(-sm1 * L) / sm1;
}

/** E[X(t)] for a customer just acquired: rβ/(α(s−1)) · [1 − (β/(β+t))^{s−1}]. */
export function paretoExpectedNew(params: ParetoNbdParams, t: number): number {
  checkParams(params);
  if (!(t >= 0)) throw new AppError('CLV_INPUT_INVALID', `the horizon must be ≥ 0 (got ${t})`);
  const { r, alpha, beta, s } = params;
  return ((r * beta) / alpha) * survivalIntegral(s, beta, t);
}

/** E[Y(t) | x, t_x, T] = (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^{s−1}] · P(alive). */
export function paretoExpected(params: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  checkParams(params);
  if (!(t >= 0)) throw new AppError('CLV_INPUT_INVALID', `the horizon must be ≥ 0 (got ${t})`);
  const { r, alpha, s, beta } = params;
  return (((r + x) * (beta + T)) / (alpha + T)) * survivalIntegral(s, beta + T, t) * paretoPAlive(params, x, tx, T);
}
