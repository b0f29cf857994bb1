/**
 * Keeping the satisfaction rollups exact: a batch of responses (named by `feedback.received`
 * facts, or walked by the backfill) is read as it is now, attributed, and compared with the
 * ledger row it was last counted as; the difference goes into the daily histograms and the
 * ledger takes the new row, all in the caller's transaction. A response counted again as it
 * already was changes nothing, so reading a fact twice never counts an answer twice, and an
 * edit (answering again edits the response) moves its count from the old scores to the new.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';
import { responseScores, type ResponseScores } from '../../feedback/index.js';
import { attributionsOf, type Attribution } from './attribution.js';
import { dayOf } from './periods.js';
import { sameLedgerRow, SatisfactionDelta, type LedgerRow } from './satisfaction.delta.js';
import { applyCells, deleteLedger, readLedger, writeLedger } from './satisfaction.store.js';

function ledgerRowOf(r: ResponseScores, a: Attribution | undefined): LedgerRow | null {
  if (r.nps === null && r.csat === null && r.ces === null) return null;
  return { responseId: r.id, day: dayOf(r.createdAt), surveyId: r.surveyId, channel: r.channel, teamId: a?.teamId ?? '', agentId: a?.agentId ?? '', nps: r.nps, csat: r.csat, ces: r.ces };
}

/** Bring these responses' contributions up to date; returns how many changed. */
export async function applyResponses(db: Kysely<Database>, workspaceId: string, ids: readonly string[], now: number): Promise<number> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return 0;
  const responses = await responseScores(db, workspaceId, unique);
  const [attribution, ledger] = await Promise.all([attributionsOf(db, workspaceId, responses), readLedger(db, workspaceId, unique)]);
  const current = new Map(responses.map((r) => [r.id, r]));
  const delta = new SatisfactionDelta();
  const writes: LedgerRow[] = [];
  const gone: string[] = [];
  for (const id of unique) {
    const r = current.get(id);
    const next = r ? ledgerRowOf(r, attribution.get(id)) : null;
    const previous = ledger.get(id) ?? null;
    if (sameLedgerRow(previous, next)) continue;
    delta.change(previous, next);
    if (next) writes.push(next);
    else gone.push(id);
  }
  if (writes.length === 0 && gone.length === 0) return 0;
  await applyCells(db, workspaceId, delta.cells());
  await writeLedger(db, workspaceId, writes, now);
  await deleteLedger(db, workspaceId, gone);
  return writes.length + gone.length;
}

/** Of these ledger ids, those whose response no longer exists. */
export async function goneResponses(db: Kysely<Database>, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  const present = new Set((await responseScores(db, workspaceId, ids)).map((r) => r.id));
  return ids.filter((id) => !present.has(id));
}
