import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { seededRandom } from '../../platform/random.js';
import { DEFAULT_THRESHOLDS, dedupe, ZMatchModel, type DedupePhase, type MatchModel } from '../../modules/customers/matching/index.js';
import { DEDUPE_FORMATS, readPeople, writeClusters, writePairs } from '../../modules/customers/matching/dedupe-file.js';
import { ZFieldMapping, type FieldMapping } from '../../modules/customers/matching/field-mapping.js';
import { action, progressBar } from '../output.js';
import { parseFlags } from '../parse.js';

const probability = z.coerce.number().gt(0).lt(1);
const column = z.string().min(1).optional();

const ZDedupeFlags = z
  .object({
    id: column,
    output: z.string().min(1).optional(),
    pairs: z.string().min(1).optional(),
    map: z.string().min(1).optional(),
    format: z.enum(DEDUPE_FORMATS).optional(),
    delimiter: z.string().refine((d) => d === 'tab' || d.length === 1, 'one character, or "tab"').optional(),
    defaultCountry: z.string().regex(/^[A-Za-z]{2}$/, 'an ISO 3166 alpha-2 code such as GB or US').transform((c) => c.toUpperCase()).optional(),
    dateOrder: z.enum(['dmy', 'mdy']).optional(),
    model: z.string().min(1).optional(),
    saveModel: z.string().min(1).optional(),
    mergeThreshold: probability.optional(),
    reviewThreshold: probability.optional(),
    maxClusterSize: z.coerce.number().int().min(2).optional(),
    seed: z.coerce.number().int().optional(),
    workers: z.coerce.number().int().min(0).max(64).optional(),
    firstName: column,
    lastName: column,
    name: column,
    email: column,
    phone: column,
    birthDate: column,
    address: column,
    postcode: column,
    city: column,
    country: column,
  })
  .refine((f) => (f.reviewThreshold ?? DEFAULT_THRESHOLDS.review) <= (f.mergeThreshold ?? DEFAULT_THRESHOLDS.merge), {
    message: 'must not be above --merge-threshold',
    path: ['reviewThreshold'],
  });

const FIELD_FLAGS = ['firstName', 'lastName', 'name', 'email', 'phone', 'birthDate', 'address', 'postcode', 'city', 'country'] as const;

function readJson(path: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AppError('DEDUPE_INPUT_INVALID', `${flag}: cannot read ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('DEDUPE_INPUT_INVALID', `${flag}: ${path} is not JSON`);
  }
}

function readMapping(path: string): FieldMapping {
  const parsed = ZFieldMapping.safeParse(readJson(path, '--map'));
  if (!parsed.success) {
    throw new AppError('DEDUPE_INPUT_INVALID', `--map: ${path} must be {"field": "column", …} with fields ${FIELD_FLAGS.join(', ')}`);
  }
  return parsed.data as FieldMapping;
}

function readModel(path: string): MatchModel {
  const parsed = ZMatchModel.safeParse(readJson(path, '--model'));
  if (!parsed.success) throw new AppError('DEDUPE_INPUT_INVALID', `--model: ${path} is not a match model (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024).toLocaleString('en')} MB`;

/** `emptychair dedupe FILE`: cluster the records of a file that are the same person (issue 4). */
export function dedupeCommand(program: Command): void {
  const cmd = program
    .command('dedupe')
    .usage('<file> [--id column] [--output clusters.csv] [--pairs pairs.csv] [options]')
    .description(
      'find the records of a CSV or JSONL file that are the same person (probabilistic matching, trained on the file itself). ' +
        'Columns are recognised by their headers and values; name them with --map file.json or --first-name, --email … ' +
        'Writes a cluster id per record (--output) and the matched pairs with their evidence (--pairs).',
    )
    .argument('<file>', 'CSV (first line: headers) or JSONL file of people')
    .option('--id <column>', 'the column holding each record\'s id (default: the record number)')
    .option('-o, --output <file>', 'write <id>,cluster_id,cluster_size for every record to this CSV file')
    .option('--pairs <file>', 'write the pairs at or above the review threshold, with scores and evidence, to this CSV file')
    .option('--map <file>', 'JSON file {"firstName": "column", …}')
    .option('--format <format>', 'csv or jsonl (default: from the file extension)')
    .option('--delimiter <char>', 'CSV delimiter (default ","; "tab" for TSV)')
    .option('--default-country <code>', 'country for national phone numbers when a record has none (e.g. GB)')
    .option('--date-order <order>', 'dmy (default) or mdy, for dates like 03/04/1985')
    .option('--model <file>', 'use this match model (JSON) instead of training one on the file')
    .option('--save-model <file>', 'write the model used (trained or given) to this JSON file')
    .option('--merge-threshold <p>', `match probability at which records merge (default ${DEFAULT_THRESHOLDS.merge})`)
    .option('--review-threshold <p>', `match probability at which a pair is listed for review (default ${DEFAULT_THRESHOLDS.review})`)
    .option('--max-cluster-size <n>', 'largest cluster allowed (default 50)')
    .option('--seed <n>', 'seed for the sampling done by training (default 1)')
    .option('--workers <n>', 'worker threads preparing records (default: one per core; 0 = none)');
  for (const f of FIELD_FLAGS) cmd.option(`--${f.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} <column>`, `the column holding ${f}`);
  cmd.action(
    action(async (file: string, raw: Record<string, unknown>) => {
      const flags = parseFlags(ZDedupeFlags, raw);
      const mapping: FieldMapping = flags.map ? readMapping(flags.map) : {};
      for (const f of FIELD_FLAGS) if (flags[f] !== undefined) mapping[f] = flags[f];
      const model = flags.model ? readModel(flags.model) : undefined;
      const thresholds = { merge: flags.mergeThreshold ?? DEFAULT_THRESHOLDS.merge, review: flags.reviewThreshold ?? DEFAULT_THRESHOLDS.review };
      const started = Date.now();

      let bar: ReturnType<typeof progressBar> | undefined;
      const people = await readPeople(file, {
        format: flags.format,
        mapping,
        idColumn: flags.id,
        delimiter: flags.delimiter,
        defaultCountry: flags.defaultCountry,
        dateOrder: flags.dateOrder,
        workers: flags.workers,
        onMapping: (m, guessed) => {
          const described = Object.entries(m)
            .map(([f, h]) => `${f} ← ${JSON.stringify(h)}`)
            .join(', ');
          console.log(`mapping: ${described}${guessed.length ? ` (guessed: ${guessed.join(', ')})` : ''}`);
        },
        onProgress: (read, total) => {
          bar ??= progressBar('reading', total, 'bytes');
          bar.update(read);
        },
      }).finally(() => bar?.stop());
      const readSeconds = (Date.now() - started) / 1000;

      let phaseBar: ReturnType<typeof progressBar> | undefined;
      let phase: DedupePhase | undefined;
      const result = dedupe(people.prepared, {
        model,
        thresholds,
        random: seededRandom(flags.seed ?? 1),
        maxClusterSize: flags.maxClusterSize,
        keepPairs: flags.pairs !== undefined,
        onProgress: (p, done, total) => {
          if (p !== phase) {
            phaseBar?.stop();
            phase = p;
            phaseBar = p === 'compare' ? progressBar('comparing', total, 'keys') : undefined;
          }
          phaseBar?.update(done);
        },
      });
      phaseBar?.stop();
      const seconds = (Date.now() - started) / 1000;
      const n = people.prepared.length;

      const t = result.training;
      if (t) {
        console.log(
          `model: trained on ${fmt(n)} records (EM on ${fmt(t.pairs)} blocked pairs, ${t.iterations} iterations, ${t.converged ? 'converged' : 'not converged'}); ` +
            `prior ${result.model.prior.toExponential(2)}`,
        );
      } else console.log(model ? `model: ${flags.model}` : `model: default priors (${fmt(n)} records are too few to train on)`);
      console.log(
        `dedupe: ${fmt(n)} records, ${fmt(result.comparisons)} comparisons (${(result.comparisons / Math.max(n, 1)).toFixed(1)} per record), ` +
          `${fmt(result.clusters)} clusters (${fmt(n - result.clusters)} records merged), ${fmt(result.reviews)} pairs to review; ` +
          `${seconds.toFixed(1)} s (reading ${readSeconds.toFixed(1)} s), ${fmt(n / Math.max(seconds, 0.001))} records/s, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`,
      );
      if (result.refused.conflict + result.refused.size > 0) {
        console.log(`kept apart: ${fmt(result.refused.conflict)} merges across conflicting records, ${fmt(result.refused.size)} past the cluster size limit`);
      }
      if (flags.output) {
        await writeClusters(flags.output, people, result);
        console.log(`clusters written to ${flags.output}`);
      }
      if (flags.pairs) {
        const written = await writePairs(flags.pairs, people, result, result.model, thresholds);
        console.log(`${fmt(written)} pairs written to ${flags.pairs}`);
      }
      if (flags.saveModel) {
        writeFileSync(flags.saveModel, `${JSON.stringify(result.model, null, 2)}\n`);
        console.log(`model written to ${flags.saveModel}`);
      }
    }),
  );
}
