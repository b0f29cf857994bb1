/**
 * Strict readers for the values found in exported files: dates, numbers, currencies,
 * e-mail addresses. Pure (no I/O). Each reader returns a value or a reason it refused,
 * and never guesses: an ambiguous date or a "1,234" is refused unless the caller said
 * how to read it (date format, decimal separator, default currency).
 */

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const no = (reason: string): Read<never> => ({ ok: false, reason });

// ---------------------------------------------------------------- dates

/** How dates are read besides ISO 8601 (always accepted). */
export type DateFormat =
  | { type: 'iso' }
  | { type: 'epoch-ms' }
  | { type: 'epoch-s' }
  | { type: 'pattern'; pattern: string; regex: RegExp; order: DatePart[] };

type DatePart = 'YYYY' | 'MM' | 'DD' | 'HH' | 'mm' | 'ss';

const TOKENS: readonly [string, DatePart, string][] = [
  ['YYYY', 'YYYY', '(\\d{4})'],
  ['MM', 'MM', '(\\d{1,2})'],
  ['DD', 'DD', '(\\d{1,2})'],
  ['HH', 'HH', '(\\d{1,2})'],
  ['mm', 'mm', '(\\d{2})'],
  ['ss', 'ss', '(\\d{2})'],
  ['M', 'MM', '(\\d{1,2})'],
  ['D', 'DD', '(\\d{1,2})'],
];

export const DATE_FORMAT_HELP = 'iso, epoch-ms, epoch-s, or a pattern of YYYY MM DD HH mm ss, e.g. DD/MM/YYYY or MM/DD/YYYY HH:mm';

/** Compile `--date-format`: iso, epoch-ms, epoch-s, or a pattern such as DD/MM/YYYY or MM/DD/YYYY HH:mm. */
export function compileDateFormat(spec: string | undefined): DateFormat {
  const s = (spec ?? 'iso').trim();
  if (s === '' || s.toLowerCase() === 'iso') return { type: 'iso' };
  if (s.toLowerCase() === 'epoch-ms') return { type: 'epoch-ms' };
  if (s.toLowerCase() === 'epoch-s') return { type: 'epoch-s' };
  let regex = '^';
  const order: DatePart[] = [];
  for (let i = 0; i < s.length; ) {
    const token = TOKENS.find(([t]) => s.startsWith(t, i));
    if (token) {
      order.push(token[1]);
      regex += token[2];
      i += token[0].length;
    } else {
      const ch = s[i] as string;
      if (/[A-Za-z0-9]/.test(ch)) throw new RangeError(`unknown date format "${s}": use ${DATE_FORMAT_HELP}`);
      regex += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    }
  }
  for (const need of ['YYYY', 'MM', 'DD'] as const) {
    if (order.filter((p) => p === need).length !== 1) throw new RangeError(`date format "${s}" needs exactly one ${need}: use ${DATE_FORMAT_HELP}`);
  }
  if (new Set(order).size !== order.length) throw new RangeError(`date format "${s}" repeats a part`);
  return { type: 'pattern', pattern: s, regex: new RegExp(`${regex}$`), order };
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  // Date.UTC would read years 0–99 as 1900–1999, and roll 2025-02-30 over to March: refuse instead.
  if (y < 100) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] as number))) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

/** The number written by `n` ASCII digits of `s` at `i`; -1 if any is not a digit. */
function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The common shapes, YYYY-MM-DD and YYYY-MM-DDTHH:mm:ss with an optional Z, read without
 * the regular expression; null for any other shape (then ISO_RE decides). Same results.
 */
function readIsoCommon(s: string): Read<number> | null {
  const n = s.length;
  if ((n !== 10 && n !== 19 && n !== 20) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const y = digitsAt(s, 0, 4);
  const mo = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  if (y < 0 || mo < 0 || d < 0) return null;
  let h = 0;
  let mi = 0;
  let sec = 0;
  if (n > 10) {
    const sep = s.charCodeAt(10);
    if ((sep !== 84 && sep !== 116 && sep !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
    if (n === 20 && s.charCodeAt(19) !== 90 && s.charCodeAt(19) !== 122) return null;
    h = digitsAt(s, 11, 2);
    mi = digitsAt(s, 14, 2);
    sec = digitsAt(s, 17, 2);
    if (h < 0 || mi < 0 || sec < 0) return null;
  }
  const t = utc(y, mo, d, h, mi, sec, 0);
  return t === undefined ? no('not a real calendar date or time') : ok(t);
}

function readIso(s: string): Read<number> | undefined {
  const common = readIsoCommon(s);
  if (common) return common;
  const m = ISO_RE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  const t = utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec), Math.floor(Number(`0.${frac || '0'}`) * 1000));
  if (t === undefined) return no('not a real calendar date or time');
  let offset = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (!zm) return no('bad time-zone offset');
    const minutes = Number(zm[2]) * 60 + Number(zm[3] ?? '0');
    if (minutes > 18 * 60) return no('bad time-zone offset');
    offset = (zm[1] === '-' ? -1 : 1) * minutes * 60_000;
  }
  return ok(t - offset);
}

/**
 * A date or date-time to epoch ms. ISO 8601 always (no zone = UTC); other shapes only
 * with the given format. 03/04/2025 without a format is refused as ambiguous.
 */
export function readDate(raw: unknown, format: DateFormat): Read<number> {
  if (typeof raw === 'number') {
    if (format.type === 'epoch-ms' && Number.isFinite(raw)) return ok(Math.round(raw));
    if (format.type === 'epoch-s' && Number.isFinite(raw)) return ok(Math.round(raw * 1000));
    return no('a number is not a date; use ISO 8601 or pass --date-format epoch-ms / epoch-s');
  }
  if (typeof raw !== 'string') return no('not a date');
  const s = raw.trim();
  const iso = readIso(s);
  if (iso) return iso;
  if (format.type === 'epoch-ms' || format.type === 'epoch-s') {
    if (!/^-?\d+(\.\d+)?$/.test(s)) return no(`not ISO 8601 nor ${format.type}`);
    return ok(Math.round(Number(s) * (format.type === 'epoch-s' ? 1000 : 1)));
  }
  if (format.type === 'pattern') {
    const m = format.regex.exec(s);
    if (!m) return no(`not ISO 8601 nor ${format.pattern}`);
    const part: Partial<Record<DatePart, number>> = {};
    format.order.forEach((p, i) => (part[p] = Number(m[i + 1])));
    const t = utc(part.YYYY ?? 0, part.MM ?? 0, part.DD ?? 0, part.HH ?? 0, part.mm ?? 0, part.ss ?? 0, 0);
    return t === undefined ? no(`not a real calendar date (read as ${format.pattern})`) : ok(t);
  }
  const slash = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})/.exec(s);
  if (slash) {
    const a = Number(slash[1]);
    const b = Number(slash[2]);
    if (a <= 12 && b <= 12 && a !== b) {
      return no(`ambiguous date (day/month or month/day?); pass --date-format DD/MM/YYYY or MM/DD/YYYY`);
    }
    return no('not ISO 8601 (YYYY-MM-DD); pass --date-format, e.g. DD/MM/YYYY');
  }
  return no('not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:mm:ssZ)');
}

// ---------------------------------------------------------------- numbers

/** The decimal separator: '.' (default: no thousands separators at all) or ','. */
export type Decimal = '.' | ',';
export interface NumberOptions {
  /** Given explicitly: then the other of '.'/',' (and spaces, apostrophes) group thousands. */
  decimal?: Decimal;
}

/**
 * A plain number. Without `decimal`: digits with an optional '.' fraction only, so
 * "1,234" (thousand? one point two?) is refused. With `decimal`, the other mark and
 * spaces group thousands, in groups of three.
 */
export function readNumber(raw: unknown, options: NumberOptions = {}): Read<number> {
  if (typeof raw === 'number') return Number.isFinite(raw) ? ok(raw) : no('not a finite number');
  if (typeof raw !== 'string') return no('not a number');
  let s = raw.trim();
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-') !== negative;
    s = s.slice(1).trim();
  }
  if (s === '') return no('not a number');
  if (options.decimal === undefined) {
    if (/^\d+(\.\d+)?$/.test(s)) return ok((negative ? -1 : 1) * Number(s));
    if (/^\.\d+$/.test(s)) return ok((negative ? -1 : 1) * Number(`0${s}`));
    if (/^[\d.,\s']+$/.test(s) && /[,]/.test(s)) {
      return no('contains a comma: thousands separator or decimal mark? pass --decimal . or --decimal ,');
    }
    return no('not a number');
  }
  const dec = options.decimal;
  const group = dec === '.' ? ',' : '.';
  const [intPart = '', frac, extra] = s.split(dec);
  if (extra !== undefined) return no(`more than one decimal mark "${dec}"`);
  if (frac !== undefined && !/^\d+$/.test(frac)) return no('not a number');
  const groups = intPart.split(new RegExp(`[${group === '.' ? '\\.' : ','}\\s'\u00a0\u202f]`));
  if (groups.length > 1) {
    const [first = '', ...rest] = groups;
    if (!/^\d{1,3}$/.test(first) || rest.some((g) => !/^\d{3}$/.test(g))) {
      return no(`thousands separators must group three digits (decimal mark is "${dec}")`);
    }
  } else if (!/^\d*$/.test(intPart) || (intPart === '' && frac === undefined)) {
    return no('not a number');
  }
  const n = Number(`${groups.join('') || '0'}${frac !== undefined ? `.${frac}` : ''}`);
  return Number.isFinite(n) ? ok((negative ? -1 : 1) * n) : no('not a number');
}

export function readInteger(raw: unknown, options: NumberOptions = {}): Read<number> {
  const n = readNumber(raw, options);
  if (!n.ok) return n;
  return Number.isSafeInteger(n.value) ? n : no('not a whole number');
}

// ---------------------------------------------------------------- currencies

const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));

/** Narrow symbol of a currency as printed in English ("$" for USD, CAD, AUD …). */
const symbolCache = new Map<string, string>();
export function currencySymbol(code: string): string {
  let s = symbolCache.get(code);
  if (s === undefined) {
    const parts = new Intl.NumberFormat('en', { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' }).formatToParts(1);
    s = parts.find((p) => p.type === 'currency')?.value ?? code;
    symbolCache.set(code, s);
  }
  return s;
}

export const isCurrencyCode = (code: string): boolean => ISO_4217.has(code);

/**
 * An ISO 4217 code ("usd" is read as USD). A symbol ("$", "€") only when a default
 * currency with that symbol was given: "$" alone could be USD, CAD, AUD …
 */
export function readCurrency(raw: unknown, defaultCurrency?: string): Read<string> {
  if (typeof raw !== 'string') return no('not a currency code');
  const s = raw.trim();
  const upper = s.toUpperCase();
  if (/^[A-Z]{3}$/.test(upper)) return ISO_4217.has(upper) ? ok(upper) : no('not an ISO 4217 currency code');
  if (defaultCurrency && s === currencySymbol(defaultCurrency)) return ok(defaultCurrency);
  if (/^\p{Sc}+$/u.test(s) || /^[A-Z]{1,2}\p{Sc}$/u.test(s)) {
    return no(defaultCurrency ? `symbol "${s}" is not that of the default currency ${defaultCurrency}` : `a symbol is not a currency code; use ISO 4217 (e.g. USD) or pass --currency`);
  }
  return no('not an ISO 4217 currency code');
}

/**
 * A money amount: a number, optionally with an ISO code ("12.50 EUR", "EUR 12.50") or,
 * with a default currency, that currency's symbol ("$12.50"). Returns the currency it carried.
 */
export function readAmount(raw: unknown, options: NumberOptions & { defaultCurrency?: string }): Read<{ amount: number; currency?: string }> {
  if (typeof raw === 'number') return Number.isFinite(raw) ? ok({ amount: raw }) : no('not a finite number');
  if (typeof raw !== 'string') return no('not an amount');
  let s = raw.trim();
  let currency: string | undefined;
  const code = /^([A-Za-z]{3})\s*(.+)$/.exec(s) ?? /^(.+?)\s*([A-Za-z]{3})$/.exec(s);
  if (code) {
    const [c, rest] = /^[A-Za-z]{3}$/.test(code[1] as string) ? [code[1] as string, code[2] as string] : [code[2] as string, code[1] as string];
    const upper = c.toUpperCase();
    if (!ISO_4217.has(upper)) return no(`"${c}" is not an ISO 4217 currency code`);
    currency = upper;
    s = rest.trim();
  } else {
    let symbol: string | undefined;
    const pre = /^([-+]?)\s*(\p{Sc}|[A-Za-z]{1,2}\p{Sc})\s*/u.exec(s);
    if (pre) {
      symbol = pre[2];
      s = `${pre[1] ?? ''}${s.slice(pre[0].length)}`;
    } else {
      const post = /\s*(\p{Sc})$/u.exec(s);
      if (post) {
        symbol = post[1];
        s = s.slice(0, post.index);
      }
    }
    if (symbol !== undefined) {
      if (!options.defaultCurrency) return no(`currency symbol "${symbol}" needs --currency (an ISO 4217 code)`);
      if (symbol !== currencySymbol(options.defaultCurrency)) {
        return no(`currency symbol "${symbol}" is not that of the default currency ${options.defaultCurrency}`);
      }
      currency = options.defaultCurrency;
    }
  }
  const n = readNumber(s, options);
  if (!n.ok) return n;
  return ok(currency ? { amount: n.value, currency } : { amount: n.value });
}

// ---------------------------------------------------------------- text

const EMAIL_RE = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]+$/;

export function readEmail(raw: unknown): Read<string> {
  if (typeof raw !== 'string') return no('not an e-mail address');
  const s = raw.trim();
  return EMAIL_RE.test(s) && s.length <= 320 ? ok(s) : no('not an e-mail address');
}

export function readText(raw: unknown, max = 10_000): Read<string> {
  if (typeof raw === 'number' || typeof raw === 'boolean') return ok(String(raw));
  if (typeof raw !== 'string') return no('not text');
  const s = raw.trim();
  return s.length > max ? no(`longer than ${max} characters`) : ok(s);
}
