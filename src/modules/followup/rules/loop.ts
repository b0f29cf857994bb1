/**
 * Loop detection. Some actions put something back into the world that rules listen to:
 * `send_survey` leads to a feedback answer, `tag_profile` to a profile change. Every
 * occurrence therefore carries a causation chain: the ids of the rules whose actions led to
 * it, oldest first ([] for what came from outside: a tracked event, an unsolicited answer).
 *
 * A loop, precisely: rule R matches an occurrence whose chain already holds R, i.e. R would
 * be triggered again by its own output, directly (R → R) or through other rules
 * (R → S → … → R). R is then not run for that occurrence, and it is flagged. A chain longer
 * than MAX_CHAIN is stopped too, loop or not (a runaway cascade of distinct rules).
 *
 * The same graph is checked when a rule is saved: a rule whose outputs can come back to it
 * through the enabled rules is refused with the cycle. The run-time guard remains for what
 * the static check cannot see (rules changed by two people at once, conditions that differ).
 * Pure.
 */
import type { Action, RuleDefinition } from './rule.schema.js';

export const MAX_CHAIN = 5;

export type Output = { kind: 'survey'; ref: string } | { kind: 'tag'; ref: string };

export function outputsOf(actions: readonly Action[]): Output[] {
  const out: Output[] = [];
  for (const a of actions) {
    if (a.type === 'send_survey') out.push({ kind: 'survey', ref: a.surveyId });
    if (a.type === 'tag_profile') out.push({ kind: 'tag', ref: a.tag });
  }
  return out;
}

/** Whether an output of some rule can trigger a rule with this definition. */
export function canTrigger(output: Output, d: RuleDefinition): boolean {
  const t = d.trigger;
  if (output.kind === 'survey') return t.kind === 'feedback' && (t.surveyId === undefined || t.surveyId === output.ref);
  return t.kind === 'profile' && t.tag === output.ref;
}

export interface RuleNode {
  id: string;
  definition: RuleDefinition;
}

/** A cycle through `startId` in the graph "R's outputs can trigger S", as [start, …, start]; null when none. */
export function findCycle(rules: readonly RuleNode[], startId: string): string[] | null {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const next = (id: string): string[] => {
    const r = byId.get(id);
    if (!r) return [];
    const outs = outputsOf(r.definition.actions);
    return rules.filter((s) => outs.some((o) => canTrigger(o, s.definition))).map((s) => s.id);
  };
  const seen = new Set<string>();
  const path: string[] = [startId];
  const walk = (id: string): string[] | null => {
    for (const n of next(id)) {
      if (n === startId) return [...path, n];
      if (seen.has(n)) continue;
      seen.add(n);
      path.push(n);
      const found = walk(n);
      if (found) return found;
      path.pop();
    }
    return null;
  };
  return walk(startId);
}

export type ChainVerdict = { ok: true; chain: string[] } | { ok: false; reason: 'loop' | 'too-deep'; chain: string[] };

/** May rule `ruleId` fire for an occurrence with this chain? The chain of its own outputs when yes. */
export function checkChain(ruleId: string, chain: readonly string[]): ChainVerdict {
  if (chain.includes(ruleId)) return { ok: false, reason: 'loop', chain: [...chain, ruleId] };
  if (chain.length >= MAX_CHAIN) return { ok: false, reason: 'too-deep', chain: [...chain, ruleId] };
  return { ok: true, chain: [...chain, ruleId] };
}
