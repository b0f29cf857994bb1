/** `emptychair text analyze` as a person runs it: a child process on the built CLI. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZTextAnalysis } from '../../src/modules/feedback/text/index.js';
import { cli } from '../support/cli.js';

const built = fileURLToPath(new URL('../../dist/src/cli/commands/text.js', import.meta.url));
const parseLines = (out: string) => out.trim().split('\n').map((l) => ZTextAnalysis.parse(JSON.parse(l)));

describe('emptychair text analyze', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(built)) throw new Error('run `npm run build:server` first (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'emptychair-text-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads one comment per line, skips blank lines and writes JSON lines to stdout with a summary on stderr', async () => {
    const file = join(dir, 'comments.txt');
    writeFileSync(file, 'The coffee was cold and the staff were rude.\n\nFast delivery and a great price, thank you!\nDie Lieferung kam zu spät und der Kaffee war nicht heiß.\n');
    const res = await cli(['text', 'analyze', file]);
    expect(res.code, res.stderr).toBe(0);
    const rows = parseLines(res.stdout);
    expect(rows.map((r) => [r.sentiment.label, r.language, r.themes])).toEqual([
      ['negative', 'en', ['friendly staff']],
      ['positive', 'en', ['delivery time', 'price']],
      [expect.any(String), 'de', []],
    ]);
    expect(rows[0]?.text).toBe('The coffee was cold and the staff were rude.');
    expect(res.stderr).toMatch(/^analysed 3 comments in [\d.]+ s, [\d,]+ comments\/s: 1 positive, \d neutral, \d negative\n$/);
  });

  it('reads a CSV column, takes an edited theme dictionary and writes to --output', async () => {
    const file = join(dir, 'survey.csv');
    const themes = join(dir, 'themes.json');
    const output = join(dir, 'out.jsonl');
    writeFileSync(file, 'id,Comment\n1,"Refund took forever, still waiting"\n2,"No oat milk, again!"\n3,\n');
    writeFileSync(themes, JSON.stringify({ refund: ['refund'], 'milk options': ['oat milk'] }));
    const res = await cli(['text', 'analyze', file, '--column', 'Comment', '--themes', themes, '--output', output]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^analysed 2 comments .*; written to .*out\.jsonl\n$/);
    const rows = parseLines(readFileSync(output, 'utf8'));
    expect(rows.map((r) => [r.text, r.sentiment.label, r.themes])).toEqual([
      ['Refund took forever, still waiting', 'negative', ['refund']],
      ['No oat milk, again!', expect.any(String), ['milk options']],
    ]);
  });

  it('streams a large file, one output line per comment, in order', async () => {
    const file = join(dir, 'many.txt');
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 2 ? `Order ${i} arrived late and broken` : `Order ${i} was lovely, thanks`));
    writeFileSync(file, lines.join('\n'));
    const res = await cli(['text', 'analyze', file]);
    expect(res.code, res.stderr).toBe(0);
    const rows = parseLines(res.stdout);
    expect(rows).toHaveLength(3000);
    expect(rows[2999]?.text).toBe(lines[2999]);
    expect(rows.filter((r) => r.sentiment.label === 'negative')).toHaveLength(1500);
  });

  it('answers bad input with one clear line and exit code 1', async () => {
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'id,comment\n1,ok\n');
    const badThemes = join(dir, 'bad-themes.json');
    writeFileSync(badThemes, '{"refund": "refund"}');
    const cases: [string[], RegExp][] = [
      [['text', 'analyze', join(dir, 'missing.txt')], /^emptychair: cannot read .*missing\.txt$/],
      [['text', 'analyze', csv], /^emptychair: .*bad\.csv is a CSV file: name the column of comments with --column NAME$/],
      [['text', 'analyze', csv, '--column', 'Comment'], /^emptychair: no column "Comment" in .*bad\.csv; its columns are "id", "comment"$/],
      [['text', 'analyze', csv, '--format', 'xml'], /^emptychair: --format: /],
      [['text', 'analyze', csv, '--column', 'comment', '--themes', badThemes], /^emptychair: --themes: .* must be \{"theme": \["cue"/],
      [['text', 'analyze', csv, '--column', 'comment', '--output', join(dir, 'no', 'such', 'dir.jsonl')], /^emptychair: --output: cannot write /],
    ];
    for (const [args, message] of cases) {
      const res = await cli(args);
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringMatching(message)]);
    }
  });
});
