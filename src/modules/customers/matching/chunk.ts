/**
 * One chunk of a CSV or JSONL file (whole records only) → record ids and person fields,
 * by a resolved column mapping. Run on worker threads by prepare-pool.ts, or inline.
 * Pure: no I/O.
 */
import { parse } from 'csv-parse/sync';
import { AppError } from '../../../platform/errors.js';
import { PERSON_KEYS, type PersonKey } from './codec.js';
import type { PersonFields } from './types.js';

export interface ChunkSpec {
  format: 'csv' | 'jsonl';
  delimiter: string;
  /** CSV: column indices; JSONL: keys. [index into PERSON_KEYS, column]. */
  columns: [number, number | string][];
  /** The id column (index or key), or undefined to number records. */
  id?: number | string;
}

export interface ChunkRows {
  ids: string[] | undefined;
  people: PersonFields[];
}

const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** One JSONL line as an object, or a clear error naming the line. */
export function objectLine(text: string, line: number): Record<string, unknown> {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    throw new AppError('DEDUPE_INPUT_INVALID', `line ${line} is not JSON (JSONL wants one object per line)`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new AppError('DEDUPE_INPUT_INVALID', `line ${line} is not a JSON object`);
  return o as Record<string, unknown>;
}

/** `firstLine`: the file line the chunk starts on, for error messages. */
export function readChunk(text: string, spec: ChunkSpec, firstLine: number): ChunkRows {
  const ids: string[] | undefined = spec.id === undefined ? undefined : [];
  const people: PersonFields[] = [];
  const add = (get: (col: number | string) => string) => {
    if (ids) ids.push(get(spec.id as number | string).trim());
    const p: PersonFields = {};
    for (const [k, col] of spec.columns) {
      const v = get(col);
      if (v !== '') p[PERSON_KEYS[k] as PersonKey] = v;
    }
    people.push(p);
  };
  if (spec.format === 'csv' && !text.includes('"')) {
    // No quotes anywhere in the chunk: records are lines and fields are split by the
    // delimiter, which is what csv-parse would find, several times faster.
    for (const raw of text.split('\n')) {
      const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (l === '') continue;
      const r = l.split(spec.delimiter);
      add((c) => r[c as number] ?? '');
    }
  } else if (spec.format === 'csv') {
    let rows: string[][];
    try {
      rows = parse(text, { skip_empty_lines: true, relax_column_count: true, delimiter: spec.delimiter }) as string[][];
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      const line = /line (\d+)/.exec(m);
      const at = line ? `at line ${firstLine + Number(line[1]) - 1}` : `near line ${firstLine}`;
      throw new AppError('DEDUPE_INPUT_INVALID', `not a valid CSV file ${at}: ${m.replace(/^Invalid [^:]*: /, '').replace(/ at line \d+$/, '')}`);
    }
    for (const r of rows) add((c) => r[c as number] ?? '');
  } else {
    let line = firstLine - 1;
    for (const l of text.split('\n')) {
      line++;
      if (l.trim() === '') continue;
      const rec = objectLine(l, line);
      add((k) => cell(rec[k as string]));
    }
  }
  return { ids, people };
}
