import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../platform/random.js';
import { dedupe } from './dedupe.js';
import { dedupeFile } from './dedupe-file.js';
import { prepare } from './prepare.js';
import { synthetic } from './synthetic.js';

const quote = (v: string | null | undefined) => (v === undefined || v === null ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

describe('dedupe of a file, one partition at a time', () => {
  const people = synthetic({ random: seededRandom(33), people: 2500 });
  let dir: string;
  let temp: string;
  let file: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'emptychair-dedupe-file-'));
    temp = join(dir, 'temp');
    mkdirSync(temp);
    file = join(dir, 'people.csv');
    const lines = ['rec_id,first_name,last_name,email,phone,dob,address,postcode,city,country'];
    for (const r of people) {
      const f = r.fields;
      lines.push([r.id, f.firstName, f.lastName, f.email, f.phone, f.birthDate, f.address, f.postcode, f.city, f.country].map(quote).join(','));
    }
    writeFileSync(file, lines.join('\n') + '\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (partitions: number, name: string) => {
    const output = join(dir, `${name}-clusters.csv`);
    const pairs = join(dir, `${name}-pairs.csv`);
    const result = await dedupeFile(file, { idColumn: 'rec_id', partitions, output, pairs, tempDir: temp, workers: 0 });
    return { result, clusters: readFileSync(output, 'utf8'), pairs: readFileSync(pairs, 'utf8') };
  };

  it('gives the same clusters and pairs in one partition as in many small ones, and as the in-memory engine', async () => {
    const one = await run(1, 'one');
    const many = await run(13, 'many');
    expect(one.result.partitions).toBe(1);
    expect(many.result.partitions).toBe(13);
    expect(many.clusters).toBe(one.clusters);
    expect(many.pairs).toBe(one.pairs);
    expect(many.result.comparisons).toBe(one.result.comparisons);
    expect(many.result.refused).toEqual(one.result.refused);

    // The whole file is the training sample here: the same model, and the same clusters, as dedupe() on prepared records.
    const inMemory = dedupe(
      people.map((r) => prepare(r.fields)),
      { random: seededRandom(1) },
    );
    expect(one.result.model).toEqual(inMemory.model);
    expect(one.result.comparisons).toBe(inMemory.comparisons);
    const rows = one.clusters.trim().split('\n').slice(1);
    expect(rows).toHaveLength(people.length);
    const byId = new Map(people.map((r, i) => [r.id, i]));
    for (const row of rows) {
      const [id, clusterId] = row.split(',');
      expect(inMemory.clusterOf[byId.get(id as string) as number]).toBe(byId.get(clusterId as string));
    }
    // Merged records exist, so the comparison above means something.
    expect(one.result.clusters).toBeLessThan(people.length * 0.8);
    // Temporary files are gone.
    expect(readdirSync(temp)).toEqual([]);
  });

  it('trains on a bounded sample of a larger file, and still finds the same people', async () => {
    const output = join(dir, 'sampled.csv');
    const full = await dedupeFile(file, { idColumn: 'rec_id', workers: 0, partitions: 4 });
    const sampled = await dedupeFile(file, { idColumn: 'rec_id', workers: 0, partitions: 4, trainSample: 2000, output });
    expect(sampled.trainedOn).toBe(2000);
    expect(full.trainedOn).toBe(people.length);
    expect(Math.abs(sampled.clusters - full.clusters)).toBeLessThan(people.length * 0.01);
  });
});
