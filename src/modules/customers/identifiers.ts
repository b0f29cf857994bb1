/**
 * Identifiers as the identity graph keys them. Two spellings of one address or number must
 * give one key, and two different people must not: so e-mail rules apply only where the
 * mailbox provider is known to ignore the difference. Pure: no I/O.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** The kinds of identifier that make records "the same person" without doubt. */
export const IDENTIFIER_KINDS = ['user_id', 'anonymous_id', 'email', 'phone', 'external'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface Identifier {
  kind: IdentifierKind;
  /** The normalised key. */
  value: string;
}

/**
 * Providers (matched on the domain's first label, so `gmail.com` and `gmail.co.uk` alike)
 * and what they ignore in the local part. Plus-addressing is stripped only here: on an
 * unknown domain `a+b@` may be a different mailbox.
 */
const PROVIDERS: Record<string, { plus: boolean; dots: boolean; canonical?: string }> = {
  gmail: { plus: true, dots: true },
  googlemail: { plus: true, dots: true, canonical: 'gmail' },
  outlook: { plus: true, dots: false },
  hotmail: { plus: true, dots: false },
  live: { plus: true, dots: false },
  icloud: { plus: true, dots: false },
  me: { plus: true, dots: false },
  fastmail: { plus: true, dots: false },
  proton: { plus: true, dots: false },
  protonmail: { plus: true, dots: false },
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `Ann.Lee+shop@GMail.com` → `annlee@gmail.com`; undefined when it is not an address. */
export function normaliseEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) return undefined;
  const at = email.lastIndexOf('@');
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  const firstLabel = domain.slice(0, domain.indexOf('.'));
  const rule = PROVIDERS[firstLabel];
  if (rule) {
    if (rule.plus) local = local.replace(/\+.*$/, '');
    if (rule.dots) local = local.replace(/\./g, '');
    if (rule.canonical) domain = rule.canonical + domain.slice(firstLabel.length);
  }
  return local ? `${local}@${domain}` : undefined;
}

/** The local part and domain of an already normalised address (for similarity, not identity). */
export function splitEmail(email: string): { local: string; domain: string } {
  const at = email.lastIndexOf('@');
  return { local: email.slice(0, at).replace(/\+.*$/, ''), domain: email.slice(at + 1) };
}

/**
 * E.164 (`+447700900123`), reading national formats in the record's country (or the
 * workspace's default); undefined when the text is not a possible number there.
 */
export function normalisePhone(raw: string, defaultCountry?: string): string | undefined {
  const text = raw.trim();
  if (!/\d/.test(text) || text.length > 40) return undefined;
  const international = text.startsWith('00') ? `+${text.slice(2)}` : text;
  const country = defaultCountry && /^[A-Z]{2}$/.test(defaultCountry.toUpperCase()) ? (defaultCountry.toUpperCase() as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(international, country);
  if (!parsed || !parsed.isPossible()) return undefined;
  return parsed.number;
}

/** One record of a silo as an identifier: the source's own id, scoped by source and kind. */
export function externalKey(source: string, kind: string, externalId: string): string {
  return `${source}/${kind}/${externalId}`;
}

/** Identifiers whose kind holds at most one value per person: two different ones mean two people. */
export function isExclusiveKind(identifier: Identifier): boolean {
  return identifier.kind === 'user_id' || identifier.kind === 'external';
}

/** For external ids, the scope within which a person has one id (`crm/contact`). */
export function exclusiveScope(identifier: Identifier): string {
  if (identifier.kind !== 'external') return identifier.kind;
  return identifier.value.slice(0, identifier.value.indexOf('/', identifier.value.indexOf('/') + 1));
}

/** Values everyone types when they have none: never evidence that two records are one person. */
const PLACEHOLDER_EMAILS = /^(test|noreply|no-reply|none|na|n\/a|null|unknown|info|admin|example|email|asdf|a|x)@/;
const PLACEHOLDER_DOMAINS = new Set(['example.com', 'test.com', 'email.com', 'domain.com', 'none.com', 'noemail.com']);

export function isPlaceholder(identifier: Identifier): boolean {
  if (identifier.kind === 'email') {
    return PLACEHOLDER_EMAILS.test(identifier.value) || PLACEHOLDER_DOMAINS.has(splitEmail(identifier.value).domain);
  }
  if (identifier.kind === 'phone') {
    const digits = identifier.value.slice(1);
    return /^(\d)\1+$/.test(digits.slice(-7)) || /1234567$/.test(digits);
  }
  return false;
}
