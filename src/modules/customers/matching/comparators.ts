/**
 * String and value similarity for person fields: Jaro, Jaro–Winkler and Levenshtein on
 * names, dates of birth with day/month swaps, address tokens, phone digits and e-mail
 * local parts. Pure: no I/O; no allocation per call beyond small reused buffers.
 */

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

/** Jaro similarity in [0, 1] (Jaro 1989). */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (la > flagsA.length) flagsA = new Uint8Array(la * 2);
  if (lb > flagsB.length) flagsB = new Uint8Array(lb * 2);
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const range = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let common = 0;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    const lo = Math.max(0, i - range);
    const hi = Math.min(i + range, lb - 1);
    for (let j = lo; j <= hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        common++;
        break;
      }
    }
  }
  if (common === 0) return 0;
  let k = 0;
  let half = 0;
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) half++;
    k++;
  }
  const t = half >> 1;
  return (common / la + common / lb + (common - t) / common) / 3;
}

const letterCounts = new Int32Array(65536);

/**
 * An upper bound on Jaro–Winkler from the characters the strings share, whatever their
 * order: cheap, and enough to rule most pairs of different names out.
 */
export function jaroWinklerBound(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    letterCounts[c] = (letterCounts[c] as number) + 1;
  }
  let common = 0;
  for (let i = 0; i < lb; i++) {
    const c = b.charCodeAt(i);
    const k = letterCounts[c] as number;
    if (k > 0) {
      letterCounts[c] = k - 1;
      common++;
    }
  }
  for (let i = 0; i < la; i++) letterCounts[a.charCodeAt(i)] = 0;
  if (common === 0) return 0;
  const j = (common / la + common / lb + 1) / 3;
  return j <= 0.7 ? j : j + 0.4 * (1 - j);
}

/** Whether Jaro–Winkler(a, b) ≥ threshold, ruling most pairs out without computing it. */
export function jaroWinklerAtLeast(a: string, b: string, threshold: number): boolean {
  return jaroWinklerBound(a, b) >= threshold && jaroWinkler(a, b) >= threshold;
}

/**
 * Jaro–Winkler similarity in [0, 1] (Winkler 1990): Jaro raised for a common prefix of up
 * to 4 characters, with scale 0.1, when Jaro exceeds 0.7. MARTHA/MARHTA = 0.961.
 */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j <= 0.7) return j;
  const max = Math.min(4, a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return j + p * 0.1 * (1 - j);
}

let row = new Uint32Array(64);

/**
 * Levenshtein edit distance (insertions, deletions, substitutions). With `max`, stops
 * early and returns max + 1 once the distance must exceed it.
 */
export function levenshtein(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  let la = a.length;
  let lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  // Common prefix and suffix cost nothing.
  let start = 0;
  while (start < la && start < lb && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  while (la > start && lb > start && a.charCodeAt(la - 1) === b.charCodeAt(lb - 1)) {
    la--;
    lb--;
  }
  la -= start;
  lb -= start;
  if (la === 0) return lb;
  if (lb === 0) return la;
  if (lb + 1 > row.length) row = new Uint32Array((lb + 1) * 2);
  for (let j = 0; j <= lb; j++) row[j] = j;
  for (let i = 1; i <= la; i++) {
    const ca = a.charCodeAt(start + i - 1);
    let diag = row[0] as number;
    row[0] = i;
    let best = i;
    for (let j = 1; j <= lb; j++) {
      const up = row[j] as number;
      const cost = ca === b.charCodeAt(start + j - 1) ? 0 : 1;
      const v = Math.min(up + 1, (row[j - 1] as number) + 1, diag + cost);
      row[j] = v;
      diag = up;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
  }
  return row[lb] as number;
}

/** Whether two strings differ by one adjacent transposition ("marhta"/"martha"). */
export function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let i = 0;
  while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** Levenshtein ≤ 1, or one adjacent transposition: the typing slips of one keystroke. */
export function oneTypo(a: string, b: string): boolean {
  return levenshtein(a, b, 1) <= 1 || isTransposition(a, b);
}

// ---------------------------------------------------------------------------------------
// Dates of birth

/**
 * A date of birth as written → "YYYY-MM-DD", or undefined. Reads ISO (1985-03-12,
 * 1985/3/12), compact 19850312, and d/m/y or m/d/y with / . or - (day first unless the
 * first number cannot be a month, or `order` says "mdy"); two-digit years are 19xx/20xx
 * around the current century. An ambiguous d/m is fine: comparison accepts swapped day and
 * month as its own level.
 */
export function parseBirthDate(raw: string, order: 'dmy' | 'mdy' = 'dmy'): string | undefined {
  const s = raw.trim();
  let y: number;
  let m: number;
  let d: number;
  let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(s);
  if (match) {
    y = +match[1]!;
    m = +match[2]!;
    d = +match[3]!;
  } else if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
    y = +match[1]!;
    m = +match[2]!;
    d = +match[3]!;
  } else if ((match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(s))) {
    const p = +match[1]!;
    const q = +match[2]!;
    y = +match[3]!;
    if (match[3]!.length === 2) y += y > 30 ? 1900 : 2000;
    const dayFirst = p > 12 ? true : q > 12 ? false : order === 'dmy';
    d = dayFirst ? p : q;
    m = dayFirst ? q : p;
  } else return undefined;
  if (y < 1880 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** How two dates of birth ("YYYY-MM-DD") compare. */
export type DateAgreement = 'exact' | 'swapped' | 'close' | 'different';

export function compareBirthDates(a: string, b: string): DateAgreement {
  if (a === b) return 'exact';
  if (a.length !== 10 || b.length !== 10) return 'different';
  // Positions: YYYY-MM-DD → year 0–3, month 5–6, day 8–9.
  const c = (s: string, i: number) => s.charCodeAt(i);
  let yearSame = true;
  for (let i = 0; i < 4; i++) if (c(a, i) !== c(b, i)) yearSame = false;
  const monthDaySame = c(a, 5) === c(b, 5) && c(a, 6) === c(b, 6) && c(a, 8) === c(b, 8) && c(a, 9) === c(b, 9);
  if (yearSame && c(a, 5) === c(b, 8) && c(a, 6) === c(b, 9) && c(a, 8) === c(b, 5) && c(a, 9) === c(b, 6)) return 'swapped';
  // One slipped digit, two adjacent digits transposed, or the year off by one with day and month right.
  let diff = 0;
  let first = -1;
  for (let i = 0; i < 10; i++) {
    if (c(a, i) !== c(b, i)) {
      if (diff === 0) first = i;
      diff++;
    }
  }
  if (diff === 1) return 'close';
  if (diff === 2 && first + 1 < 10 && c(a, first) === c(b, first + 1) && c(a, first + 1) === c(b, first)) return 'close';
  if (monthDaySame && Math.abs(+a.slice(0, 4) - +b.slice(0, 4)) === 1) return 'close';
  return 'different';
}

// ---------------------------------------------------------------------------------------
// Addresses

const STREET_WORDS: Record<string, string> = {
  st: 'street', str: 'street', rd: 'road', ave: 'avenue', av: 'avenue', ln: 'lane', dr: 'drive', ct: 'court', pl: 'place',
  sq: 'square', blvd: 'boulevard', hwy: 'highway', cres: 'crescent', cl: 'close', gdns: 'gardens', pk: 'park', ter: 'terrace',
  terr: 'terrace', mt: 'mount', apt: 'flat', unit: 'flat', ste: 'suite', n: 'north', s: 'south', e: 'east', w: 'west',
};

/** "12B High St., Flat 3" → ["12b", "high", "street", "flat", "3"]: lower case, abbreviations spelled out. */
export function addressTokens(raw: string): string[] {
  let lower = raw.toLowerCase();
  if (!/^[\x20-\x7e]*$/.test(lower)) lower = lower.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const words = lower
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ');
  const out: string[] = [];
  for (const w of words) if (w !== '') out.push(STREET_WORDS[w] ?? w);
  return out;
}

/** Share of tokens in common (Jaccard over the two token sets), in [0, 1]. */
export function tokenOverlap(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let common = 0;
  for (const t of a) if (b.includes(t)) common++;
  // Tokens repeat rarely in one address; treat the lists as sets.
  const union = a.length + b.length - common;
  return union === 0 ? 0 : common / union;
}

const tokensA = new Int32Array(64);
const tokensB = new Int32Array(64);

/** Hashes of the space-separated tokens of `s` into `out`; returns how many (at most 64). */
function tokenHashes(s: string, out: Int32Array): number {
  let n = 0;
  let h = 0x811c9dc5;
  let inToken = false;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    if (c === 32) {
      if (inToken && n < out.length) out[n++] = h;
      h = 0x811c9dc5;
      inToken = false;
    } else {
      h = Math.imul(h ^ c, 0x01000193);
      inToken = true;
    }
  }
  return n;
}

/** Token overlap (Jaccard) of two space-joined token strings, without allocating. */
export function joinedTokenOverlap(a: string, b: string): number {
  const na = tokenHashes(a, tokensA);
  const nb = tokenHashes(b, tokensB);
  if (na === 0 || nb === 0) return 0;
  let common = 0;
  for (let i = 0; i < na; i++) {
    const h = tokensA[i];
    for (let j = 0; j < nb; j++) {
      if (tokensB[j] === h) {
        common++;
        break;
      }
    }
  }
  return common / (na + nb - common);
}

/** Postcodes as comparable keys: "sw1a 1aa" → "SW1A1AA". */
export function normalisePostcode(raw: string): string | undefined {
  const p = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return p.length >= 3 && p.length <= 10 ? p : undefined;
}
