/**
 * One file row → one canonical record, or the reasons it cannot be one. Pure: no I/O.
 * Every mapped cell is read strictly (see values.ts); the finished record is checked
 * with its kind's zod schema; each problem becomes {line, field, value, reason}.
 */
import { AMOUNT_FIELD, FIELDS, OCCURRED_AT, RECORD_SCHEMAS, toStoredData, type FieldType, type ImportKind } from './kinds.js';
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
  data: Record<string, unknown>;
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

/** A compiled converter for one import: mapping and options fixed, called once per row. */
export function rowConverter(kind: ImportKind, mapping: Mapping, options: ReadOptions, headerCurrency?: string) {
  const specs = FIELDS[kind].filter((f) => f.name in mapping).map((f) => ({ name: f.name, type: f.type, column: mapping[f.name] as string }));
  const schema = RECORD_SCHEMAS[kind];
  const amountField = AMOUNT_FIELD[kind];
  const occurredField = OCCURRED_AT[kind];

  /** `get(column)` returns the raw cell (string in CSV; any JSON value in JSONL); undefined when absent. */
  return (line: number, get: (column: string) => unknown): { row: ConvertedRow } | { errors: RowError[] } => {
    const record: Record<string, unknown> = {};
    const errors: RowError[] = [];
    let carried: string | undefined;
    for (const spec of specs) {
      const raw = get(spec.column);
      if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) continue;
      const read = readCell(spec.type, raw, options);
      if (!read.ok) {
        errors.push({ line, field: spec.name, value: show(raw), reason: read.reason });
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
        errors.push({ line, field: amountField, value: show(get(mapping[amountField] as string)), reason: `currency ${carried} differs from the currency column (${column})` });
      }
      record.currency = column ?? carried ?? headerCurrency ?? options.defaultCurrency;
    }
    if (typeof record.externalId !== 'string' || record.externalId === '') {
      errors.push({ line, field: 'externalId', value: '', reason: 'missing the record id' });
    }
    if (errors.length > 0) return { errors };
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      const seen = new Set<string>();
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        if (seen.has(field)) continue;
        seen.add(field);
        const column = mapping[field];
        errors.push({ line, field, value: column === undefined ? '' : show(get(column)), reason: issue.message });
      }
      return { errors };
    }
    const externalId = record.externalId as string;
    const occurredAt = record[occurredField];
    return { row: { externalId, data: toStoredData(kind, parsed.data), occurredAt: typeof occurredAt === 'number' ? occurredAt : undefined } };
  };
}
