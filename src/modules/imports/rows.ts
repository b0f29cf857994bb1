/**
 * One file row → one canonical record, or the reasons it cannot be one. Pure: no I/O.
 * Every mapped cell is read strictly (see values.ts); the finished record is checked
 * with its kind's zod schema (through QUICK_ACCEPT first: a plain record that it accepts
 * skips zod); each problem becomes {line, field, value, reason}.
 */
import { AMOUNT_FIELD, FIELDS, OCCURRED_AT, QUICK_ACCEPT, RECORD_SCHEMAS, toStoredData, type FieldType, type ImportKind } from './kinds.js';
import type { Mapping } from './mapping.js';
import type { RowError } from './import.store.js';
import {
  readAmount, readCurrency, readDate, readEmail, readInteger, readNumber, readText,
  type DateFormat, type Decimal, type Read,
} from './values.js';

export interface ReadOptions {
  dateFormat: DateFormat;
  decimal?: Decimal;
  /** ISO 4217 code for amounts with no currency of their own (and for their symbol). */
  defaultCurrency?: string;
}

export interface ConvertedRow {
  externalId: string;
  /** The stored `data`, already as JSON text. */
  data: string;
  occurredAt: number | undefined;
}

let countryNames: Map<string, string> | undefined;
/** English country names ("Germany", "united states") → ISO 3166 alpha-2, built once. */
function countryByName(name: string): string | undefined {
  if (!countryNames) {
    countryNames = new Map();
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        const n = names.of(code);
        if (n && n !== code) countryNames.set(n.toLowerCase(), code);
      }
    }
    for (const [alias, code] of [['usa', 'US'], ['uk', 'GB'], ['great britain', 'GB'], ['england', 'GB']] as const) countryNames.set(alias, code);
  }
  return countryNames.get(name.toLowerCase());
}

const MAX_VALUE = 1000;

function readCell(type: FieldType, raw: unknown, o: ReadOptions): Read<unknown> {
  switch (type) {
    case 'id':
      return readText(raw, 256);
    case 'text':
      return readText(raw);
    case 'email':
      return readEmail(raw);
    case 'date':
      return readDate(raw, o.dateFormat);
    case 'number':
      return readNumber(raw, o);
    case 'integer':
      return readInteger(raw, o);
    case 'currency':
      return readCurrency(raw, o.defaultCurrency);
    case 'amount':
      return readAmount(raw, o);
    case 'status': {
      const t = readText(raw, 64);
      return t.ok ? { ok: true, value: t.value.toLowerCase().replace(/\s+/g, '_') } : t;
    }
    case 'country': {
      const t = readText(raw, 100);
      if (!t.ok) return t;
      if (/^[A-Za-z]{2}$/.test(t.value)) return { ok: true, value: t.value.toUpperCase() };
      const code = countryByName(t.value);
      return code ? { ok: true, value: code } : { ok: false, reason: 'not an ISO 3166 country code or English country name' };
    }
  }
}

const show = (raw: unknown): string => {
  const s = typeof raw === 'string' ? raw : raw === undefined ? '' : JSON.stringify(raw);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
};

/**
 * A compiled converter for one import: mapping and options fixed, called once per row.
 * `positionOf(column)` says where a mapped column's raw cell is in a row's `cells`
 * (a string in CSV; any JSON value in JSONL; undefined when absent). Returns the
 * record, or its errors (an array).
 */
export function rowConverter(
  kind: ImportKind,
  mapping: Mapping,
  options: ReadOptions,
  headerCurrency: string | undefined,
  positionOf: (column: string) => number,
): (line: number, cells: readonly unknown[]) => ConvertedRow | RowError[] {
  const specs = FIELDS[kind].filter((f) => f.name in mapping).map((f) => ({ name: f.name, type: f.type, at: positionOf(mapping[f.name] as string) }));
  const at = new Map(specs.map((s) => [s.name, s.at]));
  const schema = RECORD_SCHEMAS[kind];
  const quick = QUICK_ACCEPT[kind];
  const amountField = AMOUNT_FIELD[kind];
  const occurredField = OCCURRED_AT[kind];
  const stored = storedJson(kind);

  return (line, cells) => {
    const record: Record<string, unknown> = {};
    let errors: RowError[] | undefined;
    let carried: string | undefined;
    for (const spec of specs) {
      const raw = cells[spec.at];
      if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) continue;
      const read = readCell(spec.type, raw, options);
      if (!read.ok) {
        (errors ??= []).push({ line, field: spec.name, value: show(raw), reason: read.reason });
        continue;
      }
      if (spec.type === 'amount') {
        const a = read.value as { amount: number; currency?: string };
        record[spec.name] = a.amount;
        carried = a.currency;
      } else {
        record[spec.name] = read.value;
      }
    }
    if (amountField && record[amountField] !== undefined) {
      const column = record.currency as string | undefined;
      if (carried && column && carried !== column) {
        (errors ??= []).push({ line, field: amountField, value: show(cells[at.get(amountField) ?? -1]), reason: `currency ${carried} differs from the currency column (${column})` });
      }
      record.currency = column ?? carried ?? headerCurrency ?? options.defaultCurrency;
    }
    if (typeof record.externalId !== 'string' || record.externalId === '') {
      (errors ??= []).push({ line, field: 'externalId', value: '', reason: 'missing the record id' });
    }
    if (errors) return errors;
    const occurredAt = record[occurredField];
    const externalId = record.externalId as string;
    // The schema has no transforms: what it accepts is stored as read.
    if (quick(record)) return { externalId, data: stored(record), occurredAt: typeof occurredAt === 'number' ? occurredAt : undefined };
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      const seen = new Set<string>();
      const out: RowError[] = [];
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        if (seen.has(field)) continue;
        seen.add(field);
        const position = at.get(field);
        out.push({ line, field, value: position === undefined ? '' : show(cells[position]), reason: issue.message });
      }
      return out;
    }
    return { externalId, data: stored(parsed.data), occurredAt: typeof occurredAt === 'number' ? occurredAt : undefined };
  };
}

/**
 * `JSON.stringify(toStoredData(kind, record))`, with the key list computed once. One
 * JSON.stringify of a fresh object gives a flat string; text built by `+` would be a
 * tree of pieces still pointing into the file's chunk, kept alive until the rows are
 * written (and costly to the garbage collector).
 */
function storedJson(kind: ImportKind): (record: Record<string, unknown>) => string {
  if (kind === 'ticket') return (record) => JSON.stringify(toStoredData(kind, record));
  const names = FIELDS[kind].filter((f) => f.name !== 'externalId').map((f) => f.name);
  return (record) => {
    const out: Record<string, unknown> = {};
    for (const name of names) out[name] = record[name] ?? null;
    return JSON.stringify(out);
  };
}
