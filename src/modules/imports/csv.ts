/**
 * A strict CSV reader (RFC 4180) for imports, fed text chunk by chunk: it hands back
 * every complete record in a chunk at once (no per-record async hop, no per-record
 * objects besides the cells) with the line each record starts on, and keeps only the
 * unfinished tail between chunks. Pure: no I/O.
 *
 * What it accepts, as csv-parse with `bom, skip_empty_lines, relax_column_count` did:
 * LF, CRLF or CR line ends; fields quoted with `"` and `""` for a quote inside; a quoted
 * field may span lines; empty lines are skipped; records may differ in length (the
 * importer reports those as row errors). What it refuses, as a broken file: a quote
 * inside an unquoted field, anything but a delimiter or line end after a closing quote,
 * a quote left open at the end of the file, a record larger than `maxRecord` characters.
 */
import { AppError } from '../../platform/errors.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Records of one chunk: `records[i]` starts on line `lines[i]` (1-based, as an editor shows it). */
export interface CsvBatch {
  records: string[][];
  lines: number[];
}

const broken = (line: number, what: string): AppError => new AppError('IMPORT_FILE_INVALID', `not a valid CSV file at line ${line}: ${what}`);

/** Counts line ends (LF, CRLF or a lone CR) inside a quoted value. */
function lineEnds(v: string): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === LF || (c === CR && v.charCodeAt(i + 1) !== LF)) n++;
  }
  return n;
}

export class CsvReader {
  private readonly delim: number;
  private rest = '';
  private line = 1;
  private started = false;

  constructor(
    delimiter = ',',
    private readonly maxRecord = 1 << 20,
  ) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') throw new RangeError('the delimiter must be one character');
    this.delim = delimiter.charCodeAt(0);
  }

  /** Read the complete records of `text` (the next decoded chunk); `final` at the end of the file. */
  push(text: string, final = false): CsvBatch {
    let s = this.rest === '' ? text : this.rest + text;
    if (!this.started && (s.length > 0 || final)) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    const out: CsvBatch = { records: [], lines: [] };
    const n = s.length;
    const d = this.delim;
    let pos = 0;
    records: while (pos < n) {
      // Empty lines are skipped (and counted).
      const c0 = s.charCodeAt(pos);
      if (c0 === LF) {
        pos++;
        this.line++;
        continue;
      }
      if (c0 === CR) {
        if (pos + 1 >= n && !final) break;
        pos += s.charCodeAt(pos + 1) === LF ? 2 : 1;
        this.line++;
        continue;
      }
      const start = pos;
      const fields: string[] = [];
      let extraLines = 0;
      let i = pos;
      for (;;) {
        if (i - start > this.maxRecord) throw broken(this.line, `a record is longer than ${this.maxRecord} characters (a quote left open?)`);
        if (i < n && s.charCodeAt(i) === QUOTE) {
          // A quoted field: up to the closing quote, "" being a quote inside.
          let value = '';
          let from = i + 1;
          let j = from;
          for (;;) {
            const q = s.indexOf('"', j);
            if (q === -1 || (q + 1 >= n && !final)) {
              if (!final) break records;
              throw broken(this.line, `a quoted field (field ${fields.length + 1}) is not closed before the end of the file`);
            }
            if (s.charCodeAt(q + 1) === QUOTE) {
              value += s.slice(from, q + 1);
              j = from = q + 2;
              continue;
            }
            value += s.slice(from, q);
            i = q + 1;
            break;
          }
          if (value.indexOf('\n') !== -1 || value.indexOf('\r') !== -1) extraLines += lineEnds(value);
          fields.push(value);
          if (i >= n) {
            if (!final) break records;
            pos = n;
            break;
          }
          const c = s.charCodeAt(i);
          if (c === d) {
            i++;
            continue;
          }
          if (c === LF) {
            pos = i + 1;
            break;
          }
          if (c === CR) {
            if (i + 1 >= n && !final) break records;
            pos = s.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
            break;
          }
          throw broken(this.line + extraLines, `unexpected text after the closing quote of field ${fields.length}; double a quote inside a quoted field ("")`);
        }
        // An unquoted field: up to the delimiter or the line end.
        let j = i;
        let c = -1;
        while (j < n) {
          c = s.charCodeAt(j);
          if (c === d || c === LF || c === CR || c === QUOTE) break;
          j++;
        }
        if (j >= n) {
          if (!final) break records;
          fields.push(s.slice(i, j));
          pos = n;
          break;
        }
        if (c === QUOTE) {
          throw broken(this.line + extraLines, `a quote inside an unquoted field (field ${fields.length + 1}); quote the whole field and double the quotes inside ("")`);
        }
        fields.push(s.slice(i, j));
        if (c === d) {
          i = j + 1;
          continue;
        }
        if (c === LF) {
          pos = j + 1;
          break;
        }
        if (j + 1 >= n && !final) break records;
        pos = s.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
        break;
      }
      if (pos - start > this.maxRecord) throw broken(this.line, `a record is longer than ${this.maxRecord} characters`);
      out.records.push(fields);
      out.lines.push(this.line);
      this.line += 1 + extraLines;
    }
    this.rest = pos >= n ? '' : s.slice(pos);
    if (this.rest.length > this.maxRecord) throw broken(this.line, `a record is longer than ${this.maxRecord} characters (a quote left open?)`);
    return out;
  }
}
