import { Option, type Command } from 'commander';
import { loadConfig, type Config } from '../platform/config.js';

export interface ServerFlags {
  port?: string;
  host?: string;
  databaseUrl?: string;
  logLevel?: string;
}

export function addDatabaseOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('-d, --database-url <url>', 'SQLite file path or postgres:// URL (env EMPTYCHAIR_DATABASE_URL)'),
  );
}

export function addServerOptions(cmd: Command): Command {
  return addDatabaseOption(cmd)
    .addOption(new Option('-p, --port <port>', 'port to listen on (env EMPTYCHAIR_PORT; default 4700)'))
    .addOption(new Option('-H, --host <host>', 'interface to bind (env EMPTYCHAIR_HOST; default 127.0.0.1)'))
    .addOption(
      new Option('--log-level <level>', 'log level (env EMPTYCHAIR_LOG_LEVEL; default info)').choices([
        'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent',
      ]),
    );
}

export function configFrom(flags: ServerFlags): Config {
  return loadConfig({ port: flags.port, host: flags.host, databaseUrl: flags.databaseUrl, logLevel: flags.logLevel });
}
