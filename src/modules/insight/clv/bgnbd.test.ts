import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { seededRandom } from '../../../platform/random.js';
import { bgNbdExpected, bgNbdExpectedNew, bgNbdLogLikelihood, bgNbdPAlive, bgNbdProbabilityOfPurchase, fitBgNbd } from './bgnbd.js';
import { customerData } from './data.js';
import { maximiseLikelihood } from './fit.js';
import { simulateBgNbd } from './simulate.js';
import { cdnow } from './testing.js';

const sample = cdnow();
const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD on CDNOW (Fader, Hardie & Lee 2005)', () => {
  const fit = fitBgNbd(sample);

  it('reproduces the published estimates to three decimals and log-likelihood −9582.4', () => {
    expect(fit.customers).toBe(2357);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(fit.params[k], k).toBeCloseTo(published[k], 3);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
  });

  it('stops at the maximum: every nearby point is less likely', () => {
    const data = customerData(sample);
    for (const k of ['r', 'alpha', 'a', 'b'] as const)
      for (const f of [0.999, 1.001]) expect(bgNbdLogLikelihood({ ...fit.params, [k]: fit.params[k] * f }, data)).toBeLessThan(fit.logLikelihood);
  });

  it('gives standard errors that match the profile likelihood: 0.2 SE away, the best fit is 0.2²/2 less likely', () => {
    const data = customerData(sample);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      // (near the maximum, where the log-likelihood is close to quadratic)
      const fixed = fit.params[k] + 0.2 * fit.standardErrors[k];
      const others = (['r', 'alpha', 'a', 'b'] as const).filter((n) => n !== k);
      const profile = maximiseLikelihood({
        names: others,
        analyticGradient: false,
        customers: data.customers,
        start: others.map((n) => fit.params[n]),
        logLikelihood: (t) => bgNbdLogLikelihood({ ...fit.params, ...Object.fromEntries(others.map((n, i) => [n, t[i] as number])), [k]: fixed }, data),
      });
      const drop = fit.logLikelihood - profile.logLikelihood;
      expect(drop, k).toBeGreaterThan(0.02 * 0.9);
      expect(drop, k).toBeLessThan(0.02 * 1.1);
    }
  });

  it('predicts what Hardie’s spreadsheet predicts (as lifetimes’ tests check)', () => {
    expect(bgNbdExpected(fit.params, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
    const times = [0.1429, 1, 3, 31.8571, 32, 78];
    const want = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, i) => expect(Math.abs(bgNbdExpectedNew(fit.params, t) - (want[i] as number)), `t = ${t}`).toBeLessThan(1.5e-3));
  });

  it('P(alive) is 1 without repeat purchases, and falls with time since the last one', () => {
    expect(bgNbdPAlive(fit.params, 0, 0, 38.86)).toBe(1);
    const recent = bgNbdPAlive(fit.params, 5, 38, 38.86);
    const lapsed = bgNbdPAlive(fit.params, 5, 10, 38.86);
    expect(recent).toBeGreaterThan(0.8);
    expect(lapsed).toBeLessThan(recent);
    // closed form: 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^{r+x})
    const { r, alpha, a, b } = fit.params;
    expect(lapsed).toBeCloseTo(1 / (1 + (a / (b + 4)) * Math.pow((alpha + 38.86) / (alpha + 10), r + 5)), 14);
  });

  it('expected transactions grow with the horizon and agree with the summed Poisson rate for small t', () => {
    const p = fit.params;
    let last = 0;
    for (const t of [1, 5, 26, 52, 104, 520]) {
      const e = bgNbdExpected(p, t, 3, 30, 38);
      expect(e).toBeGreaterThan(last);
      last = e;
    }
    // for t → 0, E[Y(t)] ≈ t · E[λ | data] · P(alive) = t (r+x)/(α+T) · P(alive)
    const t = 1e-4;
    expect(bgNbdExpected(p, t, 3, 30, 38) / t).toBeCloseTo(((p.r + 3) / (p.alpha + 38)) * bgNbdPAlive(p, 3, 30, 38), 4);
  });
});

describe('BG/NBD fitted to simulated customers', () => {
  it('recovers the parameters that generated them, within 4 standard errors (which shrink as 1/√n)', () => {
    const truth = { r: 0.5, alpha: 6, a: 1.2, b: 3.5 };
    const small = fitBgNbd(simulateBgNbd(truth, 5_000, seededRandom(7)));
    const large = fitBgNbd(simulateBgNbd(truth, 80_000, seededRandom(8)));
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(large.params[k] - truth[k]), k).toBeLessThan(4 * large.standardErrors[k]);
      expect(Math.abs(small.params[k] - truth[k]), k).toBeLessThan(4 * small.standardErrors[k]);
      // 16 times the customers: about a quarter of the standard error
      expect(large.standardErrors[k] / small.standardErrors[k], k).toBeGreaterThan(0.15);
      expect(large.standardErrors[k] / small.standardErrors[k], k).toBeLessThan(0.4);
    }
  });

  it('predicts the holdout purchases of simulated customers in total', () => {
    const truth = { r: 0.5, alpha: 6, a: 1.2, b: 3.5 };
    const sim = simulateBgNbd(truth, 20_000, seededRandom(11), { holdout: 26 });
    const fit = fitBgNbd(sim);
    let predicted = 0;
    let actual = 0;
    for (let i = 0; i < sim.frequency.length; i++) {
      predicted += bgNbdExpected(fit.params, 26, sim.frequency[i] as number, sim.recency[i] as number, sim.T[i] as number);
      actual += sim.holdout?.[i] as number;
    }
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.05);
  });
});

describe('BG/NBD: the chance of a purchase in the next t periods', () => {
  const truth = { r: 0.5, alpha: 6, a: 1.2, b: 3.5 };

  it('matches the share of simulated customers who buy in the holdout, overall and by tenth of the prediction', () => {
    const sim = simulateBgNbd(truth, 40_000, seededRandom(21), { holdout: 13 });
    const n = sim.frequency.length;
    const p = Array.from({ length: n }, (_, i) => bgNbdProbabilityOfPurchase(truth, 13, sim.frequency[i] as number, sim.recency[i] as number, sim.T[i] as number));
    const bought = Array.from({ length: n }, (_, i) => ((sim.holdout?.[i] as number) > 0 ? 1 : 0));
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum(p) - sum(bought)) / sum(bought)).toBeLessThan(0.03);
    const order = p.map((_, i) => i).sort((i, j) => (p[i] as number) - (p[j] as number));
    for (let d = 0; d < 10; d++) {
      const rows = order.slice((d * n) / 10, ((d + 1) * n) / 10);
      const predicted = sum(rows.map((i) => p[i] as number)) / rows.length;
      const observed = sum(rows.map((i) => bought[i] as number)) / rows.length;
      // 4 000 customers a tenth: a binomial standard error of at most 0.008
      expect(Math.abs(predicted - observed), `tenth ${d + 1}: predicted ${predicted.toFixed(3)}, observed ${observed.toFixed(3)}`).toBeLessThan(0.03);
    }
  });

  it('is 0 for no time, rises with the horizon towards P(alive), and never exceeds the expected purchases', () => {
    expect(bgNbdProbabilityOfPurchase(truth, 0, 3, 20, 30)).toBe(0);
    let last = 0;
    for (const t of [1, 4, 13, 52, 520, 1e6]) {
      const q = bgNbdProbabilityOfPurchase(truth, t, 3, 20, 30);
      expect(q).toBeGreaterThan(last);
      expect(q).toBeLessThanOrEqual(bgNbdExpected(truth, t, 3, 20, 30));
      last = q;
    }
    expect(last).toBeCloseTo(bgNbdPAlive(truth, 3, 20, 30), 3);
    // one purchase only (x = 0): alive for sure, so 1 − (posterior mean of e^{−λt})
    expect(bgNbdProbabilityOfPurchase(truth, 13, 0, 0, 30)).toBeCloseTo(1 - Math.pow(36 / 49, 0.5), 14);
    // a lapsed customer is less likely to buy than a recent one with the same history length
    expect(bgNbdProbabilityOfPurchase(truth, 13, 3, 5, 30)).toBeLessThan(bgNbdProbabilityOfPurchase(truth, 13, 3, 29, 30));
    expect(() => bgNbdProbabilityOfPurchase(truth, -1, 0, 0, 1)).toThrow(/horizon must be ≥ 0/);
  });
});

describe('BG/NBD input checks', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e instanceof AppError ? `${e.code}: ${e.message}` : String(e);
    }
    return 'no error';
  };
  it('rejects impossible summaries with CLV_INPUT_INVALID naming the customer', () => {
    const base = { frequency: [1, 2], recency: [3, 4], T: [10, 10] };
    expect(code(() => fitBgNbd({ ...base, recency: [3, -1] }))).toMatch(/^CLV_INPUT_INVALID: customer 1: recency must be ≥ 0/);
    expect(code(() => fitBgNbd({ ...base, recency: [3, 11] }))).toMatch(/^CLV_INPUT_INVALID: customer 1: recency 11 is greater than T 10/);
    expect(code(() => fitBgNbd({ ...base, T: [Number.NaN, 10] }))).toMatch(/^CLV_INPUT_INVALID: customer 0: .* finite numbers/);
    expect(code(() => fitBgNbd({ ...base, frequency: [1.5, 2] }))).toMatch(/^CLV_INPUT_INVALID: customer 0: frequency must be a whole number/);
    expect(code(() => fitBgNbd({ frequency: [0], recency: [2], T: [10] }))).toMatch(/^CLV_INPUT_INVALID: customer 0: recency must be 0 when frequency is 0/);
    expect(code(() => fitBgNbd({ frequency: [], recency: [], T: [] }))).toMatch(/^CLV_INPUT_INVALID: no customers/);
    expect(code(() => bgNbdExpected({ r: 1, alpha: -1, a: 1, b: 1 }, 1, 0, 0, 1))).toMatch(/^CLV_INPUT_INVALID: BG\/NBD parameter alpha/);
  });
  it('answers CLV_FIT_FAILED when the data cannot identify the model', () => {
    // nobody ever comes back: r/α → 0 and the drop-out parameters are free
    expect(code(() => fitBgNbd({ frequency: [0, 0, 0, 0], recency: [0, 0, 0, 0], T: [5, 8, 9, 12] }))).toMatch(/^CLV_FIT_FAILED: /);
  });
});
