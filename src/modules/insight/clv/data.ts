/**
 * Customer summaries as the models read them: validated, then compressed into unique
 * (frequency, recency, T) tuples with a count each, in typed arrays. Data measured in whole
 * periods has few distinct tuples, so a likelihood over tuples costs far less than one over
 * customers and gives the same sum.
 */
import { AppError } from '../../../platform/errors.js';

/** One customer's summary over the calibration period, in periods (weeks or days). */
export interface CustomerSummary {
  /** Repeat purchases: purchase periods after the first (an integer ≥ 0). */
  frequency: number;
  /** From the first to the last purchase (0 when frequency is 0). */
  recency: number;
  /** From the first purchase to the end of the calibration period (≥ recency; 0 for a customer first seen at its end). */
  T: number;
}

export interface SummaryColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
}

/** Unique (x, t_x, T) tuples with the number of customers holding each. */
export interface CustomerData {
  /** Distinct tuples. */
  size: number;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Customers in all (the sum of the weights). */
  customers: number;
  maxX: number;
  /** For each input customer, its tuple. */
  tupleOf: Int32Array;
}

const invalid = (message: string): never => {
  throw new AppError('CLV_INPUT_INVALID', message);
};

/** Throws CLV_INPUT_INVALID naming the first customer (0-based) whose summary is impossible. */
export function checkSummary(frequency: number, recency: number, T: number, index: number, label = `customer ${index}`): void {
  if (!Number.isFinite(frequency) || !Number.isFinite(recency) || !Number.isFinite(T))
    invalid(`${label}: frequency, recency and T must be finite numbers (got ${frequency}, ${recency}, ${T})`);
  if (frequency < 0 || !Number.isInteger(frequency)) invalid(`${label}: frequency must be a whole number ≥ 0 (got ${frequency})`);
  if (recency < 0) invalid(`${label}: recency must be ≥ 0 (got ${recency})`);
  if (T < 0) invalid(`${label}: T must be ≥ 0 (got ${T})`);
  if (recency > T) invalid(`${label}: recency ${recency} is greater than T ${T}`);
  if (frequency === 0 && recency !== 0) invalid(`${label}: recency must be 0 when frequency is 0 (got ${recency})`);
}

function fromColumns(cols: SummaryColumns): SummaryColumns {
  const n = cols.frequency.length;
  if (cols.recency.length !== n || cols.T.length !== n) invalid(`frequency, recency and T must have the same length (${n}, ${cols.recency.length}, ${cols.T.length})`);
  if (n === 0) invalid('no customers to fit');
  return cols;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
function mix(h: number, v: number): number {
  f64[0] = v + 0; // −0 and 0 hash alike
  h = Math.imul(h ^ (u32[0] as number), 0x9e3779b1);
  h = Math.imul(h ^ (u32[1] as number), 0x85ebca77);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Validate every customer and compress them into unique tuples (an open-addressing hash over the three numbers). */
export function customerData(input: SummaryColumns | readonly CustomerSummary[]): CustomerData {
  const cols: SummaryColumns = Array.isArray(input)
    ? {
        frequency: (input as readonly CustomerSummary[]).map((c) => c.frequency),
        recency: (input as readonly CustomerSummary[]).map((c) => c.recency),
        T: (input as readonly CustomerSummary[]).map((c) => c.T),
      }
    : fromColumns(input as SummaryColumns);
  const n = cols.frequency.length;
  if (n === 0) invalid('no customers to fit');
  let cap = 16;
  while (cap < 2 * n) cap *= 2;
  const table = new Int32Array(cap).fill(-1);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const weight = new Float64Array(n);
  const tupleOf = new Int32Array(n);
  let size = 0;
  let maxX = 0;
  for (let i = 0; i < n; i++) {
    const xi = cols.frequency[i] as number;
    const ri = cols.recency[i] as number;
    const Ti = cols.T[i] as number;
    checkSummary(xi, ri, Ti, i);
    let slot = mix(mix(mix(0x12345, xi), ri), Ti) & (cap - 1);
    for (;;) {
      const t = table[slot] as number;
      if (t === -1) {
        table[slot] = size;
        x[size] = xi;
        tx[size] = ri;
        T[size] = Ti;
        weight[size] = 1;
        tupleOf[i] = size;
        size++;
        if (xi > maxX) maxX = xi;
        break;
      }
      if (x[t] === xi && tx[t] === ri && T[t] === Ti) {
        weight[t] = (weight[t] as number) + 1;
        tupleOf[i] = t;
        break;
      }
      slot = (slot + 1) & (cap - 1);
    }
  }
  return { size, x: x.slice(0, size), tx: tx.slice(0, size), T: T.slice(0, size), weight: weight.slice(0, size), customers: n, maxX, tupleOf };
}

/** Per-customer values from per-tuple ones. */
export function expand(perTuple: Float64Array, data: CustomerData): Float64Array {
  const out = new Float64Array(data.tupleOf.length);
  for (let i = 0; i < out.length; i++) out[i] = perTuple[data.tupleOf[i] as number] as number;
  return out;
}
