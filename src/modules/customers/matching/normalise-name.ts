/**
 * Names as comparable text: accents folded, case and punctuation dropped, titles and
 * generational suffixes removed, and a full name split into first and last ("LEE, Ann",
 * "Dr Ann Marie Lee Jr"). Pure: no I/O.
 */

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'lady', 'lord', 'rev', 'fr', 'madam', 'mme', 'mlle', 'herr', 'frau']);
const SUFFIXES = new Set(['jr', 'jnr', 'sr', 'snr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'dds', 'mba', 'obe', 'mbe', 'cbe']);

/** Letters only, lower case, accents folded: "  Zoë-Ann " → "zoeann". */
export function foldName(raw: string): string {
  return clean(raw).replace(/[ ]/g, '');
}

/** Lower case, accents folded, punctuation → space, hyphens and apostrophes dropped inside words. */
function clean(raw: string): string {
  let s = raw.toLowerCase();
  // Fast path: plain ASCII letters need no Unicode folding.
  if (!/^[a-z ]*$/.test(s)) {
    s = s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ß/g, 'ss')
      .replace(/æ/g, 'ae')
      .replace(/ø/g, 'o')
      .replace(/['’`-]/g, '')
      .replace(/[^a-z]+/g, ' ');
  }
  return s.trim();
}

/** The words of a name without titles and suffixes. */
export function nameTokens(raw: string): string[] {
  const words = clean(raw).split(' ').filter((w) => w !== '');
  const out = words.filter((w, i) => !(SUFFIXES.has(w) && i > 0) && !(TITLES.has(w) && i < words.length - 1));
  return out;
}

/** A given name's comparable form: its first word ("Mary Ann" → "mary"), title removed. */
export function normaliseFirstName(raw: string): string | undefined {
  const t = nameTokens(raw);
  return t[0] || undefined;
}

/** A family name's comparable form: all its words run together ("van der Berg" → "vanderberg"). */
export function normaliseLastName(raw: string): string | undefined {
  const t = nameTokens(raw);
  return t.length > 0 ? t.join('') : undefined;
}

/** "Ann Lee", "LEE, Ann", "Dr. Ann M. Lee" → { first: "ann", last: "lee" }. */
export function splitFullName(raw: string): { first?: string; last?: string } {
  const comma = raw.indexOf(',');
  if (comma > 0) {
    const last = normaliseLastName(raw.slice(0, comma));
    const first = normaliseFirstName(raw.slice(comma + 1));
    return { ...(first ? { first } : {}), ...(last ? { last } : {}) };
  }
  const t = nameTokens(raw);
  if (t.length === 0) return {};
  if (t.length === 1) return { last: t[0] as string };
  // Particles belong to the family name: "Jan van der Berg".
  let start = t.length - 1;
  while (start > 1 && PARTICLES.has(t[start - 1] as string)) start--;
  return { first: t[0] as string, last: t.slice(start).join('') };
}

const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'st', 'mac', 'mc', 'bin', 'ibn', 'al', 'el', 'ter', 'ten']);
