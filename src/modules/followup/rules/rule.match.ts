/**
 * Does a rule fire for an occurrence (an event, an answer, a profile change)? Pure: the
 * consumer gathers the occurrence and the customer, this decides, and says why not.
 */
import type { Condition, RuleDefinition } from './rule.schema.js';
import { valueAt } from './template.js';

export interface OccurrenceCustomer {
  id: string;
  name: string | null;
  email: string | null;
  traits: Record<string, unknown>;
}

export interface OccurrenceEvent {
  name: string | null;
  type: string;
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
}

export interface OccurrenceFeedback {
  score: number | null;
  category: string | null;
  metric: string | null;
  surveyId: string;
  surveyName: string;
  channel: string;
  sentiment: string | null;
  themes: string[];
  complete: boolean;
}

export type Occurrence =
  | { kind: 'event'; event: OccurrenceEvent; customer: OccurrenceCustomer | null }
  | { kind: 'feedback'; feedback: OccurrenceFeedback; customer: OccurrenceCustomer | null }
  | { kind: 'profile'; event: OccurrenceEvent | null; tag: string | null; customer: OccurrenceCustomer | null };

const NUMERIC = /^\s*-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;
const asNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return undefined;
};

function equals(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  const a = asNumber(actual);
  const e = asNumber(expected);
  if (a !== undefined && e !== undefined) return a === e;
  if (typeof actual === 'string' && typeof expected === 'string') return actual.trim().toLowerCase() === expected.trim().toLowerCase();
  if (typeof actual === 'boolean' && typeof expected === 'string') return String(actual) === expected.trim().toLowerCase();
  return false;
}

function compare(actual: unknown, expected: unknown): number | undefined {
  const a = asNumber(actual);
  const e = asNumber(expected);
  if (a !== undefined && e !== undefined) return a < e ? -1 : a > e ? 1 : 0;
  if (typeof actual === 'string' && typeof expected === 'string') return actual < expected ? -1 : actual > expected ? 1 : 0;
  return undefined;
}

/** A list-valued trait: an array, or a comma-separated string. */
function listOf(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return undefined;
}

/** The value a condition's field names in this occurrence (undefined when absent). */
export function fieldValue(field: string, occ: Occurrence): unknown {
  const [root, ...rest] = field.split('.');
  const path = rest.join('.');
  if (root === 'customer') {
    const c = occ.customer;
    if (path === 'known') return c !== null;
    if (!c) return undefined;
    if (path === 'segments' || path === 'tags') return listOf(c.traits[path]);
    return valueAt(c, path);
  }
  if (root === 'event') {
    const e = occ.kind === 'feedback' ? null : occ.event;
    return e ? valueAt(e, path) : undefined;
  }
  if (root === 'feedback') return occ.kind === 'feedback' ? valueAt(occ.feedback, path) : undefined;
  return undefined;
}

export function conditionHolds(c: Condition, actual: unknown): boolean {
  const present = actual !== undefined && actual !== null && actual !== '';
  switch (c.op) {
    case 'exists':
      return c.value === false ? !present : present;
    case 'eq':
      return present && (Array.isArray(actual) ? actual.some((a) => equals(a, c.value)) : equals(actual, c.value));
    case 'neq':
      return !present || (Array.isArray(actual) ? !actual.some((a) => equals(a, c.value)) : !equals(actual, c.value));
    case 'in':
      return present && Array.isArray(c.value) && c.value.some((v) => (Array.isArray(actual) ? actual.some((a) => equals(a, v)) : equals(actual, v)));
    case 'contains':
      if (!present || c.value === undefined) return false;
      if (Array.isArray(actual)) return actual.some((a) => equals(a, c.value));
      return typeof actual === 'string' && actual.toLowerCase().includes(String(c.value).toLowerCase());
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (!present || Array.isArray(actual)) return false;
      const r = compare(actual, c.value);
      if (r === undefined) return false;
      return c.op === 'gt' ? r > 0 : c.op === 'gte' ? r >= 0 : c.op === 'lt' ? r < 0 : r <= 0;
    }
  }
}

/** Whether the trigger itself applies (kind, event name, survey, tag), before conditions. */
export function triggerApplies(d: RuleDefinition, occ: Occurrence): boolean {
  const t = d.trigger;
  if (t.kind !== occ.kind) return false;
  switch (t.kind) {
    case 'event':
      return occ.kind === 'event' && occ.event.type === 'track' && occ.event.name === t.event;
    case 'feedback':
      return occ.kind === 'feedback' && (t.surveyId === undefined || t.surveyId === occ.feedback.surveyId) && (!t.completeOnly || occ.feedback.complete);
    case 'profile':
      if (occ.kind !== 'profile') return false;
      return t.tag === undefined ? occ.tag === null && occ.event?.type === 'identify' : occ.tag === t.tag;
  }
}

export interface MatchResult {
  matched: boolean;
  /** Why not, in words, for "test this rule". */
  reasons: string[];
}

/**
 * Match a rule against an occurrence. `count` is the number of events the rule's counting
 * condition found for this customer in its window (this one included), when it has one.
 */
export function matchRule(d: RuleDefinition, occ: Occurrence, count?: number): MatchResult {
  if (!triggerApplies(d, occ)) return { matched: false, reasons: [`the trigger (${describeTrigger(d)}) does not apply`] };
  const reasons: string[] = [];
  d.conditions.forEach((c, i) => {
    const actual = fieldValue(c.field, occ);
    if (!conditionHolds(c, actual)) reasons.push(`conditions.${i}: ${c.field} ${c.op} ${JSON.stringify(c.value ?? true)} is false (it is ${JSON.stringify(actual ?? null)})`);
  });
  if (d.count && (count ?? 0) < d.count.atLeast) reasons.push(`count: ${count ?? 0} "${d.count.event}" in ${d.count.withinDays} days, needs ${d.count.atLeast}`);
  return { matched: reasons.length === 0, reasons };
}

export function describeTrigger(d: RuleDefinition): string {
  const t = d.trigger;
  if (t.kind === 'event') return `event "${t.event}"`;
  if (t.kind === 'feedback') return t.surveyId ? `an answer to survey ${t.surveyId}` : 'a feedback answer';
  return t.tag ? `tag "${t.tag}" added` : 'a profile change';
}
