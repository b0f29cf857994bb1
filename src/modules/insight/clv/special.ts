/**
 * Special functions for the lifetime-value models, written out so that their accuracy is
 * ours to know: log-gamma, digamma, log-sum-exp and the Gaussian hypergeometric 2F1.
 * Pure maths, no I/O.
 */
import { AppError } from '../../../platform/errors.js';

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log|Γ(x)| (Lanczos, g = 7: about 15 significant digits); +∞ at the poles 0, −1, −2, … */
export function lgamma(x: number): number {
  if (x < 0.5) {
    if (Number.isInteger(x)) return Infinity;
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  const y = x - 1;
  let s = LANCZOS[0] as number;
  for (let i = 1; i < 9; i++) s += (LANCZOS[i] as number) / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

/** The sign of Γ(x): +1 for x > 0, alternating between the poles below 0; NaN at a pole. */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x)) return Number.NaN;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** 1/Γ(x), exactly 0 at the poles. */
export function rgamma(x: number): number {
  if (x <= 0 && Number.isInteger(x)) return 0;
  return gammaSign(x) * Math.exp(-lgamma(x));
}

/** ψ(x) = d/dx log Γ(x): recurrence up to x ≥ 12, then the asymptotic series. */
export function digamma(x: number): number {
  if (x <= 0 && Number.isInteger(x)) return Number.NaN;
  if (x < 0) return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  let acc = 0;
  while (x < 12) {
    acc -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return acc + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

/** log(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(e^a − e^b) for a ≥ b; −∞ when they are equal. */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (b > a) return Number.NaN;
  if (b === a) return -Infinity;
  const d = b - a;
  // log(1 − e^d), accurate on both sides of d = −log 2
  return a + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}

/** log Σ e^{x_i}. */
export function logSumExp(xs: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, xs[i] as number);
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.exp((xs[i] as number) - m);
  return m + Math.log(s);
}

const EPS = 1e-16;
const MAX_TERMS = 5_000_000;

function notConverged(a: number, b: number, c: number, z: number): never {
  throw new AppError('CLV_FIT_FAILED', `the hypergeometric series 2F1(${a}, ${b}; ${c}; ${z}) did not converge`);
}

/**
 * The Gauss series Σ (a)_k (b)_k / ((c)_k k!) z^k for |z| < 1, stopped when the bound on the
 * remaining tail (the terms shrink at least geometrically once their ratio is below 1) is
 * under 1e-16 of the sum.
 */
function gaussSeries(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  const az = Math.abs(z);
  for (let k = 0; k < MAX_TERMS; k++) {
    const ratio = ((a + k) * (b + k)) / ((c + k) * (k + 1));
    term *= ratio * z;
    sum += term;
    if (term === 0) return sum; // a or b a non-positive integer: a polynomial
    const rho = Math.max(Math.abs(((a + k + 1) * (b + k + 1)) / ((c + k + 1) * (k + 2))) * az, az);
    if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= EPS * Math.abs(sum)) return sum;
  }
  return notConverged(a, b, c, z);
}

const isNonPositiveInteger = (v: number) => v <= 0 && Number.isInteger(v);

/**
 * The Gaussian hypergeometric function 2F1(a, b; c; z) for real z < 1 (and z = 1 when
 * c − a − b > 0). Negative z goes through the Pfaff transformation to z/(z − 1) ∈ (0, 1);
 * z near 1 through the connection formula in 1 − z (Abramowitz & Stegun 15.3.6) unless
 * c − a − b is within 1e-3 of an integer (where that formula cancels), in which case the
 * series is summed to convergence. Throws CLV_FIT_FAILED when the series does not converge.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite)) return Number.NaN;
  if (isNonPositiveInteger(c)) return Number.NaN;
  if (z === 0 || a === 0 || b === 0) return 1;
  if (z > 1) return Number.NaN;
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) return gaussSeries(a, b, c, z);
  if (z === 1) {
    const d = c - a - b;
    if (d <= 0) return Infinity;
    return Math.exp(lgamma(c) + lgamma(d) - lgamma(c - a) - lgamma(c - b)) * gammaSign(c) * gammaSign(d) * gammaSign(c - a) * gammaSign(c - b);
  }
  if (z < 0) {
    // Pfaff: 2F1(a, b; c; z) = (1 − z)^{−a} 2F1(a, c − b; c; z/(z − 1)); either parameter may go first
    const w = z / (z - 1);
    const first = Math.abs(c - b) <= Math.abs(c - a);
    return first ? Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, w) : Math.pow(1 - z, -b) * hyp2f1(c - a, b, c, w);
  }
  if (z <= 0.9) return gaussSeries(a, b, c, z);
  const d = c - a - b;
  if (Math.abs(d - Math.round(d)) < 1e-3) return gaussSeries(a, b, c, z);
  // connection formula: A·F(a, b; 1 − d; 1 − z) + B·(1 − z)^d·F(c − a, c − b; 1 + d; 1 − z)
  const y = 1 - z;
  const gc = lgamma(c);
  const sc = gammaSign(c);
  const termA =
    isNonPositiveInteger(c - a) || isNonPositiveInteger(c - b)
      ? 0
      : sc * gammaSign(d) * gammaSign(c - a) * gammaSign(c - b) * Math.exp(gc + lgamma(d) - lgamma(c - a) - lgamma(c - b)) * gaussSeries(a, b, 1 - d, y);
  const termB =
    sc * gammaSign(-d) * gammaSign(a) * gammaSign(b) * Math.exp(gc + lgamma(-d) - lgamma(a) - lgamma(b) + d * Math.log(y)) * gaussSeries(c - a, c - b, 1 + d, y);
  return termA + termB;
}
