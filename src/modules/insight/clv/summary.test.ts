import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { dayNumber, periodOf, summariseTransactions, SummaryBuilder } from './summary.js';
import { discountedTransactions } from './value.js';

const tx = (customerId: string, date: string, amount: number) => ({ customerId, date, amount });

describe('summaries from transactions', () => {
  const rows = [
    tx('a', '2024-01-01', 10), // Monday, week 0 of the calibration
    tx('a', '2024-01-03', 5), // same week: merged
    tx('a', '2024-01-15', 20), // week 2
    tx('a', '2024-01-29', 40), // week 4
    tx('b', '2024-01-20', 7), // one purchase only
    tx('c', '2024-02-12', 9), // first purchase after the calibration end: left out
    tx('a', '2024-02-06', 3), // holdout
    tx('a', '2024-02-07', 3), // holdout, same week
    tx('b', '2024-02-20', 8), // holdout, another week
    tx('a', '2024-03-30', 99), // after the holdout end: ignored
  ];

  it('counts repeat purchase periods, recency and T in weeks, with the mean of the repeat purchases', () => {
    const out = summariseTransactions(rows, { calibrationEnd: '2024-02-04', period: 'week' });
    // calibration end Sunday 2024-02-04 is in week 4 (Monday 2024-01-29 … Sunday 2024-02-04)
    expect(out).toEqual([
      { customerId: 'a', frequency: 2, recency: 4, T: 4, monetaryValue: 30 },
      { customerId: 'b', frequency: 0, recency: 0, T: 2, monetaryValue: 0 },
    ]);
  });

  it('counts days, merging purchases on the same day only', () => {
    const out = summariseTransactions(rows, { calibrationEnd: '2024-02-04', period: 'day' });
    expect(out[0]).toEqual({ customerId: 'a', frequency: 3, recency: 28, T: 34, monetaryValue: (5 + 20 + 40) / 3 });
  });

  it('with a holdout end, counts the holdout purchase periods of calibration customers', () => {
    const out = summariseTransactions(rows, { calibrationEnd: '2024-02-04', holdoutEnd: '2024-03-03', period: 'week' });
    expect(out.map((r) => [r.customerId, r.holdoutFrequency, r.holdoutDuration])).toEqual([
      ['a', 1, 4],
      ['b', 1, 4],
    ]);
  });

  it('reads YYYY-MM-DD, YYYYMMDD and ISO date-times; weeks start on Monday', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('19970101')).toBe(dayNumber('1997-01-01'));
    expect(dayNumber('2024-02-04T23:59:00Z')).toBe(dayNumber('2024-02-04'));
    expect(dayNumber('2024-02-30')).toBeUndefined();
    expect(periodOf(dayNumber('2024-01-28') as number, 'week') + 1).toBe(periodOf(dayNumber('2024-01-29') as number, 'week'));
    expect(periodOf(dayNumber('2024-01-29') as number, 'week')).toBe(periodOf(dayNumber('2024-02-04') as number, 'week'));
  });

  it('rejects bad dates, amounts and end dates with CLV_INPUT_INVALID', () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof AppError ? `${e.code}: ${e.message}` : String(e);
      }
      return 'no error';
    };
    const b = new SummaryBuilder({ calibrationEnd: '2024-02-04', period: 'week' });
    expect(err(() => b.add('a', '4 Feb 2024', 1, 'line 3'))).toBe('CLV_INPUT_INVALID: line 3: "4 Feb 2024" is not a date (YYYY-MM-DD)');
    expect(err(() => b.add('a', '2024-02-01', Number.NaN, 'line 4'))).toBe('CLV_INPUT_INVALID: line 4: the amount must be a number');
    expect(err(() => new SummaryBuilder({ calibrationEnd: '2024-02-04', holdoutEnd: '2024-01-01', period: 'week' }))).toMatch(/^CLV_INPUT_INVALID: the holdout end 2024-01-01 must be after/);
  });
});

describe('discounting', () => {
  it('with a constant purchase rate, is the rate times an annuity; without a discount, the expectation at the horizon', () => {
    const rate = 0.3;
    const d = 0.01;
    const annuity = (1 - Math.pow(1 + d, -52)) / d;
    expect(discountedTransactions((t) => rate * t, { horizon: 52, discount: d })).toBeCloseTo(rate * annuity, 12);
    expect(discountedTransactions((t) => Math.sqrt(t), { horizon: 10, discount: 0 })).toBeCloseTo(Math.sqrt(10), 12);
  });
});
