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

/** Random bytes drawn 4 KiB at a time: one call to the CSPRNG per 256 ids instead of one each. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

function randomPart(length: number): string {
  if (poolAt + length > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, length));
    poolAt = 0;
  }
  let out = '';
  for (let i = poolAt; i < poolAt + length; i++) out += ALPHABET[(pool[i] as number) & 31];
  poolAt += length;
  return out;
}

export type IdPrefix = 'ws' | 'usr' | 'ses' | 'key' | 'aud' | 'job' | 'rec' | 'evt' | 'ier' | 'imp' | 'prf' | 'mrg' | 'sug' | 'fct' | 'srv' | 'rsp' | 'dlv' | 'ntg' | 'ntf' | 'team' | 'sla' | 'rul' | 'tsk' | 'tev' | 'emi';

export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${randomPart(16)}`;
}

/**
 * The smallest id with this prefix created at `ms` or later: ids below it were created
 * before `ms`. Readers of time-ordered logs use it as a "settled before" bound.
 */
export function idFloor(prefix: IdPrefix, ms: number): string {
  return `${prefix}_${encodeTime(Math.max(0, ms))}`;
}

/** The millisecond an id (or an `idFloor`) was made at; undefined for a string that is not one. */
export function timeOfId(id: string): number | undefined {
  const start = id.indexOf('_') + 1;
  if (start === 0 || id.length < start + 10) return undefined;
  let t = 0;
  for (let i = start; i < start + 10; i++) {
    const pos = ALPHABET.indexOf(id[i] as string);
    if (pos < 0) return undefined;
    t = t * 32 + pos;
  }
  return t;
}
