import type { Command } from 'commander';
import { z } from 'zod';
import { randomToken } from '../../platform/crypto.js';
import { systemClock } from '../../platform/clock.js';
import {
  addMember,
  createUser,
  createWorkspace,
  SYSTEM_ACTOR,
  ZEmail,
  ZPassword,
  ZRole,
} from '../../modules/workspaces/index.js';
import { migrateToLatest } from '../../store/index.js';
import { action } from '../output.js';
import { addDatabaseOption, configFrom, withStore, type ServerFlags } from '../options.js';
import { parseFlags } from '../parse.js';

const ZUserFlags = z
  .object({
    email: ZEmail,
    name: z.string().trim().min(1).max(120),
    password: ZPassword.optional(),
    workspace: z.string().min(1).optional(),
    newWorkspace: z.string().trim().min(1).max(120).optional(),
    role: ZRole.default('owner'),
  })
  .refine((f) => !(f.workspace && f.newWorkspace), { message: 'give --workspace or --new-workspace, not both', path: ['workspace'] });

export function usersCommand(program: Command): void {
  const users = program.command('users').description('manage people who log in');
  addDatabaseOption(
    users
      .command('create')
      .description('create a user, optionally adding them to a workspace or creating one for them')
      .requiredOption('--email <email>', 'e-mail address (the login)')
      .requiredOption('--name <name>', 'display name')
      .option('--password <password>', 'at least 12 characters (env EMPTYCHAIR_PASSWORD); generated and printed when absent')
      .option('--workspace <id>', 'add the user to this workspace')
      .option('--new-workspace <name>', 'create a workspace with this name, owned by the user')
      .option('--role <role>', 'role in --workspace: owner, admin, manager, agent or viewer', 'owner'),
  ).action(
    action(async (raw: ServerFlags & Record<string, string | undefined>) => {
      const flags = parseFlags(ZUserFlags, { ...raw, password: raw.password ?? process.env.EMPTYCHAIR_PASSWORD });
      const password = flags.password ?? randomToken(12);
      await withStore(configFrom(raw), async (store) => {
        await migrateToLatest(store);
        const deps = { store, clock: systemClock };
        const user = await createUser(deps, { email: flags.email, name: flags.name, password });
        console.log(`created user ${user.email} (${user.id})`);
        if (!flags.password) console.log(`password: ${password}   (shown once)`);
        if (flags.newWorkspace) {
          const ws = await createWorkspace(deps, { name: flags.newWorkspace, ownerId: user.id, actor: SYSTEM_ACTOR });
          console.log(`created workspace ${ws.name} (${ws.id}); ${user.email} is its owner`);
        } else if (flags.workspace) {
          await addMember(
            deps,
            { workspaceId: flags.workspace, callerRole: 'owner', actor: SYSTEM_ACTOR },
            { email: flags.email, name: flags.name, role: flags.role },
          );
          console.log(`added ${user.email} to ${flags.workspace} as ${flags.role}`);
        }
      });
    }),
  );
}
