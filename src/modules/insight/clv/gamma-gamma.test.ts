import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { seededRandom } from '../../../platform/random.js';
import { fitGammaGamma, gammaGammaExpectedSpend } from './gamma-gamma.js';
import { simulateBgNbd, simulateSpend } from './simulate.js';
import { cdnow } from './testing.js';

const sample = cdnow();

describe('Gamma-Gamma on CDNOW (Fader & Hardie 2013: p 6.25, q 3.74, v 15.44)', () => {
  it('fits the 946 repeat customers to the likelihood maximum of this cent-rounded summary: p 6.249, q 3.745, v 15.448', () => {
    const fit = fitGammaGamma({ frequency: sample.frequency, monetary: sample.monetary });
    expect(fit.customers).toBe(946);
    // PRODUCT.md: the published v = 15.44 comes from spend at full precision
    expect(fit.params.p).toBeCloseTo(6.249, 3);
    expect(fit.params.q).toBeCloseTo(3.745, 3);
    expect(fit.params.v).toBeCloseTo(15.448, 3);
    expect(fit.params.p).toBeCloseTo(6.25, 2);
    expect(fit.params.q).toBeCloseTo(3.74, 2);
    expect(Math.abs(fit.params.v - 15.44)).toBeLessThan(0.01);
    for (const k of ['p', 'q', 'v'] as const) expect(fit.standardErrors[k]).toBeGreaterThan(0);
  });

  it('expects the spend of Hardie’s spreadsheet for the first ten customers (as lifetimes’ tests check)', () => {
    const params = { p: 6.25, q: 3.74, v: 15.44 };
    const want = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    want.forEach((w, i) => expect(Math.abs(gammaGammaExpectedSpend(params, sample.frequency[i] as number, sample.monetary[i] as number) - w), `customer ${i + 1}`).toBeLessThan(0.1));
  });

  it('fitted to simulated spend, recovers the parameters within 4 standard errors', () => {
    const truth = { p: 4, q: 5, v: 60 };
    const frequency = simulateBgNbd({ r: 2, alpha: 8, a: 1, b: 6 }, 30_000, seededRandom(3)).frequency;
    const fit = fitGammaGamma({ frequency, monetary: simulateSpend(truth, frequency, seededRandom(4)) });
    for (const k of ['p', 'q', 'v'] as const) expect(Math.abs(fit.params[k] - truth[k]), k).toBeLessThan(4 * fit.standardErrors[k]);
  });

  it('rejects a repeat customer without a positive mean spend', () => {
    try {
      fitGammaGamma({ frequency: [0, 2, 1], monetary: [0, 10, -3] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('CLV_INPUT_INVALID');
      expect((e as AppError).message).toMatch(/^customer 2: a repeat customer's mean spend must be a positive number/);
    }
  });
});
