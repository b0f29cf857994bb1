/** The work of `emptychair demo`, loaded only when it runs (see main.ts). */
import type { Config } from '../../platform/config.js';
import { systemClock } from '../../platform/clock.js';
import { appendAudit, createUser, createWorkspace, SYSTEM_ACTOR, type WorkspaceDeps } from '../../modules/workspaces/index.js';
import { startServer, stopOnSignals } from '../../server/run.js';
import { migrateToLatest, openStore } from '../../store/index.js';
import { loggerFor } from '../runtime.js';
import type { DemoFlags } from './demo.js';
import { resolveWithProgress, seedDemoWithProgress } from './demo-seed.js';

export const DEMO_LOGIN = { email: 'demo@emptychair.dev', password: 'empty-chair-demo', name: 'Demo Owner' };
export const DEMO_WORKSPACE = 'Northwind Coffee (demo)';

/** The demo login and workspace, created on first run and found again afterwards. */
async function ensureDemoWorkspace(deps: WorkspaceDeps): Promise<string> {
  const db = deps.store.db;
  let user = await db.selectFrom('users').select('id').where('email', '=', DEMO_LOGIN.email).executeTakeFirst();
  user ??= await createUser(deps, DEMO_LOGIN);
  const existing = await db
    .selectFrom('workspaces as w')
    .innerJoin('memberships as m', 'm.workspace_id', 'w.id')
    .select('w.id')
    .where('m.user_id', '=', user.id)
    .where('w.name', '=', DEMO_WORKSPACE)
    .executeTakeFirst();
  if (existing) return existing.id;
  return (await createWorkspace(deps, { name: DEMO_WORKSPACE, ownerId: user.id, actor: SYSTEM_ACTOR })).id;
}

export async function runDemo(flags: DemoFlags, config: Config): Promise<void> {
  const store = openStore(config.databaseUrl);
  try {
    await migrateToLatest(store);
    const deps = { store, clock: systemClock };
    const workspaceId = await ensureDemoWorkspace(deps);
    const result = await seedDemoWithProgress(store, { workspaceId, customers: flags.customers, seed: flags.seed });
    await resolveWithProgress(store, workspaceId, result.total);
    await appendAudit(store.db, {
      workspaceId,
      actor: SYSTEM_ACTOR,
      action: 'demo.seed',
      target: { type: 'workspace', id: workspaceId },
      details: { customers: flags.customers, seed: flags.seed, records: result.total },
      at: Date.now(),
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  if (flags.seedOnly) {
    await store.close();
    return;
  }
  const logger = loggerFor(config);
  const server = await startServer(config, logger, systemClock, store);
  stopOnSignals(server, logger);
  console.log(`\nEmpty Chair is running at ${server.url}`);
  console.log(`Log in as ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}\n`);
}
