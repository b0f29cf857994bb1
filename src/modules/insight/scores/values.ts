/**
 * Lifetime value in the product (pure): the workspace's BG/NBD fit (purchases, P(alive)) and
 * one Gamma-Gamma fit per currency (spend per purchase: amounts in different currencies are
 * never mixed), then each customer's P(alive), expected purchases over the horizon and
 * discounted CLV, and the distribution the home page shows.
 *
 * Periods are weeks (calendar weeks from Monday, as the CLI's `--period week`); the horizon
 * is 52 weeks and the discount 10 % a year, as the CLI's defaults.
 */
import {
  customerData,
  DEFAULT_ANNUAL_DISCOUNT,
  discountPerPeriod,
  fitBgNbd,
  fitGammaGamma,
  gammaGammaExpectedSpend,
  predictTuples,
  type BgNbdFit,
  type BgNbdParams,
  type GammaGammaFit,
  type GammaGammaParams,
} from '../clv/index.js';

export const CLV_HORIZON_WEEKS = 52;
export const CLV_DISCOUNT_PER_WEEK = discountPerPeriod(DEFAULT_ANNUAL_DISCOUNT, 'week');
/** A currency needs this many repeat customers for its own spend model. */
export const MIN_SPEND_CUSTOMERS = 30;

export interface ClvFit {
  period: 'week';
  horizonWeeks: number;
  discountPerWeek: number;
  customers: number;
  transactions: { model: 'bgnbd'; params: BgNbdParams; standardErrors: BgNbdParams; logLikelihood: number; customers: number } | null;
  /** Why there is no purchase model, when there is none. */
  transactionsError: string | null;
  spend: Record<string, { params: GammaGammaParams; standardErrors: GammaGammaParams; logLikelihood: number; customers: number }>;
  /** Currencies with too few repeat customers (or a failed fit), and why. */
  spendSkipped: Record<string, string>;
}

/** A distinct (frequency, recency, T) with how many customers hold it (the fit's data, read grouped). */
export interface SummaryTuple {
  frequency: number;
  recency: number;
  T: number;
  count: number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** BG/NBD on the grouped summaries (one row per distinct tuple, expanded to columns). */
export function fitTransactions(tuples: readonly SummaryTuple[]): Pick<ClvFit, 'transactions' | 'transactionsError' | 'customers'> {
  const customers = tuples.reduce((n, t) => n + t.count, 0);
  if (customers === 0) return { transactions: null, transactionsError: 'no customer has an order yet', customers };
  if (!tuples.some((t) => t.frequency > 0)) return { transactions: null, transactionsError: 'no customer has bought twice yet', customers };
  const frequency = new Float64Array(customers);
  const recency = new Float64Array(customers);
  const T = new Float64Array(customers);
  let i = 0;
  for (const t of tuples)
    for (let k = 0; k < t.count; k++, i++) {
      frequency[i] = t.frequency;
      recency[i] = t.recency;
      T[i] = t.T;
    }
  try {
    const fit: BgNbdFit = fitBgNbd(customerData({ frequency, recency, T }));
    return { transactions: { model: 'bgnbd', params: fit.params, standardErrors: fit.standardErrors, logLikelihood: fit.logLikelihood, customers: fit.customers }, transactionsError: null, customers };
  } catch (e) {
    return { transactions: null, transactionsError: message(e), customers };
  }
}

/** Gamma-Gamma for one currency's repeat customers (frequency > 0, mean spend > 0). */
export function fitSpend(frequency: Float64Array, monetary: Float64Array): { fit?: GammaGammaFit; error?: string } {
  if (frequency.length < MIN_SPEND_CUSTOMERS) return { error: `only ${frequency.length} repeat customers (at least ${MIN_SPEND_CUSTOMERS} needed)` };
  try {
    const fit = fitGammaGamma({ frequency, monetary });
    if (!(fit.params.q > 1)) return { error: `the spend model's q is ${fit.params.q.toFixed(3)} (≤ 1: no finite mean spend)` };
    return { fit };
  } catch (e) {
    return { error: message(e) };
  }
}

export interface CustomerValue {
  pAlive: number | null;
  expectedTransactions: number | null;
  expectedSpend: number | null;
  clv: number | null;
}

/** One customer's values under the fit (nulls where a model is missing). */
export function customerValue(fit: ClvFit, summary: { frequency: number; recency: number; T: number; monetary: number }, currency: string | null): CustomerValue {
  if (!fit.transactions) return { pAlive: null, expectedTransactions: null, expectedSpend: null, clv: null };
  const data = customerData({ frequency: [summary.frequency], recency: [summary.recency], T: [summary.T] });
  const p = predictTuples({ model: 'bgnbd', params: fit.transactions.params }, data, { horizon: fit.horizonWeeks, discount: fit.discountPerWeek });
  const spendModel = currency ? fit.spend[currency] : undefined;
  const expectedSpend = spendModel ? gammaGammaExpectedSpend(spendModel.params, summary.monetary > 0 ? summary.frequency : 0, summary.monetary) : null;
  return {
    pAlive: p.pAlive[0] as number,
    expectedTransactions: p.expected[0] as number,
    expectedSpend,
    clv: expectedSpend === null ? null : expectedSpend * (p.discounted[0] as number),
  };
}

export interface ClvBucket {
  from: number;
  /** null: the last bucket, open-ended (the top 1 % and above). */
  to: number | null;
  customers: number;
  total: number;
}

export interface ClvDistribution {
  currency: string;
  customers: number;
  total: number;
  mean: number;
  quantiles: { p: number; value: number }[];
  buckets: ClvBucket[];
}

export const QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9, 0.99] as const;

/** Round edges for histogram buckets up to `max`: 0, then 1-2-5 steps (at most ~12 buckets). */
export function bucketEdges(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const steps: number[] = [];
  for (let e = -2; e <= 9; e++) for (const m of [1, 2, 5]) steps.push(m * 10 ** e);
  const width = steps.find((s) => max / s <= 12) ?? max;
  const edges: number[] = [];
  for (let x = 0; x < max; x += width) edges.push(Number(x.toPrecision(12)));
  edges.push(Number((edges.length * width).toPrecision(12)));
  return edges;
}
