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
