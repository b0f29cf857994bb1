/** `emptychair clv fit` as a person runs it: a child process on the built CLI. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beta, gamma } from '../../src/modules/insight/clv/simulate.js';
import { seededRandom } from '../../src/platform/random.js';
import { cli } from '../support/cli.js';

const built = fileURLToPath(new URL('../../dist/src/cli/commands/clv.js', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/clv/cdnow_customers_summary_with_transactions.csv', import.meta.url));

interface Report {
  model: string;
  customers: number;
  params: Record<string, number>;
  standardErrors: Record<string, number>;
  logLikelihood: number;
  gammaGamma?: { customers: number; params: Record<string, number> };
  holdout?: { periods: number; predicted: number; actual: number; byCalibrationTransactions: { transactions: string; customers: number; predictedPerCustomer: number; actualPerCustomer: number }[] };
  predictions?: { file: string; horizon: number; discountPerPeriod: number };
}

/** Daily transactions of BG/NBD customers (weekly rates) (first purchases over 13 weeks from 2024-01-01), with Gamma-Gamma amounts. */
function transactions(customers: number): string {
  const rng = seededRandom(42);
  const start = Date.UTC(2024, 0, 1);
  const lines = ['order_id,Customer,Order Date,Total'];
  let order = 0;
  for (let c = 0; c < customers; c++) {
    const lambda = gamma(rng, 0.6, 7);
    const p = beta(rng, 1, 4);
    const nu = gamma(rng, 4, 80);
    let day = Math.floor(rng.next() * 91);
    const id = `cust-${c}`;
    // the first purchase, then repeat purchases at rate λ a week, each followed by drop-out with probability p
    let time = day / 7;
    for (let k = 0; ; k++) {
      const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
      lines.push(`${order++},${id},${date},${gamma(rng, 3, nu).toFixed(2)}`);
      if (k > 0 && rng.next() < p) break;
      time += -Math.log(1 - rng.next()) / lambda;
      day = Math.floor(time * 7);
      if (day >= 364) break;
    }
  }
  return lines.join('\n') + '\n';
}

describe('emptychair clv fit', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(built)) throw new Error('run `npm run build:server` first (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'emptychair-clv-'));
    const rows = readFileSync(fixture, 'utf8').trim().split(/\r?\n/).slice(1);
    writeFileSync(join(dir, 'cdnow.csv'), `customer_id,frequency,recency,T,monetary_value\n${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'orders.csv'), transactions(3000));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fits BG/NBD and Gamma-Gamma to the CDNOW summary and writes per-customer predictions', async () => {
    const out = join(dir, 'pred.csv');
    const res = await cli(['clv', 'fit', '--summary', join(dir, 'cdnow.csv'), '--predictions', out, '--horizon', '39']);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as Report;
    expect(report.model).toBe('bgnbd');
    expect(report.customers).toBe(2357);
    expect([report.params.r, report.params.alpha, report.params.a, report.params.b].map((v) => v?.toFixed(3))).toEqual(['0.243', '4.414', '0.793', '2.426']);
    expect(report.logLikelihood).toBeCloseTo(-9582.43, 2);
    expect(report.standardErrors.r).toBeGreaterThan(0);
    expect(report.gammaGamma?.customers).toBe(946);
    expect(report.gammaGamma?.params.p).toBeCloseTo(6.249, 3);
    expect(report.predictions?.horizon).toBe(39);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('customer_id,frequency,recency,T,p_alive,expected_transactions,expected_spend,clv');
    expect(lines).toHaveLength(2358);
    // customer 1 (x = 2, t_x = 30.43, T = 38.86): 1.226 purchases in the next 39 weeks (Fader, Hardie & Lee's spreadsheet)
    const first = (lines[1] as string).split(',');
    expect(first[0]).toBe('1');
    expect(Number(first[5])).toBeCloseTo(1.226, 3);
    expect(Number(first[6])).toBeCloseTo(24.65, 1);
    // a customer without repeat purchases is alive for sure under BG/NBD
    expect(Number((lines[3] as string).split(',')[4])).toBe(1);
  });

  it('fits Pareto/NBD with --model pareto', async () => {
    const res = await cli(['clv', 'fit', '--summary', join(dir, 'cdnow.csv'), '--model', 'pareto']);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as Report;
    expect(report.model).toBe('pareto');
    expect([report.params.r, report.params.alpha, report.params.s].map((v) => v?.toFixed(3))).toEqual(['0.553', '10.578', '0.606']);
  });

  it('summarises transactions into weeks, and with a holdout reports predicted against actual purchases by calibration purchases', async () => {
    const args = ['clv', 'fit', '--transactions', join(dir, 'orders.csv'), '--customer-column', 'Customer', '--date-column', 'Order Date', '--amount-column', 'Total'];
    const res = await cli([...args, '--calibration-end', '2024-06-30', '--holdout-end', '2024-12-29', '--predictions', join(dir, 'orders-pred.csv')]);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as Report;
    expect(report.customers).toBe(3000);
    expect(report.holdout?.periods).toBe(26);
    expect(report.holdout?.byCalibrationTransactions.map((g) => g.transactions)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(report.holdout?.byCalibrationTransactions.reduce((s, g) => s + g.customers, 0)).toBe(3000);
    expect(report.gammaGamma?.customers).toBeGreaterThan(300);
    expect(readFileSync(join(dir, 'orders-pred.csv'), 'utf8').trim().split('\n')).toHaveLength(3001);
    // in days, the resolution the purchases were made at, the model predicts the holdout closely
    const daily = await cli([...args, '--calibration-end', '2024-06-30', '--holdout-end', '2024-12-29', '--period', 'day']);
    expect(daily.code, daily.stderr).toBe(0);
    const { predicted, actual, periods } = (JSON.parse(daily.stdout) as Report).holdout as { predicted: number; actual: number; periods: number };
    expect(periods).toBe(182);
    expect(actual).toBeGreaterThan(2000);
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.05);
  });

  it('answers bad input with one clear line and exit code 1', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'customer_id,frequency,recency,T\nx,2,40,38\n');
    const nan = join(dir, 'nan.csv');
    writeFileSync(nan, 'customer_id,frequency,recency,T\nx,2,abc,38\n');
    const orders = join(dir, 'orders.csv');
    const cases: [string[], RegExp][] = [
      [['clv', 'fit'], /^emptychair: --transactions: give either --transactions FILE.csv or --summary FILE.csv$/],
      [['clv', 'fit', '--summary', join(dir, 'missing.csv')], /^emptychair: cannot read .*missing\.csv$/],
      [['clv', 'fit', '--summary', bad], /^emptychair: customer 0: recency 40 is greater than T 38$/],
      [['clv', 'fit', '--summary', nan], /^emptychair: .*nan\.csv line 2: recency "abc" is not a number$/],
      [['clv', 'fit', '--summary', orders], /^emptychair: no column "customer_id", "frequency", "recency", "T" in .*orders\.csv; its columns are "order_id", "Customer"/],
      [['clv', 'fit', '--summary', bad, '--model', 'gamma'], /^emptychair: --model: /],
      [['clv', 'fit', '--summary', bad, '--horizon', '2.5'], /^emptychair: --horizon: must be a whole number of periods$/],
      [['clv', 'fit', '--transactions', orders, '--customer-column', 'Customer', '--date-column', 'Order Date', '--amount-column', 'Total', '--calibration-end', '2024-13-45'], /^emptychair: the calibration end must be a date YYYY-MM-DD \(got "2024-13-45"\)$/],
      [['clv', 'fit', '--transactions', orders, '--customer-column', 'Customer', '--date-column', 'Total', '--amount-column', 'Total', '--calibration-end', '2024-06-30'], /^emptychair: .*orders\.csv line 2: "[\d.]+" is not a date \(YYYY-MM-DD\)$/],
    ];
    for (const [args, message] of cases) {
      const res = await cli(args);
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringMatching(message)]);
    }
  });
});
