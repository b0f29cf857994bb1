import type { Command } from 'commander';
import { z } from 'zod';
// The zod-only schema file, not the module's index: that would load the store at every start.
import { ZRole } from '../../modules/workspaces/workspace.schema.js';
import { action } from '../output.js';
import { addDatabaseOption, configFrom, type ServerFlags } from '../options.js';
import { parseFlags } from '../parse.js';

const ZKeyFlags = z.object({
  workspace: z.string().min(1),
  kind: z.enum(['write', 'secret']),
  name: z.string().trim().min(1).max(120),
  role: ZRole.optional(),
});
export type KeyFlags = z.infer<typeof ZKeyFlags>;

export function keysCommand(program: Command): void {
  const keys = program.command('keys').description('manage API keys');
  addDatabaseOption(
    keys
      .command('create')
      .description('create a write key (for sending events) or a secret key (for the REST API); printed once')
      .requiredOption('--workspace <id>', 'workspace the key belongs to')
      .requiredOption('--kind <kind>', 'write or secret')
      .requiredOption('--name <name>', 'what the key is for, e.g. "website" or "billing sync"')
      .option('--role <role>', 'role of a secret key (default admin)'),
  ).action(
    action(async (raw: ServerFlags & Record<string, string | undefined>) => {
      const flags = parseFlags(ZKeyFlags, raw);
      const config = configFrom(raw);
      const { runKeysCreate } = await import('./keys.run.js');
      await runKeysCreate(flags, config);
    }),
  );
}
