import { describe, expect, it } from 'vitest';
import { hashPassword, safeEqual, sha256, verifyPassword } from './crypto.js';
import { newId } from './ids.js';
import { seededRandom } from './random.js';

describe('passwords', () => {
  it('hash with a fresh salt and verify only the right password', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', a)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });

  it('compares tokens and hashes them stably', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(sha256('x')).toBe('2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
  });
});

describe('ids and randomness', () => {
  it('ids carry their prefix and sort by creation time', () => {
    const early = newId('usr', Date.UTC(2026, 0, 1));
    const late = newId('usr', Date.UTC(2026, 0, 2));
    expect(early).toMatch(/^usr_[0-9a-z]{26}$/);
    expect(early < late).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newId('key'))).size).toBe(1000);
  });

  it('a seeded source repeats itself and spreads evenly', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(seededRandom(43).next()).not.toBe(xs[0]);
  });
});
