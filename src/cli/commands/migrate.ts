import type { Command } from 'commander';
import { migrateToLatest } from '../../store/index.js';
import { action } from '../output.js';
import { addDatabaseOption, configFrom, withStore, type ServerFlags } from '../options.js';

export function migrateCommand(program: Command): void {
  addDatabaseOption(
    program.command('migrate').description('bring the database schema up to date (safe to run any number of times)'),
  ).action(
    action(async (flags: ServerFlags) => {
      const config = configFrom(flags);
      await withStore(config, async (store) => {
        const { applied } = await migrateToLatest(store);
        console.log(applied.length ? `applied ${applied.join(', ')} on ${store.location}` : `up to date: ${store.location}`);
      });
    }),
  );
}
