/**
 * Search terms: what a person may type to find a customer (a name's start, an e-mail,
 * a phone number however written, an id), and the same reading of the query. Pure.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Identifier } from './identifiers.js';
import type { PersonFields } from './matching/types.js';

/** Lower case, accents removed: "José" and "jose" are one term. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function nameTokens(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}']+/u).filter((t) => t.length > 0);
}

export function displayName(f: PersonFields): string | null {
  if (f.name) return f.name;
  const joined = [f.firstName, f.lastName].filter(Boolean).join(' ');
  return joined || null;
}

const digits = (s: string) => s.replace(/\D/g, '');

const SOUNDEX_CODES: Record<string, string> = { b: '1', f: '1', p: '1', v: '1', c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2', d: '3', t: '3', l: '4', m: '5', n: '5', r: '6' };

/**
 * American Soundex ("smith", "smyth" → s530): coarser than NYSIIS, so the two together catch
 * more misspellings (vowel swaps, doubled letters) in search. Letters outside a–z are dropped.
 */
export function soundex(word: string): string {
  const w = fold(word).replace(/[^a-z]/g, '');
  if (!w) return '';
  let out = w[0] as string;
  let last = SOUNDEX_CODES[out] ?? '';
  for (const ch of w.slice(1)) {
    const code = SOUNDEX_CODES[ch] ?? '';
    if (code && code !== last) out += code;
    // h and w do not separate equal codes; vowels do.
    if (ch !== 'h' && ch !== 'w') last = code;
    if (out.length === 4) break;
  }
  return out.padEnd(4, '0');
}

/** Terms for a leaf: name tokens (and their phonetic keys), e-mails, phone digits, ids. */
export function termsFor(features: PersonFields, identifiers: readonly Identifier[], phonetic?: (token: string) => string): string[] {
  const terms = new Set<string>();
  const name = [features.name, features.firstName, features.lastName].filter(Boolean).join(' ');
  for (const token of nameTokens(name)) {
    terms.add(`n:${token}`);
    if (phonetic && token.length >= 2) {
      const key = phonetic(token);
      if (key) terms.add(`f:${key}`);
      terms.add(`s:${soundex(token)}`);
    }
  }
  if (features.email) terms.add(`e:${features.email.trim().toLowerCase()}`);
  for (const id of identifiers) {
    if (id.kind === 'email') terms.add(`e:${id.value}`);
    else if (id.kind === 'phone') {
      terms.add(`p:${digits(id.value)}`);
      const national = parsePhoneNumberFromString(id.value)?.nationalNumber;
      if (national) terms.add(`p:${national}`);
    } else if (id.kind === 'external') terms.add(`i:${fold(id.value.slice(id.value.indexOf('/', id.value.indexOf('/') + 1) + 1))}`);
    else terms.add(`i:${fold(id.value)}`);
  }
  return [...terms];
}

/** How a query is looked up: each group is OR-ed, the groups AND-ed. */
export interface SearchPlan {
  /** Term prefixes, per query token. */
  prefixes: string[][];
  /** Exact phonetic terms per token, for the fuzzy pass. */
  fuzzy: string[][];
  /** The whole query as the start of an id (ids hold characters that split name tokens). */
  id?: string;
}

export function planSearch(query: string, phonetic?: (token: string) => string): SearchPlan {
  const q = query.trim();
  if (q.includes('@')) return { prefixes: [[`e:${fold(q)}`]], fuzzy: [] };
  if (/^[+\d(][\d\s().-]{3,}$/.test(q) && digits(q).length >= 4) {
    const d = digits(q).replace(/^00/, '');
    const national = d.replace(/^0+/, '');
    return { prefixes: [[...new Set([`p:${d}`, `p:${national}`])]], fuzzy: [] };
  }
  const tokens = nameTokens(q).slice(0, 5);
  return {
    ...(/\s/.test(q) ? {} : { id: `i:${fold(q)}` }),
    prefixes: tokens.map((t) => [`n:${t}`, `i:${t}`]),
    fuzzy: phonetic ? tokens.map((t) => (t.length >= 3 ? [`f:${phonetic(t)}`, `s:${soundex(t)}`] : [`n:${t}`])) : [],
  };
}
