import { describe, expect, it } from 'vitest';
import { leastLoaded, ownerFromTraits, roundRobin } from './owner.js';

const members = [
  { userId: 'usr_a', email: 'ana@corp.io' },
  { userId: 'usr_b', email: 'Bo@Corp.io' },
];

describe('owner assignment', () => {
  it('finds the account owner by user id or e-mail, in any case, and only among members', () => {
    expect(ownerFromTraits({ ownerId: 'usr_b' }, members)).toBe('usr_b');
    expect(ownerFromTraits({ accountOwnerEmail: 'BO@corp.IO' }, members)).toBe('usr_b');
    expect(ownerFromTraits({ ownerId: 'usr_gone', owner_email: 'ana@corp.io' }, members)).toBe('usr_a');
    expect(ownerFromTraits({ ownerId: 'stranger@else.io' }, members)).toBeUndefined();
    expect(ownerFromTraits({ csm: 'usr_a', ownerId: 'usr_b' }, members, 'csm')).toBe('usr_a');
  });

  it('takes turns, whatever the counter', () => {
    const ids = ['a', 'b', 'c'];
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => roundRobin(ids, n))).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
    expect(roundRobin([], 1)).toBeUndefined();
  });

  it('picks the least loaded, ties to the first in order', () => {
    expect(leastLoaded(['a', 'b', 'c'], new Map([['a', 3], ['b', 1], ['c', 1]]))).toBe('b');
    expect(leastLoaded(['a', 'b'], new Map([['a', 2]]))).toBe('b');
    expect(leastLoaded([], new Map())).toBeUndefined();
  });
});
