import type { Command } from 'commander';
// The zod-only model file, not the matching index: that loads the whole matcher.
import { DEFAULT_THRESHOLDS } from '../../modules/customers/matching/model.js';
import { action } from '../output.js';

export const FIELD_FLAGS = ['firstName', 'lastName', 'name', 'email', 'phone', 'birthDate', 'address', 'postcode', 'city', 'country'] as const;

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
    .option('--workers <n>', 'worker threads preparing records (default: one per core; 0 = none)')
    .option('--temp-dir <dir>', 'where the temporary files go (default: the system temporary directory); they are removed when the run ends')
    .option('--memory <MB>', 'memory for the work on one partition of the records (default 64); more means fewer, larger partitions')
    .option('--partitions <n>', 'the number of partitions of the records (default: from the file size and --memory); the result does not depend on it')
    .option('--train-sample <n>', 'train the model on a uniform sample of at most this many records (default 100000)')
    .option('--report <file>', 'write a JSON summary of the run (counts, seconds per phase, peak memory) to this file');
  for (const f of FIELD_FLAGS) cmd.option(`--${f.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} <column>`, `the column holding ${f}`);
  cmd.action(
    action(async (file: string, raw: Record<string, unknown>) => {
      // The run checks the flags: their schema names the file formats of the matcher it loads.
      const { runDedupe } = await import('./dedupe.run.js');
      await runDedupe(file, raw);
    }),
  );
}
