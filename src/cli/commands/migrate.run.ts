/** The work of `emptychair migrate`, loaded only when it runs (see main.ts). */
import type { Config } from '../../platform/config.js';
import { migrateToLatest } from '../../store/index.js';
import { withStore } from '../runtime.js';

export async function runMigrate(config: Config): Promise<void> {
  await withStore(config, async (store) => {
    const { applied } = await migrateToLatest(store);
    console.log(applied.length ? `applied ${applied.join(', ')} on ${store.location}` : `up to date: ${store.location}`);
  });
}
