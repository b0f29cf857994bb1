/**
 * dedupe: `emptychair dedupe`'s engine on a million synthetic people's records with a
 * known truth (typos, nicknames, swapped names, missing fields, moves, new e-mails and
 * phones, households sharing an e-mail or phone). Reports records/s of the whole run
 * (read and prepare on worker threads, train the model by EM, block, score, cluster,
 * write the clusters) against a ceiling measured in the same run: a bare loop that reads
 * the same file with the same CSV reader and does the same number of plain string-equality
 * comparisons between records. Also comparisons per record, pairwise precision, recall and
 * F1 against the truth, and peak RSS.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { dedupe, pairwiseQuality, syntheticRecords } from '../src/modules/customers/matching/index.js';
import { readPeople, writeClusters } from '../src/modules/customers/matching/dedupe-file.js';
import { seededRandom } from '../src/platform/random.js';
import type { Benchmark, Result } from './lib/types.js';

/** People to generate: about 1.58 records each, so a little over a million records. */
const PEOPLE = 637_000;
const TARGET = '1M synthetic people';

const quote = (v: string | null | undefined) => (v === undefined || v === null ? '' : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function writePeople(path: string): Promise<Int32Array> {
  const out = createWriteStream(path);
  out.write('rec_id,first_name,last_name,email,phone,dob,address,postcode,city,country\n');
  const truth: number[] = [];
  for (const r of syntheticRecords({ random: seededRandom(2026), people: PEOPLE })) {
    const f = r.fields;
    truth.push(r.person);
    const line = [r.id, f.firstName, f.lastName, f.email, f.phone, f.birthDate, f.address, f.postcode, f.city, f.country].map(quote).join(',') + '\n';
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return Int32Array.from(truth);
}

/** The ceiling: read the same file with the same reader, keep one column, and do `comparisons` string-equality tests. */
async function bare(path: string, comparisons: number): Promise<{ seconds: number; equal: number }> {
  const start = performance.now();
  const emails: string[] = [];
  const parser = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true }));
  let header = true;
  for await (const r of parser as AsyncIterable<string[]>) {
    if (header) {
      header = false;
      continue;
    }
    emails.push(r[3] ?? '');
  }
  const n = emails.length;
  let equal = 0;
  let i = 0;
  let j = 1;
  for (let c = 0; c < comparisons; c++) {
    if (emails[i] === emails[j]) equal++;
    j += 1 + (c % 7);
    if (j >= n) {
      i = (i + 1) % n;
      j = (i + 1) % n;
    }
  }
  return { seconds: (performance.now() - start) / 1000, equal };
}

const mb = (kb: number) => `${Math.round(kb / 1024).toLocaleString('en')} MB`;

export const dedupeBench: Benchmark = {
  name: 'dedupe',
  description: 'batch dedupe of ~1M synthetic person records (records/s against a bare read-and-compare loop; precision, recall, F1 against the truth; peak RSS)',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'emptychair-bench-dedupe-'));
    try {
      const file = join(dir, 'people.csv');
      const truth = await writePeople(file);
      global.gc?.();
      const rssBefore = process.resourceUsage().maxRSS;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const people = await readPeople(file, { idColumn: 'rec_id' });
      const read = (performance.now() - started) / 1000;
      const result = dedupe(people.prepared, { random: seededRandom(1) });
      await writeClusters(join(dir, 'clusters.csv'), people, result);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const peak = process.resourceUsage().maxRSS;
      const n = people.prepared.length;
      const quality = pairwiseQuality(truth, result.clusterOf);
      const s = result.seconds;
      console.log(
        `${n.toLocaleString('en')} records in ${seconds.toFixed(1)} s (read+prepare ${read.toFixed(1)}, train ${s.train.toFixed(1)}, block ${s.block.toFixed(1)}, ` +
          `compare ${s.compare.toFixed(1)}, cluster ${s.cluster.toFixed(1)}, write ${(seconds - read - s.train - s.block - s.compare - s.cluster).toFixed(1)}); ` +
          `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s on the main thread and workers`,
      );
      console.log(
        `${result.comparisons.toLocaleString('en')} comparisons, ${result.clusters.toLocaleString('en')} clusters, ${result.merges.toLocaleString('en')} merge pairs, ` +
          `${result.reviews.toLocaleString('en')} review pairs; refused merges: ${result.refused.conflict} conflict, ${result.refused.size} size; ` +
          `true pairs ${quality.truePairs.toLocaleString('en')}, predicted ${quality.predictedPairs.toLocaleString('en')}, correct ${quality.correctPairs.toLocaleString('en')}`,
      );
      console.log(`peak RSS ${mb(peak)} (${mb(rssBefore)} before the run)`);
      const ceiling = await bare(file, result.comparisons);
      const rate = n / seconds;
      const bareRate = n / ceiling.seconds;
      const BARE = 'bare: CSV read + same number of string-equality compares';
      const results: Result[] = [
        { target: TARGET, name: BARE, value: bareRate, unit: 'records/s' },
        {
          target: TARGET,
          name: 'dedupe: read+prepare (workers), EM training, blocking, scoring, clustering, write clusters',
          value: rate,
          unit: 'records/s',
          ceiling: { name: 'bare read+compare', value: bareRate },
          ratio: rate / bareRate,
        },
        { target: TARGET, name: 'comparisons per record', value: result.comparisons / n, unit: 'pairs', ceiling: { name: 'all pairs', value: (n - 1) / 2 } },
        { target: TARGET, name: 'pairwise F1 against the truth', value: quality.f1, unit: '', ceiling: { name: 'goal', value: 0.95 } },
        { target: TARGET, name: 'pairwise precision', value: quality.precision, unit: '', ceiling: { name: 'goal', value: 0.98 } },
        { target: TARGET, name: 'pairwise recall', value: quality.recall, unit: '', ceiling: { name: 'perfect', value: 1 } },
      ];
      return results;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
