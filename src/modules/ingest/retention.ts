/**
 * The dedupe window, kept by the hourly maintenance.
 *
 * `event_dedupe` holds one row per stored messageId and grows like `events`. A retry is
 * recognised as such while its messageId is younger than `DEDUPE_WINDOW_MS`; older claims are
 * pruned, so a message re-sent more than 30 days after it was first stored is stored again.
 * Segment itself deduplicates within a window (about a day); SDKs retry within minutes or
 * hours, and devices that were offline send their queue when they are back, days at most.
 */
import type { Store } from '../../store/index.js';

export const DEDUPE_WINDOW_MS = 30 * 86_400_000;
/** Rows per delete statement, so that no statement holds SQLite's write lock for long. */
const PRUNE_BATCH = 5_000;

/** Delete dedupe claims received before `before`, workspace by workspace (the index leads with it). */
export async function pruneDedupe(store: Store, before: number): Promise<number> {
  const db = store.db;
  const workspaces = await db.selectFrom('workspaces').select('id').execute();
  let pruned = 0;
  for (const { id } of workspaces) {
    for (;;) {
      const result = await db
        .deleteFrom('event_dedupe')
        .where('workspace_id', '=', id)
        .where('message_id', 'in', (eb) =>
          eb.selectFrom('event_dedupe').select('message_id').where('workspace_id', '=', id).where('received_at', '<', before).limit(PRUNE_BATCH),
        )
        .executeTakeFirst();
      const n = Number(result.numDeletedRows);
      pruned += n;
      if (n < PRUNE_BATCH) break;
    }
  }
  return pruned;
}
