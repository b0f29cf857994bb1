import type { Command } from 'commander';
import { AppError } from '../../platform/errors.js';
import type { Mapping } from '../../modules/imports/index.js';
import { action } from '../output.js';
import { addDatabaseOption, type ServerFlags } from '../options.js';

/**
 * `--map-<field> <Header>` pairs and the two operands, from the tokens commander did not know.
 * Commander cannot declare an option per field, so these are read here.
 */
function splitArgs(tokens: string[]): { operands: string[]; mapped: Mapping } {
  const operands: string[] = [];
  const mapped: Mapping = {};
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as string;
    const m = /^--map-([A-Za-z][A-Za-z0-9-]*)(?:=(.*))?$/.exec(tok);
    if (m) {
      const field = (m[1] as string).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      const header = m[2] ?? tokens[++i];
      if (header === undefined || header === '') throw new AppError('VALIDATION_FAILED', `${tok}: needs a column name`);
      mapped[field] = header;
    } else if (tok.startsWith('-') && tok !== '-') {
      throw new AppError('VALIDATION_FAILED', `unknown option ${tok} (run emptychair import --help)`);
    } else {
      operands.push(tok);
    }
  }
  return { operands, mapped };
}

export function importCommand(program: Command): void {
  addDatabaseOption(
    program
      .command('import')
      .usage('<kind> <file> --source <name> --workspace <id> [options]')
      .description(
        'import a CSV or JSONL file of contacts, accounts, orders, subscriptions or tickets into a workspace; ' +
          're-importing the same record ids updates them. Map columns with --map-<field> <Header>, --column field=Header or --map file.json; ' +
          'unmapped fields are guessed from the headers.',
      )
      .requiredOption('--source <name>', 'the system the file came from: crm, billing, support …')
      .requiredOption('--workspace <id>', 'workspace to import into')
      .option('--format <format>', 'csv or jsonl (default: from the file extension)')
      .option('--map <file>', 'JSON file {"field": "Header", …}')
      .option('--column <field=Header...>', 'map a column to a field (repeatable)')
      .option('--date-format <format>', 'for non-ISO dates: DD/MM/YYYY, MM/DD/YYYY HH:mm, epoch-ms, epoch-s …')
      .option('--decimal <mark>', '"." or ","; then the other mark groups thousands (default: "." and no grouping)')
      .option('--currency <code>', 'ISO 4217 code for amounts without one (and for their symbol, e.g. $)')
      .option('--delimiter <char>', 'CSV delimiter (default ","; "tab" for TSV)')
      .option('--errors <file>', 'write the row errors to this CSV file (line,field,value,reason)')
      .allowUnknownOption()
      .allowExcessArguments(),
  ).action(
    action(async (raw: ServerFlags & Record<string, unknown>, cmd: Command) => {
      const { operands, mapped } = splitArgs(cmd.args);
      if (operands.length !== 2) throw new AppError('VALIDATION_FAILED', 'usage: emptychair import <kind> <file> --source <name> --workspace <id>');
      // The run checks the flags: their schemas live beside the importer, which loads the store.
      const { runImport } = await import('./import.run.js');
      await runImport(operands as [string, string], mapped, raw);
    }),
  );
}
