/**
 * Which incoming events a survey's triggers answer to, and who the survey then goes to.
 * Pure: no I/O, so it is tested alone.
 */
import type { EventFilter, Respondent, Trigger } from '../surveys/survey.schema.js';

export interface TriggerEvent {
  type: string;
  name: string | null;
  userId: string | null;
  anonymousId: string | null;
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
  /** `context.traits` (Segment's place for traits on a track call). */
  contextTraits: Record<string, unknown> | null;
}

const obj = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** A property by its name, or by a dotted path into nested objects ("ticket.priority"). */
export function propertyAt(properties: Record<string, unknown> | null, path: string): unknown {
  if (!properties) return undefined;
  if (Object.hasOwn(properties, path)) return properties[path];
  let here: unknown = properties;
  for (const part of path.split('.')) {
    const o = obj(here);
    if (!o || !Object.hasOwn(o, part)) return undefined;
    here = o[part];
  }
  return here;
}

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
  if (typeof actual === 'boolean' && typeof expected === 'string') return String(actual) === expected.trim().toLowerCase();
  return false;
}

/** -1, 0, 1, or undefined when the two cannot be ordered (numbers with numbers, text with text). */
function compare(actual: unknown, expected: unknown): number | undefined {
  const a = asNumber(actual);
  const e = asNumber(expected);
  if (a !== undefined && e !== undefined) return a < e ? -1 : a > e ? 1 : 0;
  if (typeof actual === 'string' && typeof expected === 'string') return actual < expected ? -1 : actual > expected ? 1 : 0;
  return undefined;
}

export function matchesFilter(filter: EventFilter, properties: Record<string, unknown> | null): boolean {
  const actual = propertyAt(properties, filter.property);
  const present = actual !== undefined && actual !== null;
  switch (filter.op) {
    case 'exists':
      return filter.value === false ? !present : present;
    case 'eq':
      return present && equals(actual, filter.value);
    case 'neq':
      return !present || !equals(actual, filter.value);
    case 'contains': {
      if (!present || filter.value === undefined) return false;
      if (Array.isArray(actual)) return actual.some((item) => equals(item, filter.value));
      if (typeof actual === 'string') return actual.toLowerCase().includes(String(filter.value).toLowerCase());
      return false;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (!present) return false;
      const c = compare(actual, filter.value);
      if (c === undefined) return false;
      return filter.op === 'gt' ? c > 0 : filter.op === 'gte' ? c >= 0 : filter.op === 'lt' ? c < 0 : c <= 0;
    }
  }
}

/** An enabled trigger matches a track event of its name whose properties pass every filter. */
export function matchesTrigger(trigger: Trigger, event: Pick<TriggerEvent, 'type' | 'name' | 'properties'>): boolean {
  return trigger.enabled && event.type === 'track' && event.name === trigger.event && trigger.where.every((f) => matchesFilter(f, event.properties));
}

const EMAIL = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+$/;
export const looksLikeEmail = (v: unknown): v is string => typeof v === 'string' && v.length <= 300 && EMAIL.test(v.trim());

/** An e-mail address the event carries: its traits, `context.traits`, then its properties. */
export function emailOfEvent(event: Pick<TriggerEvent, 'traits' | 'contextTraits' | 'properties'>): string | undefined {
  for (const source of [event.traits, event.contextTraits, event.properties]) {
    const v = source?.email;
    if (looksLikeEmail(v)) return v.trim();
  }
  return undefined;
}

/** Who a triggered survey goes to: the user id, else the event's e-mail, else the anonymous id. */
export function respondentOfEvent(event: TriggerEvent): Respondent | undefined {
  if (event.userId) return { kind: 'user_id', value: event.userId.slice(0, 300) };
  const email = emailOfEvent(event);
  if (email) return { kind: 'email', value: email };
  if (event.anonymousId) return { kind: 'anonymous_id', value: event.anonymousId.slice(0, 300) };
  return undefined;
}
