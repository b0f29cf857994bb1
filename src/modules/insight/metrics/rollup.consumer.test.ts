import { describe, expect, it } from 'vitest';
import { billingRecords, factsWithin } from './rollup.consumer.js';

const fact = (kind: string, n: number, at = 0) => ({ payload: { source: 'shop', kind, externalIds: Array.from({ length: n }, (_, i) => `${kind}-${at}-${i}`) } });

describe('a rollup transaction within its weight', () => {
  // Retention's: each fact's billing records, at most 5 000 a transaction.
  const retention = (facts: readonly { payload: unknown }[]) => factsWithin(facts.map((f) => billingRecords(f.payload)), 5_000);

  it('applies every fact that names no billing record, however many records they name', () => {
    const facts = Array.from({ length: 200 }, (_, i) => fact('contact', 1000, i));
    expect(retention(facts)).toBe(200);
  });

  it('stops before the fact that would pass the weight, and always takes one', () => {
    const facts = [fact('contact', 1000), ...Array.from({ length: 7 }, (_, i) => fact('order', 1000, i)), fact('contact', 5)];
    expect(retention(facts)).toBe(6);
    expect(retention([fact('order', 9000)])).toBe(1);
    expect(factsWithin(facts.map((f) => billingRecords(f.payload)))).toBe(facts.length);
  });

  it('counts only the billing records of well-formed facts', () => {
    expect(billingRecords(fact('order', 3).payload)).toHaveLength(3);
    expect(billingRecords(fact('contact', 3).payload)).toEqual([]);
    expect(billingRecords({ kind: 'order' })).toEqual([]);
  });
});
