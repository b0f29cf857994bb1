import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random.js';
import { cluster, PairSink } from './cluster.js';
import { dedupe } from './dedupe.js';
import { pairwiseQuality } from './evaluate.js';
import { DEFAULT_MODEL } from './model.js';
import { prepare } from './prepare.js';
import { synthetic } from './synthetic.js';

describe('dedupe of synthetic people', () => {
  const records = synthetic({ random: seededRandom(21), people: 5000 });
  const prepared = records.map((r) => prepare(r.fields));
  const truth = records.map((r) => r.person);

  it('finds the people behind damaged records: F1 ≥ 0.95 with precision ≥ 0.98', () => {
    const result = dedupe(prepared, { random: seededRandom(1) });
    const q = pairwiseQuality(truth, result.clusterOf);
    expect(q.truePairs).toBeGreaterThan(3000);
    expect(q.precision).toBeGreaterThanOrEqual(0.98);
    expect(q.f1).toBeGreaterThanOrEqual(0.95);
    // Near-linear: a few comparisons per record, not n².
    expect(result.comparisons / prepared.length).toBeLessThan(10);
    expect(result.training?.converged).toBe(true);
  });

  it('is deterministic for a seed, and keeps the pairs it listed', () => {
    const a = dedupe(prepared, { random: seededRandom(2), keepPairs: true });
    const b = dedupe(prepared, { random: seededRandom(2), keepPairs: true });
    expect(Array.from(a.clusterOf)).toEqual(Array.from(b.clusterOf));
    expect(a.pairs?.left.length).toBe(a.merges + a.reviews);
  });

  it('merges nothing below the merge threshold', () => {
    const result = dedupe(prepared, { model: DEFAULT_MODEL, thresholds: { merge: 1 - 1e-15, review: 0.5 } });
    const withDefault = dedupe(prepared, { model: DEFAULT_MODEL });
    expect(result.clusters).toBeGreaterThan(withDefault.clusters);
  });
});

describe('clustering guards', () => {
  it('does not chain two people through records that conflict', () => {
    // 0 and 2 conflict (a household); 1 looks like both.
    const merges = new PairSink();
    merges.push(0, 1, 30);
    merges.push(1, 2, 20);
    const conflicts = new PairSink();
    conflicts.push(0, 2, 10);
    const c = cluster(3, merges, conflicts);
    expect(Array.from(c.clusterOf)).toEqual([0, 0, 2]);
    expect(c.refused.conflict).toBe(1);
    const free = cluster(3, merges, new PairSink());
    expect(Array.from(free.clusterOf)).toEqual([0, 0, 0]);
  });
  it('caps cluster size', () => {
    const merges = new PairSink();
    for (let i = 1; i < 10; i++) merges.push(i - 1, i, 10);
    const c = cluster(10, merges, new PairSink(), { maxClusterSize: 4 });
    expect(Math.max(...Array.from(c.clusterOf, (x) => Array.from(c.clusterOf).filter((y) => y === x).length))).toBe(4);
    expect(c.refused.size).toBeGreaterThan(0);
  });
});

describe('synthetic people', () => {
  it('are reproducible and carry the damage the benchmark is about', () => {
    const a = synthetic({ random: seededRandom(4), people: 2000 });
    const b = synthetic({ random: seededRandom(4), people: 2000 });
    expect(a).toEqual(b);
    expect(new Set(a.map((r) => r.person)).size).toBe(2000);
    expect(a.length).toBeGreaterThan(2500);
    // Shared family identifiers: one e-mail for two different people.
    const owners = new Map<string, Set<number>>();
    for (const r of a) if (r.fields.email) owners.set(r.fields.email.toLowerCase(), (owners.get(r.fields.email.toLowerCase()) ?? new Set()).add(r.person));
    expect([...owners.values()].filter((s) => s.size > 1).length).toBeGreaterThan(10);
  });
});
