import { Command } from 'commander';
import { VERSION } from '../server/version.js';
import { clvCommand } from './commands/clv.js';
import { dedupeCommand } from './commands/dedupe.js';
import { demoCommand } from './commands/demo.js';
import { importCommand } from './commands/import.js';
import { insightCommand } from './commands/insight.js';
import { keysCommand } from './commands/keys.js';
import { migrateCommand } from './commands/migrate.js';
import { serveCommand } from './commands/serve.js';
import { textCommand } from './commands/text.js';
import { usersCommand } from './commands/users.js';
import { fail } from './output.js';

/*
 * Every command registers its name, options and help from a light module (commander, zod,
 * small helpers) and loads its work, from a sibling `<command>.run.ts`, with import() inside
 * its action once the flags are checked (import and dedupe check theirs in the run: their schemas
 * live beside the heavy code). Loading it all up front (fastify, the database drivers, every
 * module) cost about 1.2 s on each start, even for --help or a mistyped flag.
 */
const program = new Command()
  .name('emptychair')
  .description('Empty Chair: the customer-obsession platform. Every command takes --help.')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)');

serveCommand(program);
demoCommand(program);
migrateCommand(program);
usersCommand(program);
keysCommand(program);
importCommand(program);
dedupeCommand(program);
textCommand(program);
clvCommand(program);
insightCommand(program);

program.parseAsync(process.argv).catch(fail);
