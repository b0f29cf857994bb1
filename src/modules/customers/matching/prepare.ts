/**
 * A person's fields made comparable once, when the record arrives, so that comparing two
 * records is cheap: names folded and keyed phonetically, the e-mail and phone as the
 * identity graph keys them, the date of birth read, the address tokenised. `Prepared` is a
 * plain JSON object (the identity graph stores it as is). Pure: no I/O.
 */
import { isPlaceholder, normaliseEmail, normalisePhone } from '../identifiers.js';
import { addressTokens, normalisePostcode, parseBirthDate } from './comparators.js';
import { normaliseFirstName, normaliseLastName, splitFullName } from './normalise-name.js';
import { nysiis } from './phonetic.js';
import type { PersonFields } from './types.js';

/** A record ready for blocking and comparison. Every field is optional; all are strings. */
export interface Prepared {
  /** Given name, folded ("José" → "jose"). */
  first?: string;
  /** Family name, folded, words run together. */
  last?: string;
  /** NYSIIS keys of the names. */
  firstKey?: string;
  lastKey?: string;
  /** "YYYY-MM-DD". */
  dob?: string;
  /** As ../identifiers.ts normalises it; placeholders (test@test.com) dropped. */
  email?: string;
  /** E.164; placeholders dropped. */
  phone?: string;
  /** Address tokens joined by one space, abbreviations spelled out ("12 high street"). */
  address?: string;
  postcode?: string;
  city?: string;
}

export interface PrepareOptions {
  /** The country for national phone numbers when the record has none (ISO alpha-2). */
  defaultCountry?: string;
  /** How to read an ambiguous 03/04/1985: day first (default) or month first. */
  dateOrder?: 'dmy' | 'mdy';
}

/** Dates people type when they have none: not evidence. */
const PLACEHOLDER_DATES = new Set(['1900-01-01', '1901-01-01', '1970-01-01', '2000-01-01', '1111-11-11']);

const text = (v: string | null | undefined): string | undefined => {
  if (v === null || v === undefined) return undefined;
  const t = String(v).trim();
  return t === '' ? undefined : t;
};

export function prepare(fields: PersonFields, options: PrepareOptions = {}): Prepared {
  const out: Prepared = {};
  let first = text(fields.firstName) !== undefined ? normaliseFirstName(fields.firstName as string) : undefined;
  let last = text(fields.lastName) !== undefined ? normaliseLastName(fields.lastName as string) : undefined;
  const full = text(fields.name);
  if (full && (!first || !last)) {
    const split = splitFullName(full);
    first ??= split.first;
    last ??= split.last;
  }
  if (first) {
    out.first = first;
    out.firstKey = nysiis(first);
  }
  if (last) {
    out.last = last;
    out.lastKey = nysiis(last);
  }
  const dobRaw = text(fields.birthDate);
  if (dobRaw) {
    const dob = parseBirthDate(dobRaw, options.dateOrder);
    if (dob && !PLACEHOLDER_DATES.has(dob)) out.dob = dob;
  }
  const emailRaw = text(fields.email);
  if (emailRaw) {
    const email = normaliseEmail(emailRaw);
    if (email && !isPlaceholder({ kind: 'email', value: email })) out.email = email;
  }
  const country = text(fields.country)?.toUpperCase();
  const phoneRaw = text(fields.phone);
  if (phoneRaw) {
    const phone = normalisePhone(phoneRaw, country && /^[A-Z]{2}$/.test(country) ? country : options.defaultCountry);
    if (phone && !isPlaceholder({ kind: 'phone', value: phone })) out.phone = phone;
  }
  const addressRaw = text(fields.address);
  if (addressRaw) {
    const tokens = addressTokens(addressRaw);
    if (tokens.length > 0) out.address = tokens.join(' ');
  }
  const postcodeRaw = text(fields.postcode);
  if (postcodeRaw) {
    const postcode = normalisePostcode(postcodeRaw);
    if (postcode) out.postcode = postcode;
  }
  const cityRaw = text(fields.city);
  if (cityRaw) {
    const city = addressTokens(cityRaw).join(' ');
    if (city) out.city = city;
  }
  return out;
}

/** `Prepared` is already plain JSON; these name the round trip for storage. */
export function toFeatures(p: Prepared): Prepared {
  return p;
}

const KEYS = ['first', 'last', 'firstKey', 'lastKey', 'dob', 'email', 'phone', 'address', 'postcode', 'city'] as const;

/** Read stored features back, keeping only known string fields. */
export function fromFeatures(json: unknown): Prepared {
  const out: Prepared = {};
  if (typeof json !== 'object' || json === null) return out;
  const o = json as Record<string, unknown>;
  for (const k of KEYS) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}
