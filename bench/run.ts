/**
 * The benchmark runner: `npm run bench` runs them all, `npm run bench -- NAME …` some.
 * Each benchmark prints its figures beside a ceiling measured in the same run; the
 * ratio is the claim, the absolute figures depend on the machine.
 */
import { cpus } from 'node:os';
import type { Benchmark, Result } from './lib/types.js';
import { answersBench } from './answers.js';
import { clvFit } from './clv.js';
import { customer360 } from './customer-360.js';
import { dedupeBench } from './dedupe.js';
import { followupClocks } from './followup-clocks.js';
import { followupLatency } from './followup-latency.js';
import { importContacts } from './import-contacts.js';
import { insightHome } from './insight-home.js';
import { ingestBatch } from './ingest-batch.js';
import { storeWrite } from './store-write.js';
import { textAnalyze } from './text-analyze.js';

const benchmarks: Benchmark[] = [storeWrite, ingestBatch, importContacts, dedupeBench, customer360, textAnalyze, answersBench, clvFit, followupLatency, followupClocks, insightHome];

function format(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
}

export function table(results: Result[]): string {
  const header = ['target', 'case', 'figure', 'ceiling', 'ratio'];
  const rows = results.map((r) => [
    r.target,
    r.name,
    `${format(r.value)} ${r.unit}`,
    r.ceiling ? `${format(r.ceiling.value)} (${r.ceiling.name})` : '(ceiling)',
    r.ceiling ? `${(r.ratio ?? r.value / r.ceiling.value).toFixed(2)}×` : '1.00×',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const wanted = argv.filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !benchmarks.some((b) => b.name === w));
  if (unknown.length > 0) {
    console.error(`unknown benchmark: ${unknown.join(', ')}; available: ${benchmarks.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const selected = wanted.length > 0 ? benchmarks.filter((b) => wanted.includes(b.name)) : benchmarks;
  console.log(`node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`);
  for (const bench of selected) {
    console.log(`\n## ${bench.name}: ${bench.description}\n`);
    const started = Date.now();
    const results = await bench.run();
    console.log(table(results));
    console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
