import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random.js';
import { auc, backtest, brierScore, calibration, calibrationTable, logLoss, timeSplit } from './evaluate.js';
import { sigmoid } from './logistic.js';
import { normal } from './simulate.js';

/** AUC by counting every (event, non-event) pair: 1 when the event scores higher, ½ on a tie. */
function pairwiseAuc(s: number[], y: number[]): number {
  let wins = 0;
  let pairs = 0;
  s.forEach((a, i) =>
    s.forEach((b, j) => {
      if (y[i] === 1 && y[j] === 0) {
        pairs++;
        wins += a > b ? 1 : a === b ? 0.5 : 0;
      }
    }),
  );
  return wins / pairs;
}

describe('AUC (Mann–Whitney with ties)', () => {
  it('counts ties as one half, as the pairwise definition does', () => {
    // events score 0.8, 0.4, 0.4; non-events 0.4, 0.2: pairs (0.8>0.4 ✓, 0.8>0.2 ✓, 0.4=0.4 ½, 0.4>0.2 ✓) ×… = 5/6
    expect(auc([0.8, 0.4, 0.4, 0.4, 0.2], [1, 1, 1, 0, 0])).toBeCloseTo(5 / 6, 12);
    expect(auc([0.3, 0.3, 0.3, 0.3], [1, 0, 1, 0])).toBe(0.5);
    expect(auc([1, 2, 3], [0, 0, 1])).toBe(1);
    expect(auc([1, 2, 3], [1, 0, 0])).toBe(0);
    expect(auc([1, 2], [1, 1])).toBeNaN();
  });

  it('equals the pairwise count on 400 scores with many ties', () => {
    const rng = seededRandom(4);
    const s = Array.from({ length: 400 }, () => Math.round(rng.next() * 20) / 20);
    const y = s.map((v) => (rng.next() < v ? 1 : 0));
    expect(auc(s, y)).toBeCloseTo(pairwiseAuc(s, y), 12);
    expect(auc(s, y.map((v) => v === 1))).toBeCloseTo(pairwiseAuc(s, y), 12);
  });
});

describe('probability scores and calibration', () => {
  it('log-loss and Brier score by hand', () => {
    expect(logLoss([0.9, 0.2], [1, 0])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(brierScore([0.9, 0.2], [1, 0])).toBeCloseTo((0.01 + 0.04) / 2, 12);
    expect(Number.isFinite(logLoss([0, 1], [1, 0]))).toBe(true);
  });

  it('puts sorted predictions into equal-size deciles with their observed rates', () => {
    const p = Array.from({ length: 25 }, (_, i) => i / 25);
    const y = p.map((v) => (v >= 0.6 ? 1 : 0));
    const table = calibrationTable(p, y, 10);
    expect(table).toHaveLength(10);
    expect(table.reduce((a, b) => a + b.n, 0)).toBe(25);
    expect(table.map((b) => b.n)).toEqual([2, 3, 2, 3, 2, 3, 2, 3, 2, 3]);
    expect(table[0]).toMatchObject({ bin: 1, minPredicted: 0, maxPredicted: 0.04, meanPredicted: 0.02, observedRate: 0 });
    expect(table[9]?.observedRate).toBe(1);
  });

  it('finds slope 1 and intercept 0 for calibrated predictions, and slope < 1 for overconfident ones', () => {
    const rng = seededRandom(8);
    const eta = Array.from({ length: 20000 }, () => -1.5 + 1.2 * normal(rng));
    const y = eta.map((e) => (rng.next() < sigmoid(e) ? 1 : 0));
    const good = calibration(eta.map(sigmoid), y);
    expect(Math.abs(good.slope - 1)).toBeLessThan(0.06);
    expect(Math.abs(good.inTheLarge)).toBeLessThan(0.05);
    const overconfident = calibration(
      eta.map((e) => sigmoid(2 * e)),
      y,
    );
    expect(overconfident.slope).toBeCloseTo(0.5, 1);
    // risk under-predicted everywhere by a factor e in the odds: in-the-large ≈ +1
    const under = calibration(
      eta.map((e) => sigmoid(e - 1)),
      y,
    );
    expect(under.inTheLarge).toBeCloseTo(1, 1);
  });
});

describe('time-split backtest', () => {
  const snap = (at: string, churned: boolean, score: number) => ({ at, churned, score });

  it('trains only on snapshots whose label window closed by the cut, and tests on those after it', () => {
    const rows = [
      snap('2024-01-01', false, 0.1), // closed 2024-03-31: train
      snap('2024-03-01', true, 0.9), // closes 2024-05-30 > cut: neither
      snap('2024-04-01', false, 0.2), // neither
      snap('2024-05-01', true, 0.8), // test
      snap('2024-06-01', false, 0.3), // test
      snap('2024-09-01', true, 0.7), // window open at asOf: neither
    ];
    const split = timeSplit(rows, { cut: '2024-05-01', horizonDays: 90, asOf: '2024-10-01' });
    expect(split.train.map((r) => r.at)).toEqual(['2024-01-01']);
    expect(split.test.map((r) => r.at)).toEqual(['2024-05-01', '2024-06-01']);
    expect(split.excluded).toBe(3);
  });

  it('reports each model on the test part, having shown it only the training part', () => {
    const rows = [
      snap('2024-01-01', false, 0.1),
      snap('2024-01-02', true, 0.6),
      snap('2024-06-01', true, 0.9),
      snap('2024-06-02', false, 0.2),
      snap('2024-06-03', false, 0.95),
    ];
    let seen = 0;
    const report = backtest(rows, {
      cut: '2024-05-01',
      horizonDays: 90,
      models: {
        score: (train) => {
          seen = train.length;
          return (s) => s.score;
        },
        constant: () => () => 0.5,
      },
    });
    expect(seen).toBe(2);
    expect(report.train).toEqual({ n: 2, events: 1 });
    expect(report.test).toEqual({ n: 3, events: 1 });
    expect(report.models.score?.auc).toBeCloseTo(0.5, 12); // 0.9 beats 0.2, loses to 0.95
    expect(report.models.constant?.auc).toBe(0.5);
    expect(report.models.constant?.brier).toBeCloseTo(0.25, 12);
  });
});
