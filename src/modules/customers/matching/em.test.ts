import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random.js';
import { expectationMaximisation, PatternCounts, trainModel } from './em.js';
import { COMPARISONS, DEFAULT_MODEL, FIELD_COUNT } from './model.js';
import { prepare } from './prepare.js';
import { synthetic } from './synthetic.js';

/** Known parameters: m and u per field and level, and λ. */
const TRUE_M = [
  [0.7, 0.1, 0.08, 0.05, 0.02, 0.05],
  [0.8, 0.1, 0.05, 0.05],
  [0.75, 0.05, 0.1, 0.1],
  [0.5, 0.1, 0.1, 0.3],
  [0.6, 0.1, 0.3],
  [0.5, 0.2, 0.1, 0.05, 0.15],
];
const TRUE_U = [
  [0.02, 0.005, 0.01, 0.03, 0.005, 0.93],
  [0.01, 0.005, 0.02, 0.965],
  [0.002, 0.001, 0.01, 0.987],
  [0.001, 0.004, 0.01, 0.985],
  [0.001, 0.009, 0.99],
  [0.002, 0.01, 0.03, 0.1, 0.858],
];

function draw(r: () => number, p: number[]): number {
  let x = r();
  for (let l = 0; l < p.length; l++) {
    x -= p[l] as number;
    if (x < 0) return l;
  }
  return p.length - 1;
}

function simulate(pairs: number, lambda: number, seed: number): PatternCounts {
  const random = seededRandom(seed);
  const r = () => random.next();
  const counts = new PatternCounts();
  const v = new Int8Array(FIELD_COUNT);
  for (let i = 0; i < pairs; i++) {
    const match = r() < lambda;
    for (let f = 0; f < FIELD_COUNT; f++) {
      // Each field is missing on one side 10 % of the time.
      v[f] = r() < 0.1 ? -1 : draw(r, (match ? TRUE_M : TRUE_U)[f] as number[]);
    }
    counts.add(v);
  }
  return counts;
}

describe('expectation–maximisation', () => {
  it('recovers m and λ from comparison vectors simulated with known parameters', () => {
    const counts = simulate(200_000, 0.15, 42);
    const start = COMPARISONS.map((c) => [...DEFAULT_MODEL.comparisons[c.field].m]);
    const fit = expectationMaximisation(counts, TRUE_U, start, [], { prior: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.lambda).toBeCloseTo(0.15, 2);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const m = fit.m[f] as number[];
      for (let l = 0; l < m.length; l++) expect(Math.abs((m[l] as number) - ((TRUE_M[f] as number[])[l] as number))).toBeLessThan(0.015);
    }
    expect(fit.presence[0]).toBeCloseTo(0.9, 1);
  });
  it('leaves out the fields a session blocked on, and ends where it ends whatever the start', () => {
    const counts = simulate(100_000, 0.3, 7);
    const flat = COMPARISONS.map((c) => c.levels.map(() => 1 / c.levels.length));
    const a = expectationMaximisation(counts, TRUE_U, flat, [3], { prior: 0 });
    const b = expectationMaximisation(counts, TRUE_U, COMPARISONS.map((c) => [...DEFAULT_MODEL.comparisons[c.field].m]), [3], { prior: 0 });
    expect(a.m[3]).toBeUndefined();
    expect(a.lambda).toBeCloseTo(b.lambda, 3);
    expect((a.m[1] as number[])[0]).toBeCloseTo((b.m[1] as number[])[0] as number, 3);
    expect((a.m[1] as number[])[0]).toBeCloseTo(0.8, 1);
  });
});

describe('trainModel', () => {
  it('estimates u, m and the prior from unlabelled synthetic people, near the truth', () => {
    const records = synthetic({ random: seededRandom(11), people: 4000 });
    const prepared = records.map((r) => prepare(r.fields));
    const { model, converged, pairs } = trainModel(prepared, { random: seededRandom(3) });
    expect(converged).toBe(true);
    expect(pairs).toBeGreaterThan(1000);
    // The true prior: pairs of records of one person over all pairs.
    const perPerson = new Map<number, number>();
    for (const r of records) perPerson.set(r.person, (perPerson.get(r.person) ?? 0) + 1);
    let same = 0;
    for (const c of perPerson.values()) same += (c * (c - 1)) / 2;
    const truth = same / ((records.length * (records.length - 1)) / 2);
    expect(model.prior).toBeGreaterThan(truth / 2);
    expect(model.prior).toBeLessThan(truth * 2);
    // Records of one person mostly agree on last name and date of birth; random pairs rarely do.
    expect(model.comparisons.lastName.m[0]).toBeGreaterThan(0.8);
    expect(model.comparisons.birthDate.m[0]).toBeGreaterThan(0.6);
    expect(model.comparisons.birthDate.u[0]).toBeLessThan(0.001);
    expect(model.comparisons.email.u[0]).toBeLessThan(0.0001);
  });
});
