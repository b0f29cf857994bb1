/**
 * NYSIIS (New York State Identification and Intelligence System, Taft 1970): a phonetic
 * key for names, so that spellings that sound alike ("Catherine", "Katherine",
 * "Katerina") share one key. The original algorithm without the 6-letter truncation.
 * Pure: no I/O.
 */

const VOWELS = 'AEIOU';
const isVowel = (c: string | undefined) => c !== undefined && c !== '' && VOWELS.includes(c);

/** The NYSIIS key of a name ("Knight" → "NAGT"); "" when the name has no letters. */
export function nysiis(name: string): string {
  let s = name.toUpperCase().replace(/[^A-Z]/g, '');
  if (s === '') return '';

  // 1. Prefixes.
  if (s.startsWith('MAC')) s = 'MCC' + s.slice(3);
  else if (s.startsWith('KN')) s = s.slice(1);
  else if (s.startsWith('K')) s = 'C' + s.slice(1);
  else if (s.startsWith('PH') || s.startsWith('PF')) s = 'FF' + s.slice(2);
  else if (s.startsWith('SCH')) s = 'SSS' + s.slice(3);

  // 2. Suffixes.
  if (s.endsWith('EE') || s.endsWith('IE')) s = s.slice(0, -2) + 'Y';
  else if (/(DT|RT|RD|NT|ND)$/.test(s)) s = s.slice(0, -2) + 'D';

  // 3. The first letter is kept; 4. the rest translated, a letter at a time.
  let key = s[0] as string;
  let last = key;
  const n = s.length;
  for (let i = 1; i < n; i++) {
    const c = s[i] as string;
    const next = s[i + 1];
    let out: string;
    if (c === 'E' && next === 'V') {
      out = 'AF';
      i++;
    } else if (isVowel(c)) out = 'A';
    else if (c === 'Q') out = 'G';
    else if (c === 'Z') out = 'S';
    else if (c === 'M') out = 'N';
    else if (c === 'K') out = next === 'N' ? 'N' : 'C';
    else if (c === 'S' && next === 'C' && s[i + 2] === 'H') {
      out = 'SS';
      i += 2;
    } else if (c === 'P' && next === 'H') {
      out = 'F';
      i++;
    } else if (c === 'H' && (!isVowel(s[i - 1]) || (next !== undefined && !isVowel(next)) || next === undefined)) {
      const prev = s[i - 1] as string;
      out = isVowel(prev) ? 'A' : prev;
    } else if (c === 'W' && isVowel(s[i - 1])) out = s[i - 1] as string;
    else out = c;
    // Collapse repeats: a translation whose last letter is the key's last is dropped.
    if (out[out.length - 1] !== last) {
      key += out;
      last = out[out.length - 1] as string;
    }
  }

  // 5–7. Trailing S, AY → Y, trailing A.
  if (key.length > 1 && key.endsWith('S')) key = key.slice(0, -1);
  if (key.endsWith('AY')) key = key.slice(0, -2) + 'Y';
  if (key.length > 1 && key.endsWith('A')) key = key.slice(0, -1);
  return key;
}
