/**
 * Unconstrained minimisers for the model fits (which run in log-parameters, so that every
 * parameter stays positive): BFGS with a backtracking Armijo line search, and Nelder–Mead
 * as the robust fallback; plus the numerical Hessian for standard errors. Pure maths.
 */

/** f(x), and when `grad` is given, ∇f(x) written into it. Non-finite values mean "outside". */
export type Objective = (x: Float64Array, grad?: Float64Array) => number;

export interface MinimizeResult {
  x: Float64Array;
  f: number;
  /** max |∂f/∂x_i| at x. */
  gradNorm: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

export interface BfgsOptions {
  /** Converged when max |∂f/∂x_i| ≤ this (default 1e-9). */
  gradTol?: number;
  maxIterations?: number;
  /** The largest step in any coordinate per iteration (default 2: e² in a log-parameter). */
  maxStep?: number;
  /**
   * Also converged when no step lowers f any more (rounding has the last word) and
   * max |∂f/∂x_i| ≤ this (default 1e-6): sums over many customers have a noise floor.
   */
  stalledGradTol?: number;
}

const maxAbs = (v: Float64Array) => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i] as number));
  return m;
};

/** Central-difference gradient for objectives that have no analytic one. */
export function withNumericGradient(f: (x: Float64Array) => number, relStep = 1e-5): Objective {
  return (x, grad) => {
    const fx = f(x);
    if (grad) {
      const y = Float64Array.from(x);
      for (let i = 0; i < x.length; i++) {
        const h = relStep * Math.max(1, Math.abs(x[i] as number));
        y[i] = (x[i] as number) + h;
        const fp = f(y);
        y[i] = (x[i] as number) - h;
        const fm = f(y);
        y[i] = x[i] as number;
        grad[i] = (fp - fm) / (2 * h);
      }
    }
    return fx;
  };
}

/** BFGS on the inverse Hessian, with a backtracking Armijo line search. */
export function minimizeBfgs(objective: Objective, start: ArrayLike<number>, options: BfgsOptions = {}): MinimizeResult {
  const n = start.length;
  const gradTol = options.gradTol ?? 1e-9;
  const maxIterations = options.maxIterations ?? 1000;
  const maxStep = options.maxStep ?? 2;
  const stalledGradTol = options.stalledGradTol ?? 1e-6;
  const x = Float64Array.from(start);
  const g = new Float64Array(n);
  let evaluations = 1;
  let f = objective(x, g);
  if (!Number.isFinite(f) || !g.every(Number.isFinite)) return { x, f, gradNorm: Number.NaN, iterations: 0, evaluations, converged: false };
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  const p = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const yv = new Float64Array(n);
  const Hy = new Float64Array(n);
  let iterations = 0;
  let firstUpdate = true;
  let stalls = 0;
  for (; iterations < maxIterations; iterations++) {
    if (maxAbs(g) <= gradTol) return { x, f, gradNorm: maxAbs(g), iterations, evaluations, converged: true };
    // p = −H g; fall back to steepest descent if it does not go downhill
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= (H[i * n + j] as number) * (g[j] as number);
      p[i] = v;
      slope += v * (g[i] as number);
    }
    if (!(slope < 0)) {
      H.fill(0);
      for (let i = 0; i < n; i++) {
        H[i * n + i] = 1;
        p[i] = -(g[i] as number);
      }
      slope = -g.reduce((acc, v) => acc + v * v, 0);
      firstUpdate = true;
    }
    const big = maxAbs(p);
    let step = big > maxStep ? maxStep / big : 1;
    let fNew = Number.NaN;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      for (let i = 0; i < n; i++) xNew[i] = (x[i] as number) + step * (p[i] as number);
      evaluations++;
      fNew = objective(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope && gNew.every(Number.isFinite)) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = (xNew[i] as number) - (x[i] as number);
      yv[i] = (gNew[i] as number) - (g[i] as number);
      sy += (s[i] as number) * (yv[i] as number);
      yy += (yv[i] as number) * (yv[i] as number);
    }
    const decrease = f - fNew;
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    stalls = decrease <= 1e-15 * Math.max(1, Math.abs(f)) ? stalls + 1 : 0;
    if (stalls >= 3) break;
    if (sy <= 1e-18 * Math.max(1, yy)) continue; // curvature condition fails: keep H
    if (firstUpdate) {
      const scale = sy / yy;
      H.fill(0);
      for (let i = 0; i < n; i++) H[i * n + i] = scale;
      firstUpdate = false;
    }
    // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
    const rho = 1 / sy;
    let yHy = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += (H[i * n + j] as number) * (yv[j] as number);
      Hy[i] = v;
      yHy += (yv[i] as number) * v;
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const si = s[i] as number;
        const sj = s[j] as number;
        H[i * n + j] = (H[i * n + j] as number) - rho * ((Hy[i] as number) * sj + si * (Hy[j] as number)) + (rho * rho * yHy + rho) * si * sj;
      }
    }
  }
  const gradNorm = maxAbs(g);
  const stalled = iterations < maxIterations;
  return { x, f, gradNorm, iterations, evaluations, converged: gradNorm <= gradTol || (stalled && gradNorm <= stalledGradTol) };
}

export interface NelderMeadOptions {
  maxIterations?: number;
  /** Stop when the simplex's function values span less than this. */
  fTol?: number;
  /** Initial simplex edge (default 0.5). */
  scale?: number;
}

/** Nelder–Mead (adaptive coefficients of Gao & Han for the dimension). */
export function nelderMead(f: (x: Float64Array) => number, start: ArrayLike<number>, options: NelderMeadOptions = {}): MinimizeResult {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 2000 * n;
  const fTol = options.fTol ?? 1e-12;
  const scale = options.scale ?? 0.5;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  let evaluations = 0;
  const F = (x: Float64Array) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const pts: Float64Array[] = [];
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(start);
    if (i > 0) p[i - 1] = (p[i - 1] as number) + scale;
    pts.push(p);
  }
  let vals = pts.map(F);
  const centroid = new Float64Array(n);
  const at = (from: Float64Array, towards: Float64Array, t: number) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = (from[i] as number) + t * ((towards[i] as number) - (from[i] as number));
    return out;
  };
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const order = vals.map((_, i) => i).sort((i, j) => (vals[i] as number) - (vals[j] as number));
    const sortedPts = order.map((i) => pts[i] as Float64Array);
    vals = order.map((i) => vals[i] as number);
    pts.splice(0, pts.length, ...sortedPts);
    if (Math.abs((vals[n] as number) - (vals[0] as number)) <= fTol * Math.max(1, Math.abs(vals[0] as number))) break;
    centroid.fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] = (centroid[i] as number) + ((pts[k] as Float64Array)[i] as number) / n;
    const worst = pts[n] as Float64Array;
    const xr = at(centroid, worst, -alpha);
    const fr = F(xr);
    if (fr < (vals[0] as number)) {
      const xe = at(centroid, worst, -beta);
      const fe = F(xe);
      if (fe < fr) {
        pts[n] = xe;
        vals[n] = fe;
      } else {
        pts[n] = xr;
        vals[n] = fr;
      }
      continue;
    }
    if (fr < (vals[n - 1] as number)) {
      pts[n] = xr;
      vals[n] = fr;
      continue;
    }
    const outside = fr < (vals[n] as number);
    const xc = outside ? at(centroid, worst, -gamma) : at(centroid, worst, gamma);
    const fc = F(xc);
    if (fc < (outside ? fr : (vals[n] as number))) {
      pts[n] = xc;
      vals[n] = fc;
      continue;
    }
    for (let k = 1; k <= n; k++) {
      pts[k] = at(pts[0] as Float64Array, pts[k] as Float64Array, delta);
      vals[k] = F(pts[k] as Float64Array);
    }
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if ((vals[i] as number) < (vals[best] as number)) best = i;
  return { x: pts[best] as Float64Array, f: vals[best] as number, gradNorm: Number.NaN, iterations, evaluations, converged: iterations < maxIterations };
}

/**
 * The Hessian of f at θ by central differences, with steps relative to each θ_i: of the
 * analytic gradient when there is one (one difference per column, then symmetrised), else
 * of f itself (the four-point formula).
 */
export function numericHessian(f: (theta: Float64Array) => number, theta: ArrayLike<number>, gradient?: (theta: Float64Array, grad: Float64Array) => void, relStep?: number): Float64Array {
  const n = theta.length;
  const H = new Float64Array(n * n);
  const x = Float64Array.from(theta);
  const hOf = (i: number) => (relStep ?? (gradient ? 1e-5 : 1e-4)) * Math.max(Math.abs(theta[i] as number), 1e-8);
  if (gradient) {
    const gp = new Float64Array(n);
    const gm = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const h = hOf(j);
      x[j] = (theta[j] as number) + h;
      gradient(x, gp);
      x[j] = (theta[j] as number) - h;
      gradient(x, gm);
      x[j] = theta[j] as number;
      for (let i = 0; i < n; i++) H[i * n + j] = ((gp[i] as number) - (gm[i] as number)) / (2 * h);
    }
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) {
        const v = ((H[i * n + j] as number) + (H[j * n + i] as number)) / 2;
        H[i * n + j] = v;
        H[j * n + i] = v;
      }
    return H;
  }
  const f0 = f(x);
  for (let i = 0; i < n; i++) {
    const hi = hOf(i);
    x[i] = (theta[i] as number) + hi;
    const fp = f(x);
    x[i] = (theta[i] as number) - hi;
    const fm = f(x);
    x[i] = theta[i] as number;
    H[i * n + i] = (fp - 2 * f0 + fm) / (hi * hi);
    for (let j = 0; j < i; j++) {
      const hj = hOf(j);
      const ev = (si: number, sj: number) => {
        x[i] = (theta[i] as number) + si * hi;
        x[j] = (theta[j] as number) + sj * hj;
        const v = f(x);
        x[i] = theta[i] as number;
        x[j] = theta[j] as number;
        return v;
      };
      const v = (ev(1, 1) - ev(1, -1) - ev(-1, 1) + ev(-1, -1)) / (4 * hi * hj);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}

/** The inverse of a symmetric positive-definite n×n matrix (Gauss–Jordan with pivoting); undefined if singular. */
export function invert(M: ArrayLike<number>, n: number): Float64Array | undefined {
  const a = Float64Array.from(M);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col] as number) > Math.abs(a[piv * n + col] as number)) piv = r;
    const pv = a[piv * n + col] as number;
    if (!Number.isFinite(pv) || Math.abs(pv) < 1e-300) return undefined;
    if (piv !== col)
      for (let k = 0; k < n; k++) {
        [a[col * n + k], a[piv * n + k]] = [a[piv * n + k] as number, a[col * n + k] as number];
        [inv[col * n + k], inv[piv * n + k]] = [inv[piv * n + k] as number, inv[col * n + k] as number];
      }
    for (let k = 0; k < n; k++) {
      a[col * n + k] = (a[col * n + k] as number) / pv;
      inv[col * n + k] = (inv[col * n + k] as number) / pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = a[r * n + col] as number;
      if (factor === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k] = (a[r * n + k] as number) - factor * (a[col * n + k] as number);
        inv[r * n + k] = (inv[r * n + k] as number) - factor * (inv[col * n + k] as number);
      }
    }
  }
  return inv;
}

/** Standard errors: √diag(H⁻¹) for H the Hessian of the negative log-likelihood; NaN where H is not positive definite. */
export function standardErrors(hessianOfNll: Float64Array, n: number): number[] {
  const inv = invert(hessianOfNll, n);
  return Array.from({ length: n }, (_, i) => {
    const v = inv ? (inv[i * n + i] as number) : Number.NaN;
    return v > 0 ? Math.sqrt(v) : Number.NaN;
  });
}
