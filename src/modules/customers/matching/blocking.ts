/**
 * Blocking: the short keys under which a record is filed, so that only records sharing a
 * key are compared and comparisons grow near-linearly with the records. A record usually
 * has 2–6 keys, each prefixed by its rule:
 * - `e:` the e-mail, `p:` the phone (as normalised; placeholders were dropped);
 * - `n:` the NYSIIS keys of the given name's formal name (Bob → Robert) and of the family
 *   name, in sorted order, so typos that sound alike, nicknames and swapped first and last
 *   names still meet;
 * - `d:` the date of birth with the NYSIIS key of either name (a misspelt, nicknamed or
 *   swapped name meets on the other);
 * - `a:` the postcode and house number: one home (a household, or one person whose other
 *   details all changed).
 * Pure: no I/O.
 */
import { blockingNames } from './nickname-index.js';
import { nysiis } from './phonetic.js';
import type { Prepared } from './prepare.js';

/** The rule prefixes, in the order a pair is first compared under. */
export const BLOCKING_RULES = ['e', 'p', 'n', 'd', 'a'] as const;

/** Keys longer than this are hashed, so that stored keys stay short. */
const MAX_KEY = 48;

const short = (prefix: string, value: string): string => (value.length + 2 <= MAX_KEY ? `${prefix}:${value}` : `${prefix}#${hash32(value).toString(36)}${value.length.toString(36)}`);

export function blockingKeys(p: Prepared): string[] {
  const keys: string[] = [];
  if (p.email !== undefined) keys.push(short('e', p.email));
  if (p.phone !== undefined) keys.push(short('p', p.phone));
  const first = p.first;
  const lastKey = p.lastKey;
  if (first !== undefined && lastKey !== undefined && lastKey !== '') {
    for (const formal of blockingNames(first)) {
      const fk = formal === first ? (p.firstKey ?? nysiis(first)) : nysiis(formal);
      if (fk === '') continue;
      const key = fk < lastKey ? `n:${fk}|${lastKey}` : `n:${lastKey}|${fk}`;
      if (!keys.includes(key)) keys.push(key);
    }
  }
  if (p.dob !== undefined) {
    // The date of birth with either name's NYSIIS key: one name may be misspelt, nicknamed or swapped.
    const dob = p.dob.replace(/-/g, '');
    const add = (k: string | undefined) => {
      if (k === undefined || k === '') return;
      const key = `d:${dob}${k}`;
      if (!keys.includes(key)) keys.push(key);
    };
    if (lastKey === undefined && first === undefined) keys.push(`d:${dob}`);
    add(lastKey);
    if (first !== undefined) for (const formal of blockingNames(first)) add(formal === first ? (p.firstKey ?? nysiis(first)) : nysiis(formal));
  }
  if (p.postcode !== undefined && p.address !== undefined) {
    // The home: postcode and house number (or first word of the street).
    const space = p.address.indexOf(' ');
    keys.push(short('a', `${p.postcode}|${space > 0 ? p.address.slice(0, space) : p.address}`));
  }
  return keys;
}

/** FNV-1a over UTF-16 code units, 32 bits. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
