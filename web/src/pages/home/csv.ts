/**
 * CSV built in the browser, for the exports of the home page's charts. RFC 4180 quoting; text
 * cells that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return) start with
 * an apostrophe, as in the server's responses.csv. Numbers stay numbers. Pure (no DOM), so
 * that it is tested on its own; downloadCsv (download.ts) hands the text to the browser.
 */
export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
