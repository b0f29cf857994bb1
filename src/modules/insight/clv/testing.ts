/** The CDNOW sample (2 357 customers, weeks) from test/fixtures/clv, for the tests. */
import { readFileSync } from 'node:fs';

export interface CdnowSample {
  frequency: number[];
  recency: number[];
  T: number[];
  /** Mean repeat spend, rounded to cents (0 for customers without repeat purchases). */
  monetary: number[];
}

export function cdnow(): CdnowSample {
  const file = new URL('../../../../test/fixtures/clv/cdnow_customers_summary_with_transactions.csv', import.meta.url);
  const rows = readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number));
  return {
    frequency: rows.map((r) => r[1] as number),
    recency: rows.map((r) => r[2] as number),
    T: rows.map((r) => r[3] as number),
    monetary: rows.map((r) => r[4] as number),
  };
}
