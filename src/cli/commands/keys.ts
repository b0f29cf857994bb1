import type { Command } from 'commander';
import { z } from 'zod';
import { systemClock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { createKey, SYSTEM_ACTOR, ZRole } from '../../modules/workspaces/index.js';
import { migrateToLatest } from '../../store/index.js';
import { action } from '../output.js';
import { addDatabaseOption, configFrom, withStore, type ServerFlags } from '../options.js';
import { parseFlags } from '../parse.js';

const ZKeyFlags = z.object({
  workspace: z.string().min(1),
  kind: z.enum(['write', 'secret']),
  name: z.string().trim().min(1).max(120),
  role: ZRole.optional(),
});

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
      await withStore(configFrom(raw), async (store) => {
        await migrateToLatest(store);
        const exists = await store.db.selectFrom('workspaces').select('id').where('id', '=', flags.workspace).executeTakeFirst();
        if (!exists) throw new AppError('WORKSPACE_NOT_FOUND', `no workspace ${flags.workspace}`);
        const { key, token } = await createKey(
          { store, clock: systemClock },
          { workspaceId: flags.workspace, callerRole: 'owner', actor: SYSTEM_ACTOR },
          { kind: flags.kind, name: flags.name, role: flags.role },
        );
        console.log(`created ${key.kind} key "${key.name}" (${key.id}) with role ${key.role}`);
        console.log(token);
        console.error('store it now: it is not shown again');
      });
    }),
  );
}
