/** Rules in the store: parsed through the schema on the way in, and on the way out. */
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import type { Database, FollowupRulesTable } from '../../../store/index.js';
import { findCycle } from './loop.js';
import { ZRuleDefinition, type Rule, type RuleDefinition, type ZRuleInput, type ZRulePatch } from './rule.schema.js';

type Db = Kysely<Database>;

/** Validate a definition; refuse it with every fault and its path ("definition.actions.0.title"). */
export function parseDefinition(definition: unknown, prefix = 'definition'): RuleDefinition {
  const parsed = ZRuleDefinition.safeParse(definition);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join('.'), message: i.message }));
  const first = issues[0] as { path: string; message: string };
  throw new AppError('RULE_INVALID', `${first.path}: ${first.message}`, { issues });
}

function ruleOf(r: Selectable<FollowupRulesTable>): Rule | undefined {
  const parsed = ZRuleDefinition.safeParse(JSON.parse(r.definition));
  if (!parsed.success) return undefined;
  return {
    id: r.id,
    name: r.name,
    enabled: Number(r.enabled) === 1,
    definition: parsed.data,
    template: r.template,
    loopDetectedAt: r.loop_detected_at === null ? null : Number(r.loop_detected_at),
    loopDetail: r.loop_detail === null ? null : (JSON.parse(r.loop_detail) as unknown),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export async function listRules(db: Db, workspaceId: string, enabledOnly = false): Promise<Rule[]> {
  let q = db.selectFrom('followup_rules').selectAll().where('workspace_id', '=', workspaceId);
  if (enabledOnly) q = q.where('enabled', '=', 1);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map(ruleOf).filter((r): r is Rule => r !== undefined);
}

export async function getRule(db: Db, workspaceId: string, ruleId: string): Promise<Rule> {
  const row = await db.selectFrom('followup_rules').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', ruleId).executeTakeFirst();
  const rule = row ? ruleOf(row) : undefined;
  if (!rule) throw new AppError('RULE_NOT_FOUND', `no rule ${ruleId} in this workspace`);
  return rule;
}

/** Refuse a rule whose outputs would come back to trigger it through the enabled rules. */
async function assertNoLoop(db: Db, workspaceId: string, id: string, definition: RuleDefinition): Promise<void> {
  const others = (await listRules(db, workspaceId, true)).filter((r) => r.id !== id);
  const cycle = findCycle([...others, { id, definition }], id);
  if (cycle) {
    throw new AppError('RULE_LOOP', `this rule would trigger itself: ${cycle.join(' → ')}`, { cycle, path: 'definition.actions' });
  }
}

export async function createRule(db: Db, workspaceId: string, input: z.infer<typeof ZRuleInput> & { template?: string }, now: number): Promise<Rule> {
  const definition = parseDefinition(input.definition);
  const id = newId('rul', now);
  if (input.enabled) await assertNoLoop(db, workspaceId, id, definition);
  await db
    .insertInto('followup_rules')
    .values({
      workspace_id: workspaceId,
      id,
      name: input.name,
      enabled: input.enabled ? 1 : 0,
      definition: JSON.stringify(definition),
      template: input.template ?? null,
      loop_detected_at: null,
      loop_detail: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return getRule(db, workspaceId, id);
}

export async function changeRule(db: Db, workspaceId: string, ruleId: string, patch: z.infer<typeof ZRulePatch>, now: number): Promise<Rule> {
  const current = await getRule(db, workspaceId, ruleId);
  const definition = patch.definition === undefined ? current.definition : parseDefinition(patch.definition);
  const enabled = patch.enabled ?? current.enabled;
  if (enabled) await assertNoLoop(db, workspaceId, ruleId, definition);
  await db
    .updateTable('followup_rules')
    .set({
      name: patch.name ?? current.name,
      enabled: enabled ? 1 : 0,
      definition: JSON.stringify(definition),
      // Saving a rule again clears a loop flag: its author has looked at it.
      ...(patch.definition !== undefined || patch.enabled === true ? { loop_detected_at: null, loop_detail: null } : {}),
      updated_at: Math.max(now, current.updatedAt + 1),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', ruleId)
    .execute();
  return getRule(db, workspaceId, ruleId);
}

export async function deleteRule(db: Db, workspaceId: string, ruleId: string): Promise<void> {
  await getRule(db, workspaceId, ruleId);
  await db.deleteFrom('followup_rules').where('workspace_id', '=', workspaceId).where('id', '=', ruleId).execute();
}

/** The loop guard stopped this rule: flag it, with the chain, for its author to see. */
export async function flagLoop(db: Db, workspaceId: string, ruleId: string, detail: unknown, now: number): Promise<void> {
  await db
    .updateTable('followup_rules')
    .set({ loop_detected_at: now, loop_detail: JSON.stringify(detail) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', ruleId)
    .execute();
}
