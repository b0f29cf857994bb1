import { describe, expect, it } from 'vitest';
import { addInto, emptyHistogram, histogramOf, npsStandardError, summarise, wilson, Z95 } from './satisfaction.maths.js';

describe('satisfaction maths', () => {
  it('NPS, its PRODUCT.md standard error and interval, worked by hand', () => {
    // 2 promoters (10, 9), 2 passives (8, 7), 2 detractors (6, 0): NPS 0; pP = pD = 1/3;
    // SE = 100·sqrt((1/3 + 1/3 − 0) / 6) = 100/3.
    const s = summarise('nps', histogramOf([10, 9, 8, 7, 6, 0]));
    expect(s.n).toBe(6);
    expect(s.value).toBe(0);
    expect(npsStandardError(2, 2, 6)).toBeCloseTo(100 / 3, 10);
    expect(s.low).toBeCloseTo((-Z95 * 100) / 3, 10);
    expect(s.high).toBeCloseTo((Z95 * 100) / 3, 10);
    expect([s.top, s.middle, s.bottom]).toEqual([2, 2, 2]);
    expect(s.mean).toBeCloseTo(40 / 6, 10);
  });

  it('all promoters: NPS 100 with a zero-width interval, clamped to the scale', () => {
    const s = summarise('nps', histogramOf([10, 10, 9, 9]));
    expect([s.value, s.low, s.high]).toEqual([100, 100, 100]);
    // 1 promoter, 1 detractor: NPS 0, SE = 100·sqrt(1/2) = 70.7, so the interval reaches the clamps.
    const split = summarise('nps', histogramOf([10, 0]));
    expect([split.low, split.high]).toEqual([-100, 100]);
  });

  it('CSAT: share of 4–5 with the Wilson interval, and the mean with its interval', () => {
    // 2 of 5 satisfied: Wilson 95 % = [11.76 %, 76.93 %] (the textbook value for 2/5).
    const s = summarise('csat', histogramOf([1, 2, 3, 4, 5]));
    expect(s.value).toBe(40);
    expect(s.low).toBeCloseTo(11.762, 2);
    expect(s.high).toBeCloseTo(76.928, 2);
    // Mean 3, sample SD sqrt(2.5), half-width 1.96·sqrt(2.5)/sqrt(5) = 1.386.
    expect(s.mean).toBe(3);
    expect(s.meanLow).toBeCloseTo(3 - Z95 * Math.sqrt(0.5), 10);
    expect(s.meanHigh).toBeCloseTo(3 + Z95 * Math.sqrt(0.5), 10);
    expect([s.top, s.middle, s.bottom]).toEqual([2, 1, 2]);
  });

  it('Wilson never collapses at 100 %: 3 answers of 5 give [43.8 %, 100 %]', () => {
    // p = 1: low = 1 / (1 + z²/n).
    const s = summarise('csat', histogramOf([5, 5, 5]));
    expect(s.value).toBe(100);
    expect(s.low).toBeCloseTo(100 / (1 + (Z95 * Z95) / 3), 10);
    expect(s.high).toBe(100);
    expect(wilson(0, 4).low).toBe(0);
    expect(wilson(0, 4).high).toBeGreaterThan(0);
  });

  it('CES: share of 5–7, the neutral 4 and the 1–3 band', () => {
    const s = summarise('ces', histogramOf([7, 6, 5, 4, 3, 1]));
    expect(s.value).toBe(50);
    expect([s.top, s.middle, s.bottom]).toEqual([3, 1, 2]);
    expect(s.mean).toBeCloseTo(26 / 6, 10);
  });

  it('no answers: n 0 and nulls; one answer: no interval for the mean', () => {
    const none = summarise('ces', emptyHistogram());
    expect(none).toMatchObject({ n: 0, value: null, low: null, high: null, mean: null, meanLow: null });
    const one = summarise('csat', histogramOf([4]));
    expect(one).toMatchObject({ n: 1, value: 100, mean: 4, meanLow: null, meanHigh: null });
  });

  it('histograms of days add up to the histogram of the period', () => {
    const a = [10, 9, 3, 7];
    const b = [0, 10, 8];
    const sum = addInto(histogramOf(a), histogramOf(b));
    expect(summarise('nps', sum)).toEqual(summarise('nps', histogramOf([...a, ...b])));
  });

  it('scores outside a scale do not count for it', () => {
    // A 0 or 9 in a CSAT histogram (impossible, but never silently counted).
    const h = histogramOf([0, 9, 5]);
    expect(summarise('csat', h).n).toBe(1);
    expect(() => histogramOf([11])).toThrow(RangeError);
  });
});
