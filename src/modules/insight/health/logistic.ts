/**
 * L2-regularised logistic regression, fitted by Newton–Raphson (IRLS) with step halving.
 * Pure maths: no I/O.
 *
 * The columns are standardised (mean 0, standard deviation 1) before the fit, so that one
 * penalty suits every column; the intercept is not penalised. The objective is the mean
 * negative log-likelihood plus (λ/2)·Σ β_j² over the standardised slopes:
 *
 *   J(β) = (1/n) Σ_i [log(1 + e^{η_i}) − y_i η_i] + (λ/2) Σ_{j≥1} β_j²,   η_i = β_0 + Σ_j β_j z_ij
 *
 * (so that λ does not depend on n). λ is picked by stratified k-fold cross-validated
 * log-loss over a small grid (`fitLogisticCV`). Standard errors come from the inverse of the
 * Hessian of the penalised total negative log-likelihood (XᵀWX + nλĨ)⁻¹, mapped back to the
 * raw columns; with λ > 0 they are the posterior standard deviations under the Gaussian
 * prior that the penalty stands for, slightly smaller than the unpenalised ones.
 *
 * Guards: a column with no variation gets coefficient 0 (and standard error NaN) and stays
 * out of the fit; with λ = 0 on separable data (where the maximum is at infinity) the fit
 * stops when a standardised slope passes `maxStandardisedCoefficient`, or ends with some
 * rows at fitted probability numerically 0 or 1 all on their observed side (quasi-complete
 * separation), and is redone with the small penalty `separationLambda`, with `separated` set.
 */
import { AppError } from '../../../platform/errors.js';
import { seededRandom } from '../../../platform/random.js';

export type Rows = readonly ArrayLike<number>[];

export interface LogisticOptions {
  /** The penalty λ on the standardised slopes (default 0: maximum likelihood). */
  lambda?: number;
  /** Converged when max |∂J/∂β| ≤ this (default 1e-10). */
  tolerance?: number;
  maxIterations?: number;
  /** With λ = 0, a standardised slope beyond this means separation (default 30). */
  maxStandardisedCoefficient?: number;
  /** The penalty used instead of 0 when the data are separable (default 1e-3). */
  separationLambda?: number;
}

export interface LogisticFit {
  /** On the raw columns: P(y = 1 | x) = σ(intercept + Σ coefficients_j x_j). */
  intercept: number;
  coefficients: Float64Array;
  standardErrors: { intercept: number; coefficients: Float64Array };
  /** On the standardised columns z_j = (x_j − means_j) / scales_j. */
  standardised: { intercept: number; coefficients: Float64Array; standardErrors: Float64Array };
  means: Float64Array;
  /** Population standard deviations of the columns (1 for constant columns). */
  scales: Float64Array;
  /** Columns with no variation: left out, coefficient 0. */
  constant: boolean[];
  /** The penalty actually used. */
  lambda: number;
  /** Unpenalised total log-likelihood at the fit. */
  logLikelihood: number;
  /** J at the fit. */
  objective: number;
  iterations: number;
  converged: boolean;
  /** The fitted linear predictor separates the classes completely (or λ = 0 ran off). */
  separated: boolean;
  n: number;
  events: number;
}

const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
export const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
export const logit = (p: number) => Math.log(p / (1 - p));

/** Cholesky factor (lower, row-major) of a symmetric positive definite k×k matrix; null if it is not. */
export function cholesky(A: Float64Array, k: number): Float64Array | null {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * k + j] as number;
      for (let m = 0; m < j; m++) s -= (L[i * k + m] as number) * (L[j * k + m] as number);
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * k + i] = Math.sqrt(s);
      } else L[i * k + j] = s / (L[j * k + j] as number);
    }
  }
  return L;
}

export function choleskySolve(L: Float64Array, k: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < k; i++) {
    let s = x[i] as number;
    for (let m = 0; m < i; m++) s -= (L[i * k + m] as number) * (x[m] as number);
    x[i] = s / (L[i * k + i] as number);
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let m = i + 1; m < k; m++) s -= (L[m * k + i] as number) * (x[m] as number);
    x[i] = s / (L[i * k + i] as number);
  }
  return x;
}

/** Factor A, adding a growing ridge to the diagonal when rounding makes it lose definiteness. */
function robustCholesky(A: Float64Array, k: number): Float64Array {
  let L = cholesky(A, k);
  let trace = 0;
  for (let i = 0; i < k; i++) trace += Math.abs(A[i * k + i] as number);
  for (let jitter = 1e-12 * Math.max(trace / k, 1e-300); !L; jitter *= 10) {
    const B = Float64Array.from(A);
    for (let i = 0; i < k; i++) B[i * k + i] = (B[i * k + i] as number) + jitter;
    L = cholesky(B, k);
    if (jitter > 1e6) throw new AppError('HEALTH_INPUT_INVALID', 'logistic regression: the Hessian is not positive definite');
  }
  return L;
}

interface Standardised {
  /** n × q row-major, with a leading column of ones (q = kept + 1). */
  Z: Float64Array;
  q: number;
  kept: number[];
  means: Float64Array;
  scales: Float64Array;
  constant: boolean[];
}

function standardise(X: Rows, p: number): Standardised {
  const n = X.length;
  const means = new Float64Array(p);
  const scales = new Float64Array(p).fill(1);
  for (const row of X) for (let j = 0; j < p; j++) means[j] = (means[j] as number) + (row[j] as number) / n;
  const variance = new Float64Array(p);
  for (const row of X)
    for (let j = 0; j < p; j++) {
      const d = (row[j] as number) - (means[j] as number);
      variance[j] = (variance[j] as number) + (d * d) / n;
    }
  const constant: boolean[] = [];
  const kept: number[] = [];
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt(variance[j] as number);
    const isConstant = !(sd > 1e-10 * Math.max(1, Math.abs(means[j] as number)));
    constant.push(isConstant);
    if (!isConstant) {
      scales[j] = sd;
      kept.push(j);
    }
  }
  const q = kept.length + 1;
  const Z = new Float64Array(n * q);
  for (let i = 0; i < n; i++) {
    const row = X[i] as ArrayLike<number>;
    Z[i * q] = 1;
    kept.forEach((j, c) => (Z[i * q + c + 1] = ((row[j] as number) - (means[j] as number)) / (scales[j] as number)));
  }
  return { Z, q, kept, means, scales, constant };
}

function checkData(X: Rows, y: ArrayLike<number>): number {
  const n = X.length;
  if (n === 0) throw new AppError('HEALTH_INPUT_INVALID', 'logistic regression: no rows');
  if (y.length !== n) throw new AppError('HEALTH_INPUT_INVALID', `logistic regression: ${n} rows but ${y.length} labels`);
  const p = (X[0] as ArrayLike<number>).length;
  for (let i = 0; i < n; i++) {
    const row = X[i] as ArrayLike<number>;
    if (row.length !== p) throw new AppError('HEALTH_INPUT_INVALID', `logistic regression: row ${i} has ${row.length} columns, not ${p}`);
    for (let j = 0; j < p; j++) if (!Number.isFinite(row[j] as number)) throw new AppError('HEALTH_INPUT_INVALID', `logistic regression: row ${i} column ${j} is not a finite number`);
    if (y[i] !== 0 && y[i] !== 1) throw new AppError('HEALTH_INPUT_INVALID', `logistic regression: label ${i} must be 0 or 1 (got ${y[i]})`);
  }
  return p;
}

/** |log-odds| beyond this is a probability within 1e-8 of 0 or 1. */
const EXTREME_LOG_ODDS = 18.4;

interface NewtonResult {
  beta: Float64Array;
  objective: number;
  iterations: number;
  converged: boolean;
  ranOff: boolean;
}

function newton(s: Standardised, y: ArrayLike<number>, lambda: number, options: LogisticOptions): NewtonResult {
  const { Z, q } = s;
  const n = y.length;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 100;
  const maxCoef = options.maxStandardisedCoefficient ?? 30;
  let events = 0;
  for (let i = 0; i < n; i++) events += y[i] as number;
  const beta = new Float64Array(q);
  const ybar = Math.min(Math.max(events / n, 1e-6), 1 - 1e-6);
  beta[0] = logit(ybar);
  const eta = new Float64Array(n);

  const objectiveAt = (b: Float64Array, etaOut: Float64Array) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let c = 0; c < q; c++) e += (Z[i * q + c] as number) * (b[c] as number);
      etaOut[i] = e;
      f += softplus(e) - (y[i] as number) * e;
    }
    let pen = 0;
    for (let c = 1; c < q; c++) pen += (b[c] as number) ** 2;
    return f / n + (lambda / 2) * pen;
  };

  let f = objectiveAt(beta, eta);
  const g = new Float64Array(q);
  const H = new Float64Array(q * q);
  const trial = new Float64Array(q);
  const etaTrial = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  let ranOff = false;
  let previousGmax = Infinity;
  for (; iterations < maxIterations; iterations++) {
    g.fill(0);
    H.fill(0);
    for (let i = 0; i < n; i++) {
      const pi = sigmoid(eta[i] as number);
      const r = pi - (y[i] as number);
      const w = pi * (1 - pi);
      const off = i * q;
      for (let a = 0; a < q; a++) {
        const za = Z[off + a] as number;
        g[a] = (g[a] as number) + r * za;
        const wa = w * za;
        for (let b = 0; b <= a; b++) H[a * q + b] = (H[a * q + b] as number) + wa * (Z[off + b] as number);
      }
    }
    let gmax = 0;
    for (let a = 0; a < q; a++) {
      g[a] = (g[a] as number) / n + (a > 0 ? lambda * (beta[a] as number) : 0);
      gmax = Math.max(gmax, Math.abs(g[a] as number));
      for (let b = 0; b <= a; b++) {
        const v = (H[a * q + b] as number) / n + (a === b && a > 0 ? lambda : 0);
        H[a * q + b] = v;
        H[b * q + a] = v;
      }
    }
    if (gmax <= tolerance) {
      converged = true;
      break;
    }
    const d = choleskySolve(robustCholesky(H, q), q, g.map((v) => -v));
    let slope = 0;
    for (let a = 0; a < q; a++) slope += (g[a] as number) * (d[a] as number);
    if (-slope <= 1e-13 * Math.max(1, Math.abs(f))) {
      // The predicted decrease is below the rounding of J: near the minimum, where Newton's
      // full step is safe and a line search on J would only see noise. Stop when it no
      // longer shrinks the gradient (the sums' rounding floor).
      if (gmax >= 0.5 * previousGmax) {
        converged = gmax <= Math.sqrt(tolerance);
        break;
      }
      previousGmax = gmax;
      for (let a = 0; a < q; a++) beta[a] = (beta[a] as number) + (d[a] as number);
      f = objectiveAt(beta, eta);
      continue;
    }
    previousGmax = gmax;
    let t = 1;
    let accepted = false;
    for (let halvings = 0; halvings < 50; halvings++, t /= 2) {
      for (let a = 0; a < q; a++) trial[a] = (beta[a] as number) + t * (d[a] as number);
      const ft = objectiveAt(trial, etaTrial);
      if (Number.isFinite(ft) && ft <= f + 1e-4 * t * slope) {
        accepted = true;
        beta.set(trial);
        eta.set(etaTrial);
        f = ft;
        break;
      }
    }
    if (!accepted) {
      // No step lowers J: rounding has the last word. Converged if the gradient is small.
      converged = gmax <= Math.sqrt(tolerance);
      break;
    }
    if (lambda === 0) {
      let bmax = 0;
      for (let a = 1; a < q; a++) bmax = Math.max(bmax, Math.abs(beta[a] as number));
      if (bmax > maxCoef) {
        ranOff = true;
        break;
      }
    }
  }
  if (lambda === 0 && !ranOff) {
    // Quasi-complete separation: the maximum is at infinity only along some rows, which the
    // fit drives to probability 0 or 1 (R's glm warns "fitted probabilities numerically 0 or
    // 1 occurred"). Taken as separation when every such row sits on its observed side.
    let extreme = 0;
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const e = eta[i] as number;
      if (Math.abs(e) > EXTREME_LOG_ODDS) {
        extreme++;
        if ((e > 0 ? 1 : 0) !== y[i]) wrong++;
      }
    }
    ranOff = extreme > 0 && wrong === 0;
  }
  return { beta, objective: f, iterations, converged, ranOff };
}

/** Fit P(y = 1 | x) = σ(β₀ + xβ) with the penalty `options.lambda` (default 0). */
export function fitLogistic(X: Rows, y: ArrayLike<number>, options: LogisticOptions = {}): LogisticFit {
  const p = checkData(X, y);
  const requested = options.lambda ?? 0;
  if (!(requested >= 0 && Number.isFinite(requested))) throw new AppError('HEALTH_INPUT_INVALID', `logistic regression: λ must be a number ≥ 0 (got ${requested})`);
  const s = standardise(X, p);
  let lambda = requested;
  let result = newton(s, y, lambda, options);
  let separated = false;
  if (result.ranOff) {
    separated = true;
    lambda = options.separationLambda ?? 1e-3;
    result = newton(s, y, lambda, options);
  }
  return finish(s, y, p, lambda, result, separated);
}

function finish(s: Standardised, y: ArrayLike<number>, p: number, lambda: number, r: NewtonResult, ranOff: boolean): LogisticFit {
  const { Z, q, kept, means, scales, constant } = s;
  const n = y.length;
  // the Hessian of the penalised total negative log-likelihood at the fit, and its inverse
  const H = new Float64Array(q * q);
  let logLikelihood = 0;
  let events = 0;
  let minPositive = Infinity;
  let maxNegative = -Infinity;
  for (let i = 0; i < n; i++) {
    let e = 0;
    for (let c = 0; c < q; c++) e += (Z[i * q + c] as number) * (r.beta[c] as number);
    const pi = sigmoid(e);
    const w = pi * (1 - pi);
    const yi = y[i] as number;
    events += yi;
    logLikelihood += yi * e - softplus(e);
    if (yi === 1) minPositive = Math.min(minPositive, e);
    else maxNegative = Math.max(maxNegative, e);
    for (let a = 0; a < q; a++) for (let b = 0; b <= a; b++) H[a * q + b] = (H[a * q + b] as number) + w * (Z[i * q + a] as number) * (Z[i * q + b] as number);
  }
  for (let a = 0; a < q; a++) {
    if (a > 0) H[a * q + a] = (H[a * q + a] as number) + n * lambda;
    for (let b = 0; b < a; b++) H[b * q + a] = H[a * q + b] as number;
  }
  const L = robustCholesky(H, q);
  const cov = new Float64Array(q * q);
  for (let c = 0; c < q; c++) {
    const unit = new Float64Array(q);
    unit[c] = 1;
    const col = choleskySolve(L, q, unit);
    for (let a = 0; a < q; a++) cov[a * q + c] = col[a] as number;
  }

  // back to the raw columns: θ_raw = A θ_std with A = [[1, −m/s…], [0, diag(1/s)]]
  const a = new Float64Array(q); // the intercept row of A
  a[0] = 1;
  kept.forEach((j, c) => (a[c + 1] = -(means[j] as number) / (scales[j] as number)));
  let intercept = 0;
  for (let c = 0; c < q; c++) intercept += (a[c] as number) * (r.beta[c] as number);
  let interceptVar = 0;
  for (let c = 0; c < q; c++) for (let d = 0; d < q; d++) interceptVar += (a[c] as number) * (cov[c * q + d] as number) * (a[d] as number);

  const coefficients = new Float64Array(p);
  const ses = new Float64Array(p).fill(Number.NaN);
  const stdCoefficients = new Float64Array(p);
  const stdSes = new Float64Array(p).fill(Number.NaN);
  kept.forEach((j, c) => {
    const sj = scales[j] as number;
    const b = r.beta[c + 1] as number;
    const v = cov[(c + 1) * q + c + 1] as number;
    stdCoefficients[j] = b;
    stdSes[j] = Math.sqrt(v);
    coefficients[j] = b / sj;
    ses[j] = Math.sqrt(v) / sj;
  });
  const separated = ranOff || (events > 0 && events < n && minPositive >= maxNegative);
  return {
    intercept,
    coefficients,
    standardErrors: { intercept: Math.sqrt(interceptVar), coefficients: ses },
    standardised: { intercept: r.beta[0] as number, coefficients: stdCoefficients, standardErrors: stdSes },
    means,
    scales,
    constant,
    lambda,
    logLikelihood,
    objective: r.objective,
    iterations: r.iterations,
    converged: r.converged,
    separated,
    n,
    events,
  };
}

/** P(y = 1 | x) under a fit. */
export function predictLogistic(fit: Pick<LogisticFit, 'intercept' | 'coefficients'>, x: ArrayLike<number>): number {
  let e = fit.intercept;
  for (let j = 0; j < fit.coefficients.length; j++) e += (fit.coefficients[j] as number) * (x[j] as number);
  return sigmoid(e);
}

/** The default grid of penalties λ (on the standardised scale, per observation). */
export const LAMBDA_GRID: readonly number[] = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3];

export interface CvOptions {
  grid?: readonly number[];
  /** Folds (default 5; fewer when there are fewer events or non-events than folds). */
  folds?: number;
  /** Seed of the fold assignment (default 1). */
  seed?: number;
}

export interface CvRow {
  lambda: number;
  /** Mean held-out log-loss per observation, over the folds. */
  logLoss: number;
  /** Its standard error across folds. */
  standardError: number;
}

export interface CvFit extends LogisticFit {
  cv: { folds: number; table: CvRow[] };
}

/** Stratified fold of each row (0…k−1): events and non-events are shuffled separately and dealt out in turn. */
export function stratifiedFolds(y: ArrayLike<number>, k: number, seed: number): Int32Array {
  const rng = seededRandom(seed);
  const folds = new Int32Array(y.length);
  for (const label of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === label) idx.push(i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
    }
    idx.forEach((row, pos) => (folds[row] = pos % k));
  }
  return folds;
}

/** Held-out log-loss per λ over stratified k folds (seeded), and the λ with the smallest. */
export function crossValidate(X: Rows, y: ArrayLike<number>, options: CvOptions & LogisticOptions = {}): { lambda: number; folds: number; table: CvRow[] } {
  checkData(X, y);
  const grid = options.grid ?? LAMBDA_GRID;
  if (grid.length === 0) throw new AppError('HEALTH_INPUT_INVALID', 'logistic regression: an empty λ grid');
  let events = 0;
  for (let i = 0; i < y.length; i++) events += y[i] as number;
  const k = Math.min(options.folds ?? 5, events, y.length - events);
  if (k < 2) return { lambda: grid[Math.floor(grid.length / 2)] as number, folds: 0, table: [] };
  const fold = stratifiedFolds(y, k, options.seed ?? 1);
  const losses = grid.map(() => [] as number[]);
  for (let f = 0; f < k; f++) {
    const trainX: ArrayLike<number>[] = [];
    const trainY: number[] = [];
    const testX: ArrayLike<number>[] = [];
    const testY: number[] = [];
    for (let i = 0; i < y.length; i++) {
      if (fold[i] === f) {
        testX.push(X[i] as ArrayLike<number>);
        testY.push(y[i] as number);
      } else {
        trainX.push(X[i] as ArrayLike<number>);
        trainY.push(y[i] as number);
      }
    }
    grid.forEach((lambda, g) => {
      const fit = fitLogistic(trainX, trainY, { ...options, lambda });
      let loss = 0;
      testX.forEach((x, i) => {
        const pi = Math.min(Math.max(predictLogistic(fit, x), 1e-15), 1 - 1e-15);
        loss -= testY[i] === 1 ? Math.log(pi) : Math.log(1 - pi);
      });
      (losses[g] as number[]).push(loss / testY.length);
    });
  }
  const table = grid.map((lambda, g) => {
    const l = losses[g] as number[];
    const mean = l.reduce((a, b) => a + b, 0) / l.length;
    const sd = Math.sqrt(l.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, l.length - 1));
    return { lambda, logLoss: mean, standardError: sd / Math.sqrt(l.length) };
  });
  let best = table[0] as CvRow;
  for (const row of table) if (row.logLoss < best.logLoss) best = row;
  return { lambda: best.lambda, folds: k, table };
}

/** Choose λ by cross-validation (`crossValidate`), then fit every row with it. */
export function fitLogisticCV(X: Rows, y: ArrayLike<number>, options: CvOptions & LogisticOptions = {}): CvFit {
  const cv = crossValidate(X, y, options);
  const fit = fitLogistic(X, y, { ...options, lambda: cv.lambda });
  return { ...fit, cv: { folds: cv.folds, table: cv.table } };
}
