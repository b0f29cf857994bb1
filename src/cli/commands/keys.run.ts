/** The work of `emptychair keys create`, loaded only when it runs (see main.ts). */
import type { Config } from '../../platform/config.js';
import { systemClock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { createKey, SYSTEM_ACTOR } from '../../modules/workspaces/index.js';
import { migrateToLatest } from '../../store/index.js';
import { withStore } from '../runtime.js';
import type { KeyFlags } from './keys.js';

export async function runKeysCreate(flags: KeyFlags, config: Config): Promise<void> {
  await withStore(config, async (store) => {
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
}
