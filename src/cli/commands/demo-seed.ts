import { seedDemo } from '../../demo/index.js';
import type { Store } from '../../store/index.js';
import { progressBar } from '../output.js';

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
    return result;
  } catch (err) {
    bar.stop();
    throw err;
  }
}
