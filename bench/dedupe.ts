/**
 * dedupe: `emptychair dedupe` on a million synthetic people's records with a known truth
 * (typos, nicknames, swapped names, missing fields, moves, new e-mails and phones,
 * households sharing an e-mail or phone), run as a person runs it: the built CLI in a
 * child process of its own, so that its peak memory is its own and not the generator's.
 * Reports records/s of the whole run (read and prepare on worker threads, train the model
 * by EM, block, score, cluster, write the clusters) against a ceiling measured in the same
 * run: a bare loop that reads the same file with the same CSV reader and does the same
 * number of plain string-equality comparisons between records. Also comparisons per
 * record, pairwise precision, recall and F1 against the truth, and the peak RSS of the
 * dedupe process against the size of its input file.
 *
 * BENCH_DEDUPE_RECORDS=1007373,3000000 runs it at each size, about (default 1 007 373 records).
 */
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse';
import { pairwiseQuality, syntheticRecords } from '../src/modules/customers/matching/index.js';
import { seededRandom } from '../src/platform/random.js';
import type { Benchmark, Result } from './lib/types.js';

/** The default size: 637 000 synthetic people make 1 007 373 records; other sizes scale the people by the same ratio. */
const DEFAULT_RECORDS = 1_007_373;
const PEOPLE_PER_RECORD = 637_000 / DEFAULT_RECORDS;

const quote = (v: string | null | undefined) => (v === undefined || v === null ? '' : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function writePeople(path: string, people: number): Promise<Int32Array> {
  const out = createWriteStream(path);
  out.write('rec_id,first_name,last_name,email,phone,dob,address,postcode,city,country\n');
  const truth: number[] = [];
  for (const r of syntheticRecords({ random: seededRandom(2026), people })) {
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

/** What `emptychair dedupe --report` writes. */
interface Report {
  records: number;
  clusters: number;
  comparisons: number;
  merges: number;
  reviews: number;
  refused: { conflict: number; size: number };
  trainedOn: number;
  partitions: number;
  tempBytes: number;
  seconds: Record<'total' | 'read' | 'train' | 'block' | 'compare' | 'cluster' | 'write', number>;
  peakRssBytes: number;
  cpuSeconds: number;
}

/** The cluster of each record, in file order, from the clusters file. */
async function clustersOf(path: string, n: number): Promise<Int32Array> {
  const out = new Int32Array(n);
  const index = new Map<string, number>();
  let i = -1;
  for await (const line of createInterface({ input: createReadStream(path) })) {
    if (i >= 0) {
      const c = line.slice(line.indexOf(',') + 1, line.lastIndexOf(','));
      let k = index.get(c);
      if (k === undefined) index.set(c, (k = index.size));
      out[i] = k;
    }
    i++;
  }
  if (i !== n) throw new Error(`clusters file has ${i} records, the input ${n}`);
  return out;
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const run = promisify(execFile);
const cliEntry = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

async function measure(records: number): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'emptychair-bench-dedupe-'));
  try {
    const file = join(dir, 'people.csv');
    const truth = await writePeople(file, Math.round(records * PEOPLE_PER_RECORD));
    const clusters = join(dir, 'clusters.csv');
    const reportPath = join(dir, 'report.json');
    const started = performance.now();
    await run(process.execPath, [cliEntry, 'dedupe', file, '--id', 'rec_id', '--output', clusters, '--report', reportPath, '--temp-dir', dir], {
      env: { ...process.env, EMPTYCHAIR_DATABASE_URL: '' },
      maxBuffer: 1 << 24,
    });
    const wall = (performance.now() - started) / 1000;
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
    const n = report.records;
    const quality = pairwiseQuality(truth, await clustersOf(clusters, n));
    const s = report.seconds;
    const target = `${(n / 1e6).toFixed(1)}M synthetic records`;
    console.log(
      `${target}: ${n.toLocaleString('en')} records in ${s.total.toFixed(1)} s (read+prepare ${s.read.toFixed(1)}, train ${s.train.toFixed(1)}, block ${s.block.toFixed(1)}, ` +
        `compare ${s.compare.toFixed(1)}, cluster ${s.cluster.toFixed(1)}, write ${s.write.toFixed(1)}; ${wall.toFixed(1)} s with the process start); ` +
        `CPU ${report.cpuSeconds.toFixed(1)} s on the main thread and workers`,
    );
    console.log(
      `${report.comparisons.toLocaleString('en')} comparisons, ${report.clusters.toLocaleString('en')} clusters, ${report.merges.toLocaleString('en')} merge pairs, ` +
        `${report.reviews.toLocaleString('en')} review pairs; refused merges: ${report.refused.conflict} conflict, ${report.refused.size} size; ` +
        `true pairs ${quality.truePairs.toLocaleString('en')}, predicted ${quality.predictedPairs.toLocaleString('en')}, correct ${quality.correctPairs.toLocaleString('en')}`,
    );
    console.log(
      `peak RSS of the dedupe process ${Math.round(mb(report.peakRssBytes))} MB; model trained on ${report.trainedOn.toLocaleString('en')} records; ` +
        `${report.partitions} partitions, ${Math.round(mb(report.tempBytes))} MB of temporary files; input ${Math.round(mb(statSync(file).size))} MB`,
    );
    const ceiling = await bare(file, report.comparisons);
    const rate = n / s.total;
    const bareRate = n / ceiling.seconds;
    return [
      { target, name: 'bare: CSV read + same number of string-equality compares', value: bareRate, unit: 'records/s' },
      {
        target,
        name: 'dedupe (CLI process): read+prepare (workers), EM training, blocking, scoring, clustering, write clusters',
        value: rate,
        unit: 'records/s',
        ceiling: { name: 'bare read+compare', value: bareRate },
        ratio: rate / bareRate,
      },
      { target, name: 'comparisons per record', value: report.comparisons / n, unit: 'pairs', ceiling: { name: 'all pairs', value: (n - 1) / 2 } },
      { target, name: 'pairwise F1 against the truth', value: quality.f1, unit: '', ceiling: { name: 'goal', value: 0.95 } },
      { target, name: 'pairwise precision', value: quality.precision, unit: '', ceiling: { name: 'goal', value: 0.98 } },
      { target, name: 'pairwise recall', value: quality.recall, unit: '', ceiling: { name: 'perfect', value: 1 } },
      { target, name: 'peak RSS of the dedupe process', value: mb(report.peakRssBytes), unit: 'MB', ceiling: { name: 'input file', value: mb(statSync(file).size) } },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const dedupeBench: Benchmark = {
  name: 'dedupe',
  description:
    'batch dedupe of ~1M synthetic person records by the CLI in its own process (records/s against a bare read-and-compare loop; precision, recall, F1 against the truth; peak RSS)',
  async run() {
    const sizes = (process.env.BENCH_DEDUPE_RECORDS ?? String(DEFAULT_RECORDS)).split(',').map((x) => Number(x.trim()));
    if (sizes.some((x) => !Number.isInteger(x) || x < 2000)) throw new Error('BENCH_DEDUPE_RECORDS: record counts (at least 2000), comma-separated');
    const results: Result[] = [];
    for (const records of sizes) results.push(...(await measure(records)));
    return results;
  },
};
