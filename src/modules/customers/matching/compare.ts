/**
 * The comparison vector of two prepared records: for each comparison in COMPARISONS, the
 * level of agreement its values show (0 = strongest), or -1 when either record lacks the
 * field. First and last names that were written the other way round are compared
 * crosswise. Pure: no I/O.
 */
import { compareBirthDates, jaroWinklerAtLeast, joinedTokenOverlap, oneTypo } from './comparators.js';
import { FIELD_COUNT } from './model.js';
import { sharedFormalName } from './nickname-index.js';
import { nysiis } from './phonetic.js';
import type { Prepared } from './prepare.js';

export const F_FIRST = 0;
export const F_LAST = 1;
export const F_DOB = 2;
export const F_EMAIL = 3;
export const F_PHONE = 4;
export const F_ADDRESS = 5;

export const FIRST = { exact: 0, nickname: 1, typo: 2, similar: 3, initial: 4, different: 5 } as const;
export const LAST = { exact: 0, typo: 1, similar: 2, different: 3 } as const;

/** Given names: exact, nickname (table), one typo, similar (Jaro–Winkler ≥ 0.88 or one NYSIIS key), initial, different. */
export function firstNameLevel(a: string, b: string, keyA?: string, keyB?: string): number {
  if (a === b) return FIRST.exact;
  if (sharedFormalName(a, b) !== undefined) return FIRST.nickname;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? FIRST.initial : FIRST.different;
  if (oneTypo(a, b)) return FIRST.typo;
  if ((keyA ?? nysiis(a)) === (keyB ?? nysiis(b)) || jaroWinklerAtLeast(a, b, 0.88)) return FIRST.similar;
  return FIRST.different;
}

/** Family names: exact, one typo, similar (Jaro–Winkler ≥ 0.88, one NYSIIS key, or one inside the other), different. */
export function lastNameLevel(a: string, b: string, keyA?: string, keyB?: string): number {
  if (a === b) return LAST.exact;
  if (oneTypo(a, b)) return LAST.typo;
  if ((keyA ?? nysiis(a)) === (keyB ?? nysiis(b)) || jaroWinklerAtLeast(a, b, 0.88)) return LAST.similar;
  if (a.length >= 4 && b.length >= 4 && (a.includes(b) || b.includes(a))) return LAST.similar;
  return LAST.different;
}

const DOB_LEVEL = { exact: 0, swapped: 1, close: 2, different: 3 } as const;

/** E-mail: exact, the same local part at another domain, similar local parts (Jaro–Winkler ≥ 0.9), different. */
export function emailLevel(a: string, b: string): number {
  if (a === b) return 0;
  const la = localPart(a);
  const lb = localPart(b);
  if (la === lb && la.length >= 3) return 1;
  if (la.length >= 3 && lb.length >= 3 && jaroWinklerAtLeast(la, lb, 0.9)) return 2;
  return 3;
}
const localPart = (e: string): string => {
  const at = e.lastIndexOf('@');
  const plus = e.indexOf('+');
  return e.slice(0, plus >= 0 && plus < at ? plus : at);
};

/** Phone (E.164): exact, one digit off (a slip or two swapped digits), different. */
export function phoneLevel(a: string, b: string): number {
  if (a === b) return 0;
  return oneTypo(a, b) ? 1 : 2;
}

/** Address: exact tokens, half or more tokens shared, same postcode, same city, different; -1 when nothing comparable. */
export function addressLevel(a: Prepared, b: Prepared): number {
  let compared = false;
  if (a.address !== undefined && b.address !== undefined) {
    if (a.address === b.address) return 0;
    if (joinedTokenOverlap(a.address, b.address) >= 0.5) return 1;
    compared = true;
  }
  if (a.postcode !== undefined && b.postcode !== undefined) {
    if (a.postcode === b.postcode) return 2;
    compared = true;
  }
  if (a.city !== undefined && b.city !== undefined) {
    if (a.city === b.city) return 3;
    compared = true;
  }
  return compared ? 4 : -1;
}

function crossLevel(a: string, b: string, exact: number, typo: number, similar: number): number {
  if (a === b) return exact;
  if (a.length < 2 || b.length < 2) return 99;
  if (oneTypo(a, b)) return typo;
  if (sharedFormalName(a, b) !== undefined || jaroWinklerAtLeast(a, b, 0.92)) return similar;
  return 99;
}

/**
 * Fill `out` (FIELD_COUNT levels) for records a and b; returns true when their first and
 * last names matched crosswise (written the other way round in one of them).
 */
export function compareInto(a: Prepared, b: Prepared, out: Int8Array): boolean {
  let swapped = false;
  const af = a.first;
  const al = a.last;
  const bf = b.first;
  const bl = b.last;
  let fl = af !== undefined && bf !== undefined ? firstNameLevel(af, bf, a.firstKey, b.firstKey) : -1;
  let ll = al !== undefined && bl !== undefined ? lastNameLevel(al, bl, a.lastKey, b.lastKey) : -1;
  if ((fl > FIRST.nickname || ll > LAST.typo) && af !== undefined && al !== undefined && bf !== undefined && bl !== undefined) {
    // Crosswise, only close agreement counts: exact, nickname, one typo or very similar.
    const cf = crossLevel(af, bl, FIRST.exact, FIRST.typo, FIRST.similar);
    if (cf <= FIRST.similar) {
      const cl = crossLevel(al, bf, LAST.exact, LAST.typo, LAST.similar);
      if (cl <= LAST.similar && (cf <= FIRST.typo || cl <= LAST.typo) && cf + cl < fl + ll) {
        fl = cf;
        ll = cl;
        swapped = true;
      }
    }
  }
  out[F_FIRST] = fl;
  out[F_LAST] = ll;
  out[F_DOB] = a.dob !== undefined && b.dob !== undefined ? DOB_LEVEL[compareBirthDates(a.dob, b.dob)] : -1;
  out[F_EMAIL] = a.email !== undefined && b.email !== undefined ? emailLevel(a.email, b.email) : -1;
  out[F_PHONE] = a.phone !== undefined && b.phone !== undefined ? phoneLevel(a.phone, b.phone) : -1;
  out[F_ADDRESS] = addressLevel(a, b);
  return swapped;
}

/** A fresh comparison vector. */
export const newVector = (): Int8Array => new Int8Array(FIELD_COUNT);
