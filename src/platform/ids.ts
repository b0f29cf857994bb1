import { randomBytes } from 'node:crypto';

/**
 * Ids are `prefix_` + 10 chars of time (ms, Crockford base32) + 16 random chars:
 * sortable by creation time, readable in logs, unique without coordination.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function randomPart(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

export type IdPrefix = 'ws' | 'usr' | 'ses' | 'key' | 'aud' | 'job' | 'rec' | 'evt' | 'ier' | 'imp';

export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${randomPart(16)}`;
}
