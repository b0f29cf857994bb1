import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { seededRandom, type Random } from '../../../platform/random.js';
import { crossValidate, fitLogistic, fitLogisticCV, predictLogistic, sigmoid, stratifiedFolds } from './logistic.js';

function normal(rng: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Rows with correlated normal columns, and labels from σ(β₀ + xβ). */
function simulate(rng: Random, n: number, beta: number[]) {
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = normal(rng);
    const row = beta.slice(1).map((_, j) => 0.5 * u + normal(rng) + j);
    let eta = beta[0] as number;
    row.forEach((v, j) => (eta += (beta[j + 1] as number) * v));
    X.push(row);
    y.push(rng.next() < sigmoid(eta) ? 1 : 0);
  }
  return { X, y };
}

describe('logistic regression by Newton–Raphson', () => {
  it('matches the closed form of a 2×2 table: β₁ is the log odds ratio, SE √(1/a + 1/b + 1/c + 1/d)', () => {
    // x = 0: 3 events in 10; x = 1: 7 events in 10
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 10; i++) {
      X.push([0], [1]);
      y.push(i < 3 ? 1 : 0, i < 7 ? 1 : 0);
    }
    const fit = fitLogistic(X, y);
    expect(fit.converged).toBe(true);
    expect(fit.separated).toBe(false);
    expect(fit.intercept).toBeCloseTo(Math.log(3 / 7), 10);
    expect(fit.coefficients[0]).toBeCloseTo(2 * Math.log(7 / 3), 10);
    expect(fit.standardErrors.intercept).toBeCloseTo(Math.sqrt(1 / 3 + 1 / 7), 10);
    expect(fit.standardErrors.coefficients[0]).toBeCloseTo(Math.sqrt(2 / 3 + 2 / 7), 10);
    // log-likelihood of the saturated fit: Σ counts · log(rates)
    const ll = 2 * (3 * Math.log(0.3) + 7 * Math.log(0.7));
    expect(fit.logLikelihood).toBeCloseTo(ll, 10);
  });

  it('agrees with plain gradient descent run to a gradient of 1e-13 on a penalised problem', () => {
    const X = [
      [0.5, 2],
      [1.5, -1],
      [2.0, 0.5],
      [-1.0, 1],
      [0.0, 0],
      [3.0, -2],
      [-2.0, 1.5],
      [1.0, 1],
      [2.5, 2],
      [-0.5, -1],
    ];
    const y = [0, 1, 1, 0, 0, 1, 0, 1, 0, 1];
    const lambda = 0.05;
    const fit = fitLogistic(X, y, { lambda });
    // the reference: standardise here, then descend on J with a fixed step
    const n = X.length;
    const mean = [0, 1].map((j) => X.reduce((s, r) => s + (r[j] as number), 0) / n);
    const sd = [0, 1].map((j) => Math.sqrt(X.reduce((s, r) => s + ((r[j] as number) - (mean[j] as number)) ** 2, 0) / n));
    const Z = X.map((r) => [1, ...[0, 1].map((j) => ((r[j] as number) - (mean[j] as number)) / (sd[j] as number))]);
    const b = [0, 0, 0];
    for (let it = 0; it < 200000; it++) {
      const g = [0, 0, 0];
      Z.forEach((z, i) => {
        const r = sigmoid(z.reduce((s, v, c) => s + v * (b[c] as number), 0)) - (y[i] as number);
        z.forEach((v, c) => (g[c] = (g[c] as number) + (r * v) / n));
      });
      for (let c = 1; c < 3; c++) g[c] = (g[c] as number) + lambda * (b[c] as number);
      if (Math.max(...g.map(Math.abs)) < 1e-13) break;
      for (let c = 0; c < 3; c++) b[c] = (b[c] as number) - 2 * (g[c] as number);
    }
    expect(Math.abs((fit.standardised.intercept as number) - (b[0] as number))).toBeLessThan(1e-10);
    for (let j = 0; j < 2; j++) {
      expect(Math.abs((fit.standardised.coefficients[j] as number) - (b[j + 1] as number))).toBeLessThan(1e-10);
      expect(Math.abs((fit.coefficients[j] as number) - (b[j + 1] as number) / (sd[j] as number))).toBeLessThan(1e-10);
    }
    // and the raw-scale prediction is the standardised one
    const x = [0.7, -0.3];
    const zEta = (b[0] as number) + ((0.7 - (mean[0] as number)) / (sd[0] as number)) * (b[1] as number) + ((-0.3 - (mean[1] as number)) / (sd[1] as number)) * (b[2] as number);
    expect(predictLogistic(fit, x)).toBeCloseTo(sigmoid(zEta), 12);
  });

  it('recovers known coefficients from 20 000 simulated customers, each within 3.5 standard errors', () => {
    const truth = [-1, 0.8, -0.5, 0, 0.3];
    const { X, y } = simulate(seededRandom(7), 20000, truth);
    const fit = fitLogistic(X, y);
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.intercept - (truth[0] as number)) / fit.standardErrors.intercept).toBeLessThan(3.5);
    for (let j = 0; j < 4; j++) {
      const z = ((fit.coefficients[j] as number) - (truth[j + 1] as number)) / (fit.standardErrors.coefficients[j] as number);
      expect(Math.abs(z), `β${j + 1}`).toBeLessThan(3.5);
    }
    expect(fit.standardErrors.coefficients[0]).toBeLessThan(0.03);
  });

  it('gives standard errors that match the spread of the estimates over 60 repeated samples', () => {
    const truth = [-0.5, 1, -0.7];
    const rng = seededRandom(11);
    const estimates: number[][] = [];
    const ses: number[][] = [];
    for (let r = 0; r < 60; r++) {
      const { X, y } = simulate(rng, 1500, truth);
      const fit = fitLogistic(X, y);
      estimates.push(Array.from(fit.coefficients));
      ses.push(Array.from(fit.standardErrors.coefficients));
    }
    for (let j = 0; j < 2; j++) {
      const e = estimates.map((v) => v[j] as number);
      const m = e.reduce((a, b) => a + b, 0) / e.length;
      const sd = Math.sqrt(e.reduce((a, b) => a + (b - m) ** 2, 0) / (e.length - 1));
      const meanSe = ses.reduce((a, v) => a + (v[j] as number), 0) / ses.length;
      expect(meanSe / sd, `β${j + 1}`).toBeGreaterThan(0.8);
      expect(meanSe / sd, `β${j + 1}`).toBeLessThan(1.25);
    }
  });

  it('stays finite on perfectly separable data, flags it and still ranks every case right', () => {
    const X = [[-3], [-2], [-1.5], [-1], [1], [1.2], [2], [3]];
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    const fit = fitLogistic(X, y);
    expect(fit.separated).toBe(true);
    expect(fit.lambda).toBeGreaterThan(0);
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.coefficients[0])).toBe(true);
    expect(fit.standardised.coefficients[0]).toBeLessThan(60);
    expect(fit.coefficients[0]).toBeGreaterThan(1);
    X.forEach((x, i) => expect(predictLogistic(fit, x) > 0.5).toBe(y[i] === 1));
    // and with a penalty from the start: flagged, finite
    const penalised = fitLogistic(X, y, { lambda: 1e-4 });
    expect(penalised.separated).toBe(true);
    expect(Number.isFinite(penalised.standardErrors.coefficients[0])).toBe(true);
  });

  it('stays finite when one column separates only part of the data (quasi-separation)', () => {
    // every x₂ = 1 is an event; x₁ is ordinary
    const rng = seededRandom(3);
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 300; i++) {
      const x1 = normal(rng);
      const x2 = i < 30 ? 1 : 0;
      X.push([x1, x2]);
      y.push(x2 === 1 ? 1 : rng.next() < sigmoid(-0.5 + x1) ? 1 : 0);
    }
    const fit = fitLogistic(X, y);
    expect(fit.coefficients.every(Number.isFinite)).toBe(true);
    expect(fit.separated).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(0.5);
  });

  it('leaves a constant column out with coefficient 0 and the rest as without it', () => {
    const { X, y } = simulate(seededRandom(5), 500, [0.2, 0.7, -0.4]);
    const withConstant = X.map((r) => [r[0] as number, 5, r[1] as number]);
    const a = fitLogistic(X, y, { lambda: 0.01 });
    const b = fitLogistic(withConstant, y, { lambda: 0.01 });
    expect(b.constant).toEqual([false, true, false]);
    expect(b.coefficients[1]).toBe(0);
    expect(b.standardErrors.coefficients[1]).toBeNaN();
    expect(b.coefficients[0]).toBeCloseTo(a.coefficients[0] as number, 10);
    expect(b.coefficients[2]).toBeCloseTo(a.coefficients[1] as number, 10);
    expect(b.intercept).toBeCloseTo(a.intercept, 10);
  });

  it('rejects bad input with HEALTH_INPUT_INVALID', () => {
    const code = (f: () => unknown) => {
      try {
        f();
        return 'no error';
      } catch (e) {
        return e instanceof AppError ? `${e.code}: ${e.message}` : String(e);
      }
    };
    expect(code(() => fitLogistic([], []))).toMatch(/^HEALTH_INPUT_INVALID: .*no rows/);
    expect(code(() => fitLogistic([[1], [2]], [0, 2]))).toMatch(/label 1 must be 0 or 1/);
    expect(code(() => fitLogistic([[1], [Number.NaN]], [0, 1]))).toMatch(/row 1 column 0 is not a finite number/);
    expect(code(() => fitLogistic([[1], [2, 3]], [0, 1]))).toMatch(/row 1 has 2 columns/);
  });
});

describe('choosing λ by cross-validation', () => {
  it('deals stratified folds: every fold gets its share of events, the same for the same seed', () => {
    const y = Array.from({ length: 103 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const folds = stratifiedFolds(y, 5, 9);
    for (let f = 0; f < 5; f++) {
      const events = y.filter((v, i) => v === 1 && folds[i] === f).length;
      expect(events).toBeGreaterThanOrEqual(4);
      expect(events).toBeLessThanOrEqual(5);
    }
    expect(stratifiedFolds(y, 5, 9)).toEqual(folds);
    expect(stratifiedFolds(y, 5, 10)).not.toEqual(folds);
  });

  it('penalises more when few rows meet many noise columns, and hardly at all with plenty of data', () => {
    const rng = seededRandom(21);
    const noisy = (n: number, noise: number) => {
      const X: number[][] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const row = Array.from({ length: noise + 1 }, () => normal(rng));
        X.push(row);
        y.push(rng.next() < sigmoid(0.6 * (row[0] as number)) ? 1 : 0);
      }
      return { X, y };
    };
    const small = noisy(120, 25);
    const smallCv = crossValidate(small.X, small.y, { seed: 1 });
    expect(smallCv.lambda).toBeGreaterThanOrEqual(0.03);
    const big = noisy(8000, 2);
    const bigCv = crossValidate(big.X, big.y, { seed: 1 });
    expect(bigCv.lambda).toBeLessThanOrEqual(3e-3);
    // the chosen λ has the smallest held-out log-loss, and the fit uses it
    const fit = fitLogisticCV(small.X, small.y, { seed: 1 });
    expect(fit.lambda).toBe(smallCv.lambda);
    expect(Math.min(...fit.cv.table.map((r) => r.logLoss))).toBe(fit.cv.table.find((r) => r.lambda === fit.lambda)?.logLoss);
    expect(crossValidate(small.X, small.y, { seed: 1 }).table).toEqual(smallCv.table);
  });
});
