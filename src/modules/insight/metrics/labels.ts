/**
 * Names for the ids figures are grouped by: surveys (feedback), follow-up teams and members
 * (follow-up's report labels), and the support desk's own teams and agents as their silo
 * records name them (`team` and `employee` records, like the demo's hr silo). An id nobody
 * names is shown as itself; '' is "Unattributed".
 */
import type { Kysely } from 'kysely';
import { fromJson, type Database } from '../../../store/index.js';
import { surveyNames } from '../../feedback/index.js';
import { reportLabels } from '../../followup/index.js';

const UNATTRIBUTED = 'Unattributed';
const CHUNK = 400;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Names of silo records of these kinds by external id (any source), through the kind index. */
async function recordNames(db: Kysely<Database>, workspaceId: string, kind: 'team' | 'employee', ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('source_records')
      .select(['external_id', 'data'])
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', kind)
      .where('external_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) {
      const d = fromJson<Record<string, unknown> | null>(r.data) ?? {};
      const first = text(d.firstName);
      const last = text(d.lastName);
      const name = text(d.name) ?? (first || last ? [first, last].filter(Boolean).join(' ') : undefined);
      if (name) out.set(r.external_id, name);
    }
  }
  return out;
}

export type LabelKind = 'survey' | 'channel' | 'team' | 'agent';

/** A function naming ids of a kind, for the ids that will be shown. */
export async function labeller(db: Kysely<Database>, workspaceId: string, kind: LabelKind, ids: readonly string[]): Promise<(id: string) => string> {
  const named = ids.filter((id) => id !== '');
  if (kind === 'channel') return (id) => id || UNATTRIBUTED;
  if (kind === 'survey') {
    const names = await surveyNames(db, workspaceId);
    return (id) => names.get(id) ?? `Deleted survey (${id})`;
  }
  const [followup, records] = await Promise.all([reportLabels(db, workspaceId), recordNames(db, workspaceId, kind === 'team' ? 'team' : 'employee', named)]);
  const own = kind === 'team' ? followup.teams : followup.users;
  return (id) => (id === '' ? UNATTRIBUTED : (own.get(id) ?? records.get(id) ?? id));
}
