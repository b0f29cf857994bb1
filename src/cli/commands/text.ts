import type { Command } from 'commander';
import { z } from 'zod';
import { action } from '../output.js';
import { parseFlags } from '../parse.js';

const ZAnalyzeFlags = z.object({
  column: z.string().min(1).optional(),
  format: z.enum(['lines', 'csv']).optional(),
  delimiter: z.string().min(1).max(3).optional(),
  output: z.string().min(1).optional(),
  themes: z.string().min(1).optional(),
});
export type AnalyzeFlags = z.infer<typeof ZAnalyzeFlags>;

export function textCommand(program: Command): void {
  const text = program.command('text').description('text analytics on customer comments: sentiment, language and themes, in-process');
  text
    .command('analyze')
    .usage('<file> [--column NAME] [--output FILE]')
    .argument('<file>', 'one comment per line, or a CSV file with --column')
    .description('write one JSON line per comment: {text, sentiment: {score, label}, language, themes, phrases}; the score is in [−1, 1]')
    .option('--column <name>', 'the CSV column holding the comments (implies --format csv)')
    .option('--format <format>', 'lines or csv (default: csv for .csv/.tsv files or with --column, else lines)')
    .option('--delimiter <char>', 'CSV delimiter (default ","; "tab" for TSV)')
    .option('--output <file>', 'write the JSON lines here instead of stdout')
    .option('--themes <file>', 'JSON theme dictionary {"theme": ["cue", …]} replacing the default one')
    .action(
      action(async (file: string, raw: Record<string, unknown>) => {
        const flags = parseFlags(ZAnalyzeFlags, raw);
        const { runTextAnalyze } = await import('./text.run.js');
        await runTextAnalyze(file, flags);
      }),
    );
}
