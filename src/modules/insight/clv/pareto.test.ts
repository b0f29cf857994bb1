import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random.js';
import { customerData } from './data.js';
import { fitParetoNbd, paretoExpected, paretoExpectedNew, paretoLogA0, paretoLogLikelihood, paretoPAlive } from './pareto.js';
import { simulateParetoNbd } from './simulate.js';
import { cdnow } from './testing.js';

const sample = cdnow();

describe('Pareto/NBD on CDNOW (Fader & Hardie 2005: r 0.553, α 10.578, s 0.606, β 11.669, LL −9595.0)', () => {
  it('reproduces r, α and s to three decimals; β, which the data pin down least (SE ≈ 6.2), is 11.668 at this file’s maximum', () => {
    const fit = fitParetoNbd(sample);
    expect(fit.params.r).toBeCloseTo(0.553, 3);
    expect(fit.params.alpha).toBeCloseTo(10.578, 3);
    expect(fit.params.s).toBeCloseTo(0.606, 3);
    expect(fit.params.beta).toBeCloseTo(11.668, 3);
    expect(fit.standardErrors.beta).toBeGreaterThan(6);
    expect(Math.abs(fit.logLikelihood - -9595.0)).toBeLessThan(0.05);
  });

  it('reproduces β = 11.669 too when recency and T are the whole days they were (the file rounds days/7 to 0.01 week)', () => {
    const toDays = (w: number) => Math.round(w * 7) / 7;
    expect(sample.T.every((w) => Math.abs(toDays(w) - w) <= 0.005 + 1e-9)).toBe(true);
    const fit = fitParetoNbd({ frequency: sample.frequency, recency: sample.recency.map(toDays), T: sample.T.map(toDays) });
    expect(fit.params.r).toBeCloseTo(0.553, 3);
    expect(fit.params.alpha).toBeCloseTo(10.578, 3);
    expect(fit.params.s).toBeCloseTo(0.606, 3);
    expect(fit.params.beta).toBeCloseTo(11.669, 3);
  });

  it('predicts what R’s BTYD predicts (as lifetimes’ tests check)', () => {
    const fit = fitParetoNbd(sample);
    const btyd = [0, 0.05077821, 0.09916088, 0.14542507, 0.1897993, 0.23247466, 0.27361274, 0.31335159, 0.35181024, 0.38909211];
    btyd.forEach((want, t) => expect(Math.abs(paretoExpectedNew(fit.params, t) - want), `t = ${t}`).toBeLessThan(0.01));
    expect(Math.abs(paretoExpected(fit.params, 52, 26, 30.86, 31) - 25.46)).toBeLessThan(0.01);
  });
});

describe('Pareto/NBD likelihood and predictions', () => {
  const p = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };

  it('is continuous where α and β swap order (the two forms of A₀ agree)', () => {
    const data = customerData({ frequency: [0, 1, 4, 12], recency: [0, 3.5, 20, 30], T: [30, 31, 38, 39] });
    const at = (alpha: number) => paretoLogLikelihood({ ...p, alpha, beta: 11.67 }, data);
    expect(Math.abs(at(11.67 * (1 + 1e-9)) - at(11.67 * (1 - 1e-9)))).toBeLessThan(1e-6);
    expect(Math.abs(at(11.67 * (1 + 1e-4)) - at(11.67 * (1 - 1e-4)))).toBeLessThan(1e-2);
  });

  it('keeps log A₀ finite for very frequent buyers (lifetimes’ overflow case)', () => {
    const q = { r: 10.465, alpha: 7.98565181e-3, s: 3.0516, beta: 2.82 };
    for (const [x, tx, T] of [[400, 5, 6], [500, 1, 37], [500, 4, 37]] as const) {
      const v = paretoLogA0(q, x, tx, T);
      expect(Number.isFinite(v) && v < 0, `${x}, ${tx}, ${T}`).toBe(true);
    }
  });

  it('does not underflow for long-lived heavy buyers, and moves little with one more purchase', () => {
    const left = paretoExpected(p, 10, 132, 200, 200);
    const right = paretoExpected(p, 10, 133, 200, 200);
    expect(left).toBeCloseTo(6.2061, 3);
    expect(Math.abs(left - right)).toBeLessThan(0.05);
  });

  it('P(alive) is 1 at t_x = T and falls as the customer lapses', () => {
    expect(paretoPAlive(p, 3, 20, 20)).toBe(1);
    expect(paretoPAlive(p, 3, 5, 20)).toBeLessThan(paretoPAlive(p, 3, 15, 20));
  });

  it('fitted to simulated customers, recovers the parameters within 4 standard errors', () => {
    const truth = { r: 0.8, alpha: 8, s: 0.7, beta: 12 };
    const fit = fitParetoNbd(simulateParetoNbd(truth, 10_000, seededRandom(21), { resolution: 1 / 7 }));
    for (const k of ['r', 'alpha', 's', 'beta'] as const) expect(Math.abs(fit.params[k] - truth[k]), k).toBeLessThan(4 * fit.standardErrors[k]);
  });
});
