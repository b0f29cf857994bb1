import { stringify } from 'csv-stringify/sync';
import type { RowError } from './import.store.js';

/**
 * A cell that starts with = + - @ (or a tab or carriage return) is run as a formula by
 * spreadsheet programs; the values here come from customers' files, so such cells are
 * prefixed with an apostrophe (OWASP's advice against CSV injection).
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** Row errors as the CSV people download: line,field,value,reason. */
export function errorReportFromRows(errors: RowError[]): string {
  return stringify(
    errors.map((e) => ({ line: e.line, field: neutraliseFormula(e.field), value: neutraliseFormula(e.value), reason: neutraliseFormula(e.reason) })),
    { header: true, columns: ['line', 'field', 'value', 'reason'] },
  );
}
