/**
 * `emptychair dedupe` as a person runs it: a child process on the built CLI, on files
 * of synthetic people whose truth is known.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairwiseQuality, synthetic, ZMatchModel } from '../../src/modules/customers/matching/index.js';
import { seededRandom } from '../../src/platform/random.js';
import { cli } from '../support/cli.js';

const built = fileURLToPath(new URL('../../dist/src/cli/commands/dedupe.js', import.meta.url));
const quote = (v: string | null | undefined) => (v === undefined || v === null ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

describe('emptychair dedupe', () => {
  let dir: string;
  const people = synthetic({ random: seededRandom(8), people: 900 });
  const truth = new Map(people.map((r) => [r.id, r.person]));

  beforeAll(() => {
    if (!existsSync(built)) throw new Error('run `npm run build:server` first (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'emptychair-dedupe-'));
    const lines = ['rec_id,First Name,Surname,E-mail,Mobile,DOB,Street,Postcode,Town,Country'];
    for (const r of people) {
      const f = r.fields;
      lines.push([r.id, f.firstName, f.lastName, f.email, f.phone, f.birthDate, f.address, f.postcode, f.city, f.country].map(quote).join(','));
    }
    writeFileSync(join(dir, 'people.csv'), lines.join('\n') + '\n');
    const jsonl = people.map((r) =>
      JSON.stringify({ key: r.id, who: `${r.fields.firstName ?? ''} ${r.fields.lastName ?? ''}`.trim(), contact: r.fields.email ?? null, tel: r.fields.phone ?? null, born: r.fields.birthDate ?? null, land: r.fields.country }),
    );
    writeFileSync(join(dir, 'people.jsonl'), jsonl.join('\n') + '\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('clusters a CSV file, writes clusters and pairs with their evidence, and prints a summary', async () => {
    const clusters = join(dir, 'clusters.csv');
    const pairs = join(dir, 'pairs.csv');
    const model = join(dir, 'model.json');
    const res = await cli(['dedupe', join(dir, 'people.csv'), '--id', 'rec_id', '--output', clusters, '--pairs', pairs, '--save-model', model]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(
      'mapping: firstName ← "First Name", lastName ← "Surname", email ← "E-mail", phone ← "Mobile", birthDate ← "DOB", address ← "Street", postcode ← "Postcode", city ← "Town", country ← "Country"',
    );
    expect(res.stdout).toMatch(/model: trained on 1,\d{3} records \(EM on [\d,]+ blocked pairs, \d+ iterations, converged\)/);
    expect(res.stdout).toMatch(/dedupe: 1,\d{3} records, [\d,]+ comparisons \([\d.]+ per record\), [\d,]+ clusters \([\d,]+ records merged\), [\d,]+ pairs to review; [\d.]+ s .*records\/s, peak RSS \d+ MB/);

    const rows = readFileSync(clusters, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('rec_id,cluster_id,cluster_size');
    expect(rows).toHaveLength(people.length + 1);
    const ids = rows.slice(1).map((l) => l.split(','));
    const clusterIndex = new Map<string, number>();
    const q = pairwiseQuality(
      ids.map(([id]) => truth.get(id as string) as number),
      ids.map(([, c]) => clusterIndex.get(c as string) ?? (clusterIndex.set(c as string, clusterIndex.size), clusterIndex.size - 1)),
    );
    expect(q.precision).toBeGreaterThanOrEqual(0.97);
    expect(q.f1).toBeGreaterThanOrEqual(0.93);

    const pairLines = readFileSync(pairs, 'utf8').trim().split('\n');
    expect(pairLines[0]).toBe('rec_id_a,rec_id_b,probability,weight,decision,same_cluster,evidence');
    expect(pairLines.slice(1).some((l) => /,merge,yes,.*first name: exact/.test(l))).toBe(true);
    expect(pairLines.slice(1).some((l) => /,review,.*held for review: /.test(l))).toBe(true);
    expect(ZMatchModel.safeParse(JSON.parse(readFileSync(model, 'utf8'))).success).toBe(true);

    // The saved model can be used again: no training, the same clusters.
    const again = join(dir, 'again.csv');
    const reuse = await cli(['dedupe', join(dir, 'people.csv'), '--id', 'rec_id', '--output', again, '--model', model]);
    expect(reuse.code, reuse.stderr).toBe(0);
    expect(reuse.stdout).toContain(`model: ${model}`);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(clusters, 'utf8'));
  });

  it('reads JSONL with columns named by --map and flags, and numbers records when there is no --id', async () => {
    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({ name: 'who', birthDate: 'born' }));
    const out = join(dir, 'jsonl-clusters.csv');
    const res = await cli(['dedupe', join(dir, 'people.jsonl'), '--map', map, '--email', 'contact', '--phone', 'tel', '--country', 'land', '--output', out, '--workers', '0']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('mapping: name ← "who", email ← "contact", phone ← "tel", birthDate ← "born", country ← "land"');
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('record,cluster_id,cluster_size');
    expect(rows[1]).toMatch(/^1,\d+,\d+$/);
    const merged = rows.slice(1).filter((l) => !l.endsWith(',1')).length;
    expect(merged).toBeGreaterThan(people.length / 4);
  });

  it('gives the same clusters whether the records are worked on in one partition or many, and leaves no temporary files', async () => {
    const temp = join(dir, 'temp');
    mkdirSync(temp);
    const one = join(dir, 'one.csv');
    const many = join(dir, 'many.csv');
    const a = await cli(['dedupe', join(dir, 'people.csv'), '--id', 'rec_id', '--output', one, '--partitions', '1', '--temp-dir', temp]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/, 1 partition, /);
    const b = await cli(['dedupe', join(dir, 'people.csv'), '--id', 'rec_id', '--output', many, '--partitions', '11', '--temp-dir', temp]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/, 11 partitions, /);
    expect(readFileSync(many, 'utf8')).toBe(readFileSync(one, 'utf8'));
    expect(readFileSync(one, 'utf8').trim().split('\n').slice(1).some((l) => !l.endsWith(',1'))).toBe(true);
    expect(readdirSync(temp)).toEqual([]);
  });

  it('answers bad input with one clear line and exit code 1', async () => {
    const csv = join(dir, 'people.csv');
    const nothing = join(dir, 'nothing.csv');
    writeFileSync(nothing, 'colour,size\nred,3\nblue,4\n');
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'name,email\n"Ann Lee,ann@example.org\n');
    const badMap = join(dir, 'bad-map.json');
    writeFileSync(badMap, '{"shoeSize": "size"}');
    const cases: [string[], RegExp][] = [
      [['dedupe', join(dir, 'missing.csv')], /^emptychair: cannot read .*missing\.csv$/],
      [['dedupe', csv, '--id', 'nope'], /^emptychair: --id: no column "nope" in the file; its columns are "rec_id", "First Name"/],
      [['dedupe', csv, '--email', 'Mail'], /^emptychair: no column "Mail" \(for email\) in the file/],
      [['dedupe', nothing], /^emptychair: no column looks like a name, e-mail, phone, date of birth or address/],
      [['dedupe', broken], /^emptychair: .*broken\.csv: not a valid CSV file/],
      [['dedupe', csv, '--map', badMap], /^emptychair: --map: .* must be \{"field": "column", …\}/],
      [['dedupe', csv, '--merge-threshold', '1.5'], /^emptychair: --merge-threshold: /],
      [['dedupe', csv, '--merge-threshold', '0.6', '--review-threshold', '0.9'], /^emptychair: --review-threshold: must not be above --merge-threshold$/],
    ];
    for (const [args, message] of cases) {
      const res = await cli(args);
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringMatching(message)]);
    }
  });
});
