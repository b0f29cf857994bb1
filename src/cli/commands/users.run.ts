/** The work of `emptychair users create`, loaded only when it runs (see main.ts). */
import type { Config } from '../../platform/config.js';
import { randomToken } from '../../platform/crypto.js';
import { systemClock } from '../../platform/clock.js';
import { addMember, createUser, createWorkspace, SYSTEM_ACTOR } from '../../modules/workspaces/index.js';
import { migrateToLatest } from '../../store/index.js';
import { withStore } from '../runtime.js';
import type { UserFlags } from './users.js';

export async function runUsersCreate(flags: UserFlags, config: Config): Promise<void> {
  const password = flags.password ?? randomToken(12);
  await withStore(config, async (store) => {
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
}
