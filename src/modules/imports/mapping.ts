/**
 * Which file column feeds which canonical field: explicit choices first, then guesses
 * from the headers (case, space, underscore and punctuation do not matter; synonyms
 * such as "E-mail Address", "Customer ID", "Amount (USD)"). Pure: no I/O.
 */
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { AMOUNT_FIELD, FIELDS, REQUIRED, type ImportKind } from './kinds.js';
import { isCurrencyCode } from './values.js';

/** Canonical field → file column (CSV header or JSONL key). */
export type Mapping = Record<string, string>;

/** A mapping file or form field: `{ "email": "E-mail Address", … }`. */
export const ZMapping = z.record(z.string().min(1).max(64), z.string().min(1).max(256));

/** "E-mail Address" → "emailaddress"; "Amount (USD)" → "amount" (the parenthesis is a hint, not a name). */
export const normalizeHeader = (h: string): string =>
  h
    .replace(/\([^)]*\)/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** "Amount (USD)" → "USD". */
export function headerCurrency(h: string): string | undefined {
  const m = /\(\s*([A-Za-z]{3})\s*\)/.exec(h);
  const code = m?.[1]?.toUpperCase();
  return code && isCurrencyCode(code) ? code : undefined;
}

export interface ResolvedMapping {
  mapping: Mapping;
  /** Fields whose column was guessed rather than given. */
  guessed: string[];
  /** A currency named in the amount column's header, e.g. "Amount (USD)". */
  headerCurrency?: string;
}

const listHeaders = (headers: string[]) => headers.map((h) => JSON.stringify(h)).join(', ');

/**
 * Resolve the mapping for a file's headers. Explicit entries must name known fields and
 * existing headers (exactly, or by the normalized form when that is unique); everything
 * else is guessed. Refuses, with the header list, a mapping that names an unknown header
 * or leaves a required field without a column.
 */
export function resolveMapping(kind: ImportKind, headers: string[], explicit: Mapping = {}, hasDefaultCurrency = false): ResolvedMapping {
  const fields = FIELDS[kind];
  const fieldNames = fields.map((f) => f.name);
  const mapping: Mapping = {};
  const used = new Set<string>();

  for (const [field, wanted] of Object.entries(explicit)) {
    const spec = fields.find((f) => f.name === field) ?? fields.find((f) => f.name.toLowerCase() === field.toLowerCase());
    if (!spec) {
      throw new AppError('IMPORT_INVALID_MAPPING', `unknown ${kind} field "${field}"; fields are ${fieldNames.join(', ')}`, {
        field,
        fields: fieldNames,
      });
    }
    let header = headers.find((h) => h === wanted);
    if (header === undefined) {
      const loose = headers.filter((h) => normalizeHeader(h) === normalizeHeader(wanted) && normalizeHeader(h) !== '');
      if (loose.length === 1) header = loose[0];
    }
    if (header === undefined) {
      throw new AppError('IMPORT_INVALID_MAPPING', `no column "${wanted}" (for ${spec.name}) in the file; its columns are ${listHeaders(headers)}`, {
        field: spec.name,
        header: wanted,
        headers,
      });
    }
    mapping[spec.name] = header;
    used.add(header);
  }

  const guessed: string[] = [];
  const normalized = headers.map((h) => ({ header: h, key: normalizeHeader(h) }));
  const take = (field: string, candidates: string[]): boolean => {
    for (const c of candidates) {
      const key = normalizeHeader(c);
      const hit = normalized.find((n) => n.key === key && n.key !== '' && !used.has(n.header));
      if (hit) {
        mapping[field] = hit.header;
        used.add(hit.header);
        guessed.push(field);
        return true;
      }
    }
    return false;
  };
  // Pass 1: a column named exactly like a field wins over any synonym.
  for (const f of fields) if (!(f.name in mapping)) take(f.name, [f.name]);
  // Pass 2: synonyms, in the order each field lists them.
  for (const f of fields) if (!(f.name in mapping)) take(f.name, f.synonyms);

  const amountField = AMOUNT_FIELD[kind];
  const amountHeader = amountField ? mapping[amountField] : undefined;
  const currency = amountHeader ? headerCurrency(amountHeader) : undefined;

  const missing = REQUIRED[kind].filter((f) => !(f in mapping));
  if (amountField && !('currency' in mapping) && !currency && !hasDefaultCurrency) missing.push('currency');
  if (missing.length > 0) {
    const hint = missing.includes('currency') ? ' (a currency may also come from --currency or a header like "Amount (USD)")' : '';
    throw new AppError(
      'IMPORT_INVALID_MAPPING',
      `no column for ${missing.join(', ')} of ${kind}${hint}; map one of the file's columns ${listHeaders(headers)}`,
      { missing, headers, mapping },
    );
  }
  // In the kind's field order, so that people read it the same way every time.
  const ordered: Mapping = {};
  for (const name of fieldNames) if (name in mapping) ordered[name] = mapping[name] as string;
  const guessedInOrder = fieldNames.filter((n) => guessed.includes(n));
  return currency ? { mapping: ordered, guessed: guessedInOrder, headerCurrency: currency } : { mapping: ordered, guessed: guessedInOrder };
}

/**
 * The field a column name would be guessed for, whether or not that field is mapped: its own
 * name or one of its synonyms, normalized ("E-mail" → email). Undefined for names no field has.
 */
export function fieldForHeader(kind: ImportKind, header: string): string | undefined {
  const key = normalizeHeader(header);
  if (key === '') return undefined;
  const fields = FIELDS[kind];
  return (
    fields.find((f) => normalizeHeader(f.name) === key)?.name ?? fields.find((f) => f.synonyms.some((s) => normalizeHeader(s) === key))?.name
  );
}

/** "email ← E-mail Address, name ← Full Name" for people. */
export const describeMapping = (m: Mapping): string =>
  Object.entries(m)
    .map(([field, header]) => `${field} ← ${JSON.stringify(header)}`)
    .join(', ');
