/**
 * Small random samplers on top of the seedable PRNG (platform/random.ts).
 * Pure: no I/O, no global state. Every function takes the stream it draws from.
 */
import { seededRandom, type Random } from '../platform/random.js';

export type { Random };

/** A 32-bit integer hash of any number of integers (murmur3-style finaliser). */
export function mix32(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x01000193) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A 32-bit hash of a short string, for turning labels into stream keys. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return mix32(h);
}

/** An independent stream for (seed, label, index): any customer can be regenerated alone. */
export function streamFor(seed: number, label: string, index: number): Random {
  return seededRandom(mix32(seed, hashString(label), index));
}

export const uniform = (rng: Random, lo: number, hi: number): number => lo + (hi - lo) * rng.next();

/** Integer in [lo, hi] inclusive. */
export const intBetween = (rng: Random, lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));

export const chance = (rng: Random, p: number): boolean => rng.next() < p;

export function pick<T>(rng: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rng.next() * items.length)] as T;
}

/** Pick with weights (need not sum to 1). */
export function weighted<T>(rng: Random, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let u = rng.next() * total;
  for (const [item, w] of items) {
    u -= w;
    if (u < 0) return item;
  }
  const last = items[items.length - 1];
  if (!last) throw new Error('weighted pick from an empty list');
  return last[0];
}

/** Standard normal by Box–Muller (one value per call; simple and exact enough). */
export function normal(rng: Random, mean = 0, sd = 1): number {
  let u = rng.next();
  while (u <= Number.MIN_VALUE) u = rng.next();
  const v = rng.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export const logNormal = (rng: Random, median: number, sigma: number): number =>
  median * Math.exp(sigma * normal(rng));

/** Exponential with the given rate (mean 1/rate). */
export function exponential(rng: Random, rate: number): number {
  return -Math.log(1 - rng.next()) / rate;
}

/**
 * Gamma(shape, scale) by Marsaglia & Tsang (2000); shape < 1 via the boost
 * Gamma(a) = Gamma(a + 1) · U^(1/a).
 */
export function gamma(rng: Random, shape: number, scale = 1): number {
  if (!(shape > 0) || !(scale > 0)) throw new Error(`gamma: bad parameters ${shape}, ${scale}`);
  if (shape < 1) {
    let u = rng.next();
    while (u <= Number.MIN_VALUE) u = rng.next();
    return gamma(rng, shape + 1, scale) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

export function beta(rng: Random, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  return x / (x + y);
}

/** Poisson: Knuth's product method for small means, normal approximation above 30. */
export function poisson(rng: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(normal(rng, mean, Math.sqrt(mean))));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const logit = (p: number): number => Math.log(p / (1 - p));
export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
export const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * A keyed bijection on 32-bit integers (4-round Feistel network): turns a
 * sequence index into an id that looks random yet never collides.
 */
export function permute32(index: number, key: number): number {
  let l = (index >>> 16) & 0xffff;
  let r = index & 0xffff;
  for (let round = 0; round < 4; round++) {
    const f = mix32(r, key, round) & 0xffff;
    const next = l ^ f;
    l = r;
    r = next;
  }
  return ((l << 16) | r) >>> 0;
}

/**
 * Like permute32, but only the low 12 bits are shuffled: ids of neighbouring indices stay
 * within one block of 4 096, so bulk inserts land near the end of a B-tree index instead
 * of all over it, while ids of the same index in different silos still differ.
 */
export function permuteLow12(index: number, key: number): number {
  let l = (index >>> 6) & 0x3f;
  let r = index & 0x3f;
  for (let round = 0; round < 4; round++) {
    const next = l ^ (mix32(r, key, round) & 0x3f);
    l = r;
    r = next;
  }
  return ((index & ~0xfff) | (l << 6) | r) >>> 0;
}

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

/** Fixed-width (7 chars) Crockford base32 of a 32-bit integer. */
export function base32(n: number): string {
  let out = '';
  let v = n >>> 0;
  for (let i = 0; i < 7; i++) {
    out = BASE32[v & 31] + out;
    v = Math.floor(v / 32);
  }
  return out;
}
