/** The work of `emptychair insight refresh`, loaded only when it runs (see main.ts). */
import { runRefresh, type RunState } from '../../modules/insight/index.js';
import type { Config } from '../../platform/config.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { systemClock } from '../../platform/clock.js';
import { migrateToLatest } from '../../store/index.js';
import { withStore } from '../runtime.js';
import type { InsightFlags } from './insight.js';

export async function runInsightRefresh(flags: InsightFlags, config: Config): Promise<void> {
  await withStore(config, async (store) => {
    await migrateToLatest(store);
    const all = await store.db.selectFrom('workspaces').select(['id', 'name']).execute();
    const ws = flags.workspace ? all.find((w) => w.id === flags.workspace) : all.length === 1 ? all[0] : all.find((w) => w.name.includes('(demo)'));
    if (!ws) throw new AppError('WORKSPACE_NOT_FOUND', flags.workspace ? `no workspace ${flags.workspace}` : 'several workspaces: name one with --workspace');
    const run = await runRefresh({ store, clock: systemClock }, ws.id, newId('job'), { trigger: 'manual', requestedBy: 'cli' });
    const state = JSON.parse(run.state) as RunState;
    console.log(JSON.stringify({ workspace: ws.id, run: run.id, status: run.status, seconds: Number(run.duration_ms ?? 0) / 1000, counts: state.counts, phaseMs: state.phaseMs, model: state.metrics }, null, 2));
  });
}
