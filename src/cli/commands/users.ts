import type { Command } from 'commander';
import { z } from 'zod';
// The zod-only schema file, not the module's index: that would load the store at every start.
import { ZEmail, ZPassword, ZRole } from '../../modules/workspaces/workspace.schema.js';
import { action } from '../output.js';
import { addDatabaseOption, configFrom, type ServerFlags } from '../options.js';
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
export type UserFlags = z.infer<typeof ZUserFlags>;

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
      const config = configFrom(raw);
      const { runUsersCreate } = await import('./users.run.js');
      await runUsersCreate(flags, config);
    }),
  );
}
