import type { Command } from 'commander';
import { action } from '../output.js';
import { addDatabaseOption, configFrom, type ServerFlags } from '../options.js';

export function migrateCommand(program: Command): void {
  addDatabaseOption(
    program.command('migrate').description('bring the database schema up to date (safe to run any number of times)'),
  ).action(
    action(async (flags: ServerFlags) => {
      const config = configFrom(flags);
      const { runMigrate } = await import('./migrate.run.js');
      await runMigrate(config);
    }),
  );
}
