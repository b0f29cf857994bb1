import { resolvePending, trainWorkspaceModel } from '../../modules/customers/index.js';
import { systemClock } from '../../platform/clock.js';
import { seedDemo } from '../../demo/index.js';
import type { Store } from '../../store/index.js';
import { progressBar } from '../progress.js';

const DAY_MS = 86_400_000;

/** Write (or refresh) the demo company with a progress bar; the history ends today. */
export async function seedDemoWithProgress(
  store: Store,
  opts: { workspaceId: string; customers: number; seed: number },
): Promise<{ total: number; counts: Record<string, number> }> {
  const asOf = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const bar = progressBar('demo data', opts.customers, 'customers');
  try {
    const result = await seedDemo(store, { ...opts, asOf, onProgress: (done) => bar.update(done) });
    bar.update(opts.customers);
    bar.stop();
    const kinds = Object.entries(result.counts)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n.toLocaleString('en')} ${kind}`)
      .join(', ');
    console.log(`demo workspace ready: ${result.total.toLocaleString('en')} records (${kinds})`);
    console.log(`insight rollups: ${result.rollups.responses.toLocaleString('en')} answers and ${result.rollups.records.toLocaleString('en')} orders and subscriptions in ${result.rollups.seconds.toFixed(1)} s`);
    return result;
  } catch (err) {
    bar.stop();
    throw err;
  }
}

/** Resolve the demo's records into customers now, so the dashboard opens on finished profiles. */
export async function resolveWithProgress(store: Store, workspaceId: string, records: number): Promise<void> {
  const bar = progressBar('identities', records, 'records');
  const started = Date.now();
  try {
    // Learn the matching model from the demo's contact records first, then resolve with it.
    await trainWorkspaceModel(store.db, workspaceId, systemClock.now());
    const deps = { store, clock: systemClock };
    const { observations } = await resolvePending(deps, workspaceId, { sliceMs: 1000, batch: 20_000, onProgress: (n) => bar.update(Math.min(n, records)) });
    bar.update(records);
    bar.stop();
    const customers = await store.db
      .selectFrom('profiles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    console.log(`identities resolved: ${observations.toLocaleString('en')} records → ${Number(customers.n).toLocaleString('en')} customers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    bar.stop();
    throw err;
  }
}
