import { describe, expect, it } from 'vitest';
import { seededRandom } from '../platform/random.js';
import { base32, beta, gamma, permute32, permuteLow12, poisson } from './samplers.js';

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};
const draw = (n: number, f: () => number): number[] => Array.from({ length: n }, f);

describe('samplers', () => {
  it('gamma has mean shape·scale and variance shape·scale², below and above shape 1', () => {
    const rng = seededRandom(1);
    for (const [shape, scale] of [[0.4, 2], [3, 0.5], [9, 10]] as const) {
      const xs = draw(40_000, () => gamma(rng, shape, scale));
      expect(mean(xs)).toBeCloseTo(shape * scale, shape * scale > 10 ? 0 : 1);
      expect(variance(xs) / (shape * scale * scale)).toBeGreaterThan(0.93);
      expect(variance(xs) / (shape * scale * scale)).toBeLessThan(1.07);
    }
  });

  it('beta and poisson have the right means', () => {
    const rng = seededRandom(2);
    expect(mean(draw(40_000, () => beta(rng, 2, 6)))).toBeCloseTo(0.25, 2);
    expect(mean(draw(40_000, () => poisson(rng, 3.5)))).toBeCloseTo(3.5, 1);
    expect(mean(draw(20_000, () => poisson(rng, 80)))).toBeCloseTo(80, 0);
  });

  it('id permutations are bijective, and the block-local one keeps blocks together', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 50_000; i++) seen.add(permute32(i, 99));
    expect(seen.size).toBe(50_000);
    const local = new Set<number>();
    for (let i = 0; i < 8192; i++) {
      const v = permuteLow12(i, 7);
      expect(v >>> 12).toBe(i >>> 12);
      local.add(v);
    }
    expect(local.size).toBe(8192);
    expect(permuteLow12(5, 7)).not.toBe(permuteLow12(5, 8));
    expect(base32(0)).toBe('0000000');
    expect(base32(1) < base32(32)).toBe(true);
  });
});
