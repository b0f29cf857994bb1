/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive,
 * a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase the customer drops
 * out with probability p ~ Beta(a, b). The likelihood of (x, t_x, T), in log space:
 *
 *   log L = log Γ(r+x) − log Γ(r) + r log α + log B(a, b+x) − log B(a, b)
 *         + log( (α+T)^{−(r+x)} + [x>0] · a/(b+x−1) · (α+t_x)^{−(r+x)} )
 *
 * The x-dependent gamma ratios are cumulative sums over k < x of log(r+k), log(b+k) and
 * log(a+b+k), built once per evaluation for x = 0 … max x, so that each distinct tuple costs
 * two logarithms and one exponential. The gradient is analytic.
 */
import { AppError } from '../../../platform/errors.js';
import { customerData, type CustomerData, type SummaryColumns } from './data.js';
import { maximiseLikelihood, named, type FitOptions, type LikelihoodModel } from './fit.js';
import { hyp2f1 } from './special.js';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdFit {
  model: 'bgnbd';
  params: BgNbdParams;
  standardErrors: BgNbdParams;
  logLikelihood: number;
  customers: number;
  iterations: number;
  evaluations: number;
}

const NAMES = ['r', 'alpha', 'a', 'b'] as const;

/** Reusable buffers for the per-x cumulative sums. */
class Workspace {
  lgR: Float64Array;
  dR: Float64Array;
  lgB: Float64Array;
  dBa: Float64Array;
  dBb: Float64Array;
  logA4: Float64Array;
  constructor(readonly maxX: number) {
    const m = maxX + 1;
    this.lgR = new Float64Array(m);
    this.dR = new Float64Array(m);
    this.lgB = new Float64Array(m);
    this.dBa = new Float64Array(m);
    this.dBb = new Float64Array(m);
    this.logA4 = new Float64Array(m);
  }
  fill(r: number, a: number, b: number): void {
    const { lgR, dR, lgB, dBa, dBb, logA4 } = this;
    const loga = Math.log(a);
    for (let x = 1; x <= this.maxX; x++) {
      const k = x - 1;
      lgR[x] = (lgR[k] as number) + Math.log(r + k);
      dR[x] = (dR[k] as number) + 1 / (r + k);
      lgB[x] = (lgB[k] as number) + Math.log((b + k) / (a + b + k));
      dBa[x] = (dBa[k] as number) - 1 / (a + b + k);
      dBb[x] = (dBb[k] as number) + 1 / (b + k) - 1 / (a + b + k);
      logA4[x] = loga - Math.log(b + k);
    }
  }
}

function checkParams(p: BgNbdParams): void {
  for (const n of NAMES) if (!(p[n] > 0 && Number.isFinite(p[n]))) throw new AppError('CLV_INPUT_INVALID', `BG/NBD parameter ${n} must be a positive number (got ${p[n]})`);
}

/**
 * The total log-likelihood of the customers in `data` (each tuple counted `weight` times);
 * with `grad`, its gradient in (r, α, a, b) written there.
 */
export function bgNbdLogLikelihood(params: BgNbdParams, data: CustomerData, grad?: Float64Array, work?: Workspace): number {
  const { r, alpha, a, b } = params;
  const ws = work ?? new Workspace(data.maxX);
  ws.fill(r, a, b);
  const { lgR, dR, lgB, dBa, dBb, logA4 } = ws;
  const { x: X, tx: TX, T: TT, weight: W, size } = data;
  const logAlpha = Math.log(alpha);
  let ll = 0;
  let gr = 0;
  let gal = 0;
  let ga = 0;
  let gb = 0;
  for (let i = 0; i < size; i++) {
    const x = X[i] as number;
    const w = W[i] as number;
    const rx = r + x;
    const aT = alpha + (TT[i] as number);
    const la = Math.log(aT);
    const A3 = -rx * la;
    let li: number;
    let w4 = 0;
    let lt = 0;
    let at = 1;
    if (x > 0) {
      at = alpha + (TX[i] as number);
      lt = Math.log(at);
      const A4 = (logA4[x] as number) - rx * lt;
      if (A4 > A3) {
        const e = Math.exp(A3 - A4);
        li = A4 + Math.log1p(e);
        w4 = 1 / (1 + e);
      } else {
        const e = Math.exp(A4 - A3);
        li = A3 + Math.log1p(e);
        w4 = e / (1 + e);
      }
    } else li = A3;
    ll += w * ((lgR[x] as number) + r * logAlpha + (lgB[x] as number) + li);
    if (grad) {
      const w3 = 1 - w4;
      gr += w * ((dR[x] as number) + logAlpha - w3 * la - w4 * lt);
      gal += w * (r / alpha - rx * (w3 / aT + (x > 0 ? w4 / at : 0)));
      ga += w * ((dBa[x] as number) + w4 / a);
      gb += w * ((dBb[x] as number) - (x > 0 ? w4 / (b + x - 1) : 0));
    }
  }
  if (grad) {
    grad[0] = gr;
    grad[1] = gal;
    grad[2] = ga;
    grad[3] = gb;
  }
  return ll;
}

/** A likelihood over these customers for the generic maximiser. */
export function bgNbdModel(data: CustomerData): LikelihoodModel {
  const ws = new Workspace(data.maxX);
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < data.size; i++) {
    sx += (data.x[i] as number) * (data.weight[i] as number);
    sT += (data.T[i] as number) * (data.weight[i] as number);
  }
  // start: r = 1 and α matching the mean purchase rate; a and b of a 1-in-3 drop-out
  const rate = Math.max(sx, 0.5) / sT;
  return {
    names: NAMES,
    analyticGradient: true,
    customers: data.customers,
    start: [1, 1 / rate, 1, 2],
    logLikelihood: (t, g) => bgNbdLogLikelihood({ r: t[0] as number, alpha: t[1] as number, a: t[2] as number, b: t[3] as number }, data, g, ws),
  };
}

/** Fit BG/NBD by maximum likelihood; standard errors from the inverse Hessian. */
export function fitBgNbd(input: CustomerData | SummaryColumns, options: FitOptions = {}): BgNbdFit {
  const data = 'tupleOf' in input ? input : customerData(input);
  const mle = maximiseLikelihood(bgNbdModel(data), options);
  const params = named(NAMES, mle.theta);
  return {
    model: 'bgnbd',
    params,
    standardErrors: named(NAMES, mle.standardErrors),
    logLikelihood: bgNbdLogLikelihood(params, data),
    customers: data.customers,
    iterations: mle.iterations,
    evaluations: mle.evaluations,
  };
}

/** P(alive at T | x, t_x, T) = 1 / (1 + [x>0] · a/(b+x−1) · ((α+T)/(α+t_x))^{r+x}). */
export function bgNbdPAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  checkParams(params);
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/**
 * P(Y(t) ≥ 1 | x, t_x, T): the chance of at least one purchase in the next t periods,
 *
 *   P(alive) · (1 − ((α+T)/(α+T+t))^{r+x}).
 *
 * A customer who is gone buys nothing. One who is alive at T has λ | data ~ Gamma(r+x, α+T)
 * (the alive part of the likelihood, λ^x e^{−λT} (1−p)^x, separates λ from p), and drop-out
 * happens only after a purchase, so the first purchase after T comes at rate λ whatever p is:
 * P(none in t | alive, λ) = e^{−λt}, whose posterior mean is ((α+T)/(α+T+t))^{r+x}.
 */
export function bgNbdProbabilityOfPurchase(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  checkParams(params);
  if (!(t >= 0)) throw new AppError('CLV_INPUT_INVALID', `the horizon must be ≥ 0 (got ${t})`);
  if (t === 0) return 0;
  const { r, alpha } = params;
  return -Math.expm1((r + x) * Math.log((alpha + T) / (alpha + T + t))) * bgNbdPAlive(params, x, tx, T);
}

/**
 * 1 − (1−z)^{a−1} · 2F1(a+b−1−r, a−1; c; z), divided by (a − 1): the bracket shared by the
 * expected-transactions formulas after Euler's transformation
 * 2F1(r+x, b+x; c; z) = (1−z)^{c−r−x−b−x} 2F1(c−r−x, c−b−x; c; z) with c = a+b+x−1.
 */
function bracketOverAm1(r: number, a: number, b: number, c: number, z: number): number {
  const am1 = a - 1;
  const F = hyp2f1(a + b - 1 - r, am1, c, z);
  const L = Math.log1p(-z);
  if (Math.abs(am1) < 1e-7) {
    // limit a → 1: [1 − e^{(a−1)L} F]/(a−1) with F = 1 + (a−1)·G + O((a−1)²)
    const eps = 1e-6;
    const Fp = hyp2f1(a + eps + b - 1 - r, eps, c + eps, z);
    return -L - (Fp - 1) / eps;
  }
  return -Math.expm1(am1 * L + Math.log(F)) / am1;
}

/**
 * E[X(t)] for a customer just acquired:
 * (a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))].
 */
export function bgNbdExpectedNew(params: BgNbdParams, t: number): number {
  checkParams(params);
  if (!(t >= 0)) throw new AppError('CLV_INPUT_INVALID', `the horizon must be ≥ 0 (got ${t})`);
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  const z = t / (alpha + t);
  return (a + b - 1) * bracketOverAm1(r, a, b, a + b - 1, z);
}

/**
 * E[Y(t) | x, t_x, T], the expected purchases in the next t periods:
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *   / (1 + [x>0] · a/(b+x−1) · ((α+T)/(α+t_x))^{r+x}).
 */
export function bgNbdExpected(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  checkParams(params);
  if (!(t >= 0)) throw new AppError('CLV_INPUT_INVALID', `the horizon must be ≥ 0 (got ${t})`);
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  return c * bracketOverAm1(r, a, b, c, z) * bgNbdPAlive(params, x, tx, T);
}
