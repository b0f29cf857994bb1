/**
 * Maximum likelihood for the CLV models: maximise over log-parameters (every parameter
 * stays > 0) with BFGS, falling back on Nelder–Mead and BFGS again when BFGS stalls; then
 * standard errors from the inverse of the numerical Hessian of the negative log-likelihood
 * in the natural parameters.
 */
import { AppError } from '../../../platform/errors.js';
import { minimizeBfgs, nelderMead, numericHessian, standardErrors, type Objective } from './optimize.js';

export interface LikelihoodModel {
  /** The parameters' names, in the order of θ. */
  names: readonly string[];
  /** The total log-likelihood at θ; with `grad` and an analytic gradient, ∂LL/∂θ written into it. */
  logLikelihood(theta: Float64Array, grad?: Float64Array): number;
  analyticGradient: boolean;
  /** The number of customers (scales the objective so that tolerances do not depend on it). */
  customers: number;
  start: readonly number[];
}

export interface MaximumLikelihood {
  theta: number[];
  standardErrors: number[];
  logLikelihood: number;
  iterations: number;
  evaluations: number;
}

export interface FitOptions {
  /** Converged when every |∂(−LL/n)/∂ log θ_i| is below this (default 1e-9). */
  gradTol?: number;
  maxIterations?: number;
  /** Starting values in the natural parameters (default: the model's). */
  start?: readonly number[];
}

/** log θ beyond this means a parameter ran off to 0 or ∞: the data do not identify the model. */
const LOG_BOUND = 40;
/** A fitted parameter beyond e^±18 (1.5e-8 … 6.6e7) is taken as running off rather than estimated. */
const RUNAWAY = 18;

export function maximiseLikelihood(model: LikelihoodModel, options: FitOptions = {}): MaximumLikelihood {
  const k = model.names.length;
  const W = model.customers;
  const theta = new Float64Array(k);
  const gTheta = new Float64Array(k);
  const objective: Objective = (u, grad) => {
    for (let i = 0; i < k; i++) {
      const ui = u[i] as number;
      if (!(Math.abs(ui) <= LOG_BOUND)) return Number.NaN;
      theta[i] = Math.exp(ui);
    }
    if (grad && model.analyticGradient) {
      const ll = model.logLikelihood(theta, gTheta);
      for (let i = 0; i < k; i++) grad[i] = (-(theta[i] as number) * (gTheta[i] as number)) / W;
      return -ll / W;
    }
    if (grad) {
      const f0 = -model.logLikelihood(theta) / W;
      const v = Float64Array.from(u);
      // five-point central differences: truncation O(h⁴) ≈ 1e-13, rounding ≈ 1e-12 at h = 1e-3
      const h = 1e-3;
      const at = (i: number, d: number) => {
        v[i] = (u[i] as number) + d;
        const fv = objective(v);
        v[i] = u[i] as number;
        return fv;
      };
      for (let i = 0; i < k; i++) grad[i] = (at(i, -2 * h) - 8 * at(i, -h) + 8 * at(i, h) - at(i, 2 * h)) / (12 * h);
      return f0;
    }
    return -model.logLikelihood(theta) / W;
  };
  const gradTol = options.gradTol ?? 1e-9;
  const start = (options.start ?? model.start).map((v) => Math.log(v));
  let best = minimizeBfgs(objective, start, { gradTol, maxIterations: options.maxIterations ?? 1000 });
  let iterations = best.iterations;
  let evaluations = best.evaluations;
  if (!best.converged) {
    const from = Number.isFinite(best.f) ? best.x : Float64Array.from(start);
    const nm = nelderMead((u) => objective(u), from, { maxIterations: 4000 });
    const again = minimizeBfgs(objective, nm.x, { gradTol, maxIterations: options.maxIterations ?? 1000 });
    iterations += nm.iterations + again.iterations;
    evaluations += nm.evaluations + again.evaluations;
    best = again.f <= best.f || !Number.isFinite(best.f) ? again : best;
  }
  if (!best.converged || !Number.isFinite(best.f)) {
    throw new AppError(
      'CLV_FIT_FAILED',
      `the likelihood maximisation did not converge (largest gradient ${best.gradNorm.toExponential(2)} after ${iterations} iterations); ` +
        `the data may not identify the model (too few repeat customers?)`,
      { names: model.names, at: Array.from(best.x, Math.exp) },
    );
  }
  const thetaHat = Array.from(best.x, Math.exp);
  const runaway = model.names.filter((_, i) => Math.abs(best.x[i] as number) > RUNAWAY);
  if (runaway.length > 0)
    throw new AppError('CLV_FIT_FAILED', `the likelihood has no maximum inside the parameter space: ${runaway.join(', ')} ran off to 0 or ∞ (too few repeat customers?)`, {
      names: model.names,
      at: thetaHat,
    });
  const nll = (t: Float64Array) => -model.logLikelihood(t);
  const nllGrad = model.analyticGradient
    ? (t: Float64Array, g: Float64Array) => {
        model.logLikelihood(t, g);
        for (let i = 0; i < k; i++) g[i] = -(g[i] as number);
      }
    : undefined;
  const H = numericHessian(nll, thetaHat, nllGrad);
  const se = standardErrors(H, k);
  if (se.some((v) => !Number.isFinite(v)))
    throw new AppError('CLV_FIT_FAILED', `the likelihood is flat at its maximum along ${model.names.filter((_, i) => !Number.isFinite(se[i])).join(', ') || 'some direction'}: the data do not identify the model`, {
      names: model.names,
      at: thetaHat,
    });
  return { theta: thetaHat, standardErrors: se, logLikelihood: -best.f * W, iterations, evaluations };
}

/** `{name: value}` from θ in the model's order. */
export const named = <N extends string>(names: readonly N[], values: readonly number[]): Record<N, number> =>
  Object.fromEntries(names.map((n, i) => [n, values[i] as number])) as Record<N, number>;
