/**
 * Discounted customer lifetime value (PRODUCT.md): expected transactions per period — the
 * difference of the cumulative expectation at the period's end and start — times the
 * expected spend per transaction, discounted to today:
 *
 *   CLV = spend · Σ_{k=1}^{H} (E[Y(k)] − E[Y(k−1)]) / (1 + d)^k
 *
 * in the model's periods (weeks or days), d the discount rate per period.
 */
import { AppError } from '../../../platform/errors.js';
import { bgNbdExpected, bgNbdPAlive, type BgNbdParams } from './bgnbd.js';
import type { CustomerData } from './data.js';
import { paretoExpected, paretoPAlive, type ParetoNbdParams } from './pareto.js';

export interface HorizonOptions {
  /** Whole periods ahead (≥ 1). */
  horizon: number;
  /** Discount rate per period (≥ 0). */
  discount: number;
}

/** 10 % a year, as a rate per period: (1.1)^{1/52} − 1 a week, (1.1)^{1/365} − 1 a day. */
export const DEFAULT_ANNUAL_DISCOUNT = 0.1;
export const discountPerPeriod = (annual: number, period: 'week' | 'day') => Math.pow(1 + annual, 1 / (period === 'week' ? 52 : 365)) - 1;

export function checkHorizon({ horizon, discount }: HorizonOptions): void {
  if (!(Number.isInteger(horizon) && horizon >= 1)) throw new AppError('CLV_INPUT_INVALID', `the horizon must be a whole number of periods ≥ 1 (got ${horizon})`);
  if (!(Number.isFinite(discount) && discount >= 0)) throw new AppError('CLV_INPUT_INVALID', `the discount rate must be a number ≥ 0 (got ${discount})`);
}

/** Σ_{k=1}^{H} (E(k) − E(k−1)) / (1+d)^k for a cumulative expectation E with E(0) = 0. */
export function discountedTransactions(expectedCumulative: (t: number) => number, options: HorizonOptions): number {
  checkHorizon(options);
  let previous = 0;
  let total = 0;
  let factor = 1;
  const step = 1 / (1 + options.discount);
  for (let k = 1; k <= options.horizon; k++) {
    const current = expectedCumulative(k);
    factor *= step;
    total += (current - previous) * factor;
    previous = current;
  }
  return total;
}

/** CLV of one customer: expected spend per transaction × discounted expected transactions. */
export const discountedClv = (expectedCumulative: (t: number) => number, spend: number, options: HorizonOptions) => spend * discountedTransactions(expectedCumulative, options);

export interface TuplePredictions {
  pAlive: Float64Array;
  /** E[Y(horizon)]: expected transactions over the horizon, undiscounted. */
  expected: Float64Array;
  /** Discounted expected transactions over the horizon (CLV = this × expected spend). */
  discounted: Float64Array;
}

export type TransactionModel = { model: 'bgnbd'; params: BgNbdParams } | { model: 'pareto'; params: ParetoNbdParams };

/** P(alive), expected and discounted expected transactions for each distinct tuple of `data`. */
export function predictTuples(fit: TransactionModel, data: CustomerData, options: HorizonOptions): TuplePredictions {
  checkHorizon(options);
  const n = data.size;
  const pAlive = new Float64Array(n);
  const expected = new Float64Array(n);
  const discounted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = data.x[i] as number;
    const tx = data.tx[i] as number;
    const T = data.T[i] as number;
    const E =
      fit.model === 'bgnbd' ? (t: number) => bgNbdExpected(fit.params, t, x, tx, T) : (t: number) => paretoExpected(fit.params, t, x, tx, T);
    pAlive[i] = fit.model === 'bgnbd' ? bgNbdPAlive(fit.params, x, tx, T) : paretoPAlive(fit.params, x, tx, T);
    let previous = 0;
    let total = 0;
    let factor = 1;
    const step = 1 / (1 + options.discount);
    for (let k = 1; k <= options.horizon; k++) {
      const current = E(k);
      factor *= step;
      total += (current - previous) * factor;
      previous = current;
    }
    expected[i] = previous;
    discounted[i] = total;
  }
  return { pAlive, expected, discounted };
}
