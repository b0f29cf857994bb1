/**
 * Importers that know who served the customer an answer is about (the demo's after-support
 * CSAT, another tool's history) say so here; the answers' counts move to that team and agent
 * in the same transaction.
 */
import type { Clock } from '../../../platform/clock.js';
import type { Store } from '../../../store/index.js';
import { storeAttributions, type ExplicitAttribution } from './attribution.js';
import { lockRollup } from './lock.js';
import { applyResponses } from './satisfaction.rollup.js';

const CHUNK = 1000;

export async function recordAttributions(deps: { store: Store; clock: Clock }, workspaceId: string, rows: readonly ExplicitAttribution[], origin = 'import'): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await deps.store.db.transaction().execute(async (trx) => {
      await lockRollup(trx, deps.store.dialect.name, workspaceId, 'satisfaction');
      await storeAttributions(trx, workspaceId, part, origin, deps.clock.now());
      await applyResponses(
        trx,
        workspaceId,
        part.map((r) => r.responseId),
        deps.clock.now(),
      );
    });
  }
}
