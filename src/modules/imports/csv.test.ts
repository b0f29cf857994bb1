import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvReader, type CsvBatch } from './csv.js';

/** Feed `text` in pieces of `size` characters (every split point matters for a streaming reader). */
function readAll(text: string, size: number, delimiter = ','): CsvBatch {
  const reader = new CsvReader(delimiter, 1000);
  const out: CsvBatch = { records: [], lines: [] };
  for (let i = 0; i <= text.length; i += size) {
    const last = i + size > text.length;
    const b = reader.push(text.slice(i, i + size), last);
    out.records.push(...b.records);
    out.lines.push(...b.lines);
    if (last) break;
  }
  return out;
}

const SAMPLES = [
  'a,b,c\n1,2,3\n',
  '\ufeffid,name\r\nc-1,"Lovelace, Ada"\r\n\r\nc-2,"Grace ""Amazing"" Hopper"\r\n',
  'id,note\n1,"two\nlines"\n2,"crlf\r\ninside"\n\n\n3,last',
  'id,x\n1,\n2,""\n,\n"",""\n',
  'a;b\n1;"x;y"\n2;z\n',
  'id,name\r1,old mac\r2,"quoted"\r',
  'one\n"a ""quoted"" word"\n"ends with quote """\n',
  'id,name,extra\n1,short\n2,b,c,d\n',
];

describe('CsvReader', () => {
  it('reads what csv-parse reads, in any chunking, with the line each record starts on', () => {
    for (const text of SAMPLES) {
      const delimiter = text.startsWith('a;b') ? ';' : ',';
      const expected = parse(text, { bom: true, delimiter, skip_empty_lines: true, relax_column_count: true }) as string[][];
      for (const size of [1, 2, 3, 7, 1000]) expect(readAll(text, size, delimiter).records, `${JSON.stringify(text)} by ${size}`).toEqual(expected);
    }
    expect(readAll(SAMPLES[1] as string, 3).lines).toEqual([1, 2, 4]);
    expect(readAll(SAMPLES[2] as string, 2).lines).toEqual([1, 2, 4, 8]);
    expect(readAll(SAMPLES[5] as string, 1).lines).toEqual([1, 2, 3]);
  });

  it('refuses broken quoting and runaway records, naming the line', () => {
    const fails = (text: string, size = 1000) => () => readAll(text, size);
    expect(fails('id,name\n1,"open\n2,x\n')).toThrow(/^not a valid CSV file at line 2: a quoted field \(field 2\) is not closed/);
    expect(fails('id,name\n1,ab"c\n')).toThrow(/^not a valid CSV file at line 2: a quote inside an unquoted field \(field 2\)/);
    expect(fails('id,name\n\n1,"ab"c\n', 2)).toThrow(/^not a valid CSV file at line 3: unexpected text after the closing quote of field 2/);
    expect(fails(`id\n"${'x'.repeat(2000)}`, 100)).toThrow(/^not a valid CSV file at line 2: a record is longer than 1000 characters/);
  });
});
