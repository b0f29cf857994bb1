/**
 * The identity graph is derived data: it can be dropped and built again from the event
 * store and the silo records (after deleting a demo, or to apply a new matching model).
 * Decisions people made (merges by hand, keep-apart) go with it.
 */
import { appendFacts, recordFacts, RECORDS_UPSERTED, type Store } from '../../store/index.js';

const GRAPH_TABLES = ['profiles', 'identities', 'profile_traits', 'profile_records', 'profile_terms', 'profile_blocks', 'profile_merges', 'keep_apart', 'merge_suggestions'] as const;
export async function rebuildIdentityGraph(store: Store, workspaceId: string, now: number): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    for (const table of GRAPH_TABLES) await trx.deleteFrom(table).where('workspace_id', '=', workspaceId).execute();
    await trx.deleteFrom('consumer_cursors').where('workspace_id', '=', workspaceId).where('consumer', 'like', 'customers.%').execute();
    await trx.deleteFrom('outbox').where('workspace_id', '=', workspaceId).where('topic', '=', RECORDS_UPSERTED).execute();
  });
  // Announce every record again, a page at a time.
  let after: { source: string; kind: string; external_id: string } | undefined;
  for (;;) {
    let q = store.db.selectFrom('source_records').select(['source', 'kind', 'external_id']).where('workspace_id', '=', workspaceId);
    if (after) {
      const a = after;
      q = q.where((eb) =>
        eb.or([
          eb('source', '>', a.source),
          eb.and([eb('source', '=', a.source), eb('kind', '>', a.kind)]),
          eb.and([eb('source', '=', a.source), eb('kind', '=', a.kind), eb('external_id', '>', a.external_id)]),
        ]),
      );
    }
    const rows = await q.orderBy('source').orderBy('kind').orderBy('external_id').limit(10_000).execute();
    if (rows.length === 0) break;
    await store.db.transaction().execute((trx) => appendFacts(trx, workspaceId, recordFacts(rows), now));
    after = rows[rows.length - 1];
  }
}
