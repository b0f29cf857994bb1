/**
 * Who a follow-up rule's task for a given trigger went to: for modules that attribute what
 * happened after it (insight attributes the answer to a survey the same rule sent for the same
 * trigger to the task's owner and team).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';

export interface TaskOwner {
  ruleId: string;
  sourceType: string;
  sourceId: string;
  teamId: string | null;
  ownerUserId: string | null;
}

const CHUNK = 200;

/** The task (if any) each rule created for each source, keyed `ruleId|sourceType|sourceId`. */
export async function taskOwnersOf(db: Kysely<Database>, workspaceId: string, keys: readonly { ruleId: string; sourceType: string; sourceId: string }[]): Promise<Map<string, TaskOwner>> {
  const out = new Map<string, TaskOwner>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('followup_tasks')
      .select(['rule_id', 'source_type', 'source_id', 'team_id', 'owner_user_id'])
      .where('workspace_id', '=', workspaceId)
      // Every column of the (rule, source type, source id) index, so it is read, not the table.
      .where('rule_id', 'in', [...new Set(part.map((k) => k.ruleId))])
      .where('source_type', 'in', [...new Set(part.map((k) => k.sourceType))])
      .where('source_id', 'in', [...new Set(part.map((k) => k.sourceId))])
      .execute();
    const wanted = new Set(part.map((k) => `${k.ruleId}|${k.sourceType}|${k.sourceId}`));
    for (const r of rows) {
      const key = `${r.rule_id}|${r.source_type}|${r.source_id}`;
      if (wanted.has(key)) out.set(key, { ruleId: r.rule_id, sourceType: r.source_type, sourceId: r.source_id, teamId: r.team_id, ownerUserId: r.owner_user_id });
    }
  }
  return out;
}
