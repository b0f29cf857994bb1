/**
 * What one event or one silo record tells the identity graph: the identifiers that name
 * its person, the traits it states (with source and time), the fields matching compares,
 * and the timeline item it adds. Pure: no I/O.
 */
import {
  externalKey,
  normaliseEmail,
  normalisePhone,
  type Identifier,
} from './identifiers.js';
import type { PersonFields } from './matching/types.js';

export interface Observation {
  /** Normalised, de-duplicated; exclusive ids first. */
  identifiers: Identifier[];
  /** Alias calls: ids that name the same person but whose kind is unknown (user or anonymous). */
  aliasOf?: string;
  /** Trait values as stated, keyed by trait name. */
  traits: Record<string, unknown>;
  features: PersonFields;
  source: string;
  at: number;
  /** The silo record this observation is (a timeline item), when it is one. */
  record?: { source: string; kind: string; externalId: string; occurredAt: number };
}

/** Options from the workspace's identity settings. */
export interface ObservationOptions {
  /** The silo whose contact ids are the app's userIds (`identify(userId)` sends them). */
  userIdSource?: string;
  /** Region for national phone numbers when a record names no country. */
  defaultCountry?: string;
}

const TRAIT_SKIP = new Set(['_truth', 'userId', 'anonymousId', 'createdAt']);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

class IdentifierList {
  readonly items: Identifier[] = [];
  private readonly seen = new Set<string>();
  add(kind: Identifier['kind'], value: string | undefined): void {
    if (value === undefined) return;
    const key = `${kind}:${value}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ kind, value });
  }
}

/** The person fields a trait bag states (identify traits, a contact record). */
export function featuresOf(t: Record<string, unknown>): PersonFields {
  const address = t.address;
  const addr = typeof address === 'object' && address !== null ? (address as Record<string, unknown>) : undefined;
  const fields: PersonFields = {
    firstName: str(t.firstName) ?? str(t.first_name),
    lastName: str(t.lastName) ?? str(t.last_name),
    name: str(t.name),
    email: str(t.email),
    phone: str(t.phone),
    birthDate: str(t.birthday) ?? str(t.birthDate),
    address: addr ? (str(addr.line1) ?? str(addr.street)) : str(address),
    postcode: addr ? (str(addr.postcode) ?? str(addr.postalCode) ?? str(addr.postal_code)) : str(t.postcode),
    city: addr ? str(addr.city) : str(t.city),
    country: (addr ? str(addr.country) : undefined) ?? str(t.country),
  };
  for (const k of Object.keys(fields) as (keyof PersonFields)[]) if (fields[k] === undefined) delete fields[k];
  return fields;
}

function traitsOf(t: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) if (!TRAIT_SKIP.has(k) && v !== null && v !== undefined && v !== '') out[k] = v;
  return out;
}

function personIds(list: IdentifierList, f: PersonFields, options: ObservationOptions): void {
  if (f.email) list.add('email', normaliseEmail(f.email));
  if (f.phone) list.add('phone', normalisePhone(f.phone, f.country ?? options.defaultCountry));
}

/** The shape of an event row that resolution reads. */
export interface EventFacts {
  type: string;
  userId: string | null;
  anonymousId: string | null;
  previousId: string | null;
  traits: Record<string, unknown> | null;
  /** context.traits: analytics.js sends the user's traits on every call there. */
  contextTraits: Record<string, unknown> | null;
  source: string;
  at: number;
}

export function observeEvent(e: EventFacts, options: ObservationOptions = {}): Observation {
  const list = new IdentifierList();
  list.add('user_id', e.userId ?? undefined);
  list.add('anonymous_id', e.anonymousId ?? undefined);
  const stated = e.type === 'identify' ? { ...(e.contextTraits ?? {}), ...(e.traits ?? {}) } : (e.contextTraits ?? {});
  const features = featuresOf(stated);
  personIds(list, features, options);
  return {
    identifiers: list.items,
    ...(e.type === 'alias' && e.previousId ? { aliasOf: e.previousId } : {}),
    traits: e.type === 'identify' ? traitsOf(stated) : {},
    features: e.type === 'identify' ? features : {},
    source: e.source,
    at: e.at,
  };
}

export interface RecordFacts {
  source: string;
  kind: string;
  externalId: string;
  data: Record<string, unknown>;
  occurredAt: number;
  updatedAt: number;
}

/** Kinds that are a person's own record (traits, matching) rather than something they did. */
const PERSON_KINDS = new Set(['contact']);
/** Kinds that are not about a customer at all. */
const IGNORED_KINDS = new Set(['account', 'employee', 'team']);

/** Undefined for records that name no customer (accounts, employees, …). */
export function observeRecord(r: RecordFacts, options: ObservationOptions = {}): Observation | undefined {
  if (IGNORED_KINDS.has(r.kind)) return undefined;
  const list = new IdentifierList();
  const d = r.data;
  const record = { source: r.source, kind: r.kind, externalId: r.externalId, occurredAt: r.occurredAt };
  if (PERSON_KINDS.has(r.kind)) {
    list.add('external', externalKey(r.source, r.kind, r.externalId));
    if (options.userIdSource === r.source) list.add('user_id', r.externalId);
    list.add('user_id', str(d.userId));
    list.add('anonymous_id', str(d.anonymousId));
    const features = featuresOf(d);
    personIds(list, features, options);
    // A record's values date from when its silo says it happened (a contact's creation).
    return { identifiers: list.items, traits: traitsOf(d), features, source: r.source, at: r.occurredAt, record };
  }
  // Something a customer did: it names them by a reference into the same silo, or an e-mail.
  const ref = str(d.customerId) ?? str(d.requesterId) ?? str(d.contactId);
  if (ref !== undefined) list.add('external', externalKey(r.source, 'contact', ref));
  list.add('user_id', str(d.userId));
  list.add('anonymous_id', str(d.anonymousId));
  const email = str(d.requesterEmail) ?? str(d.respondentEmail) ?? str(d.email);
  if (email) list.add('email', normaliseEmail(email));
  if (list.items.length === 0) return undefined;
  return { identifiers: list.items, traits: {}, features: {}, source: r.source, at: r.occurredAt, record };
}
