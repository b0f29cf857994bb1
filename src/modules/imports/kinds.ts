/**
 * The kinds of record a file can bring in, their canonical fields (the same names the
 * demo company writes into `source_records.data`, so later modules read one shape),
 * how each field is read, the header names guessed for it, and one zod schema per kind
 * for the finished record. Pure: no I/O.
 */
import { z } from 'zod';

export const IMPORT_KINDS = ['contact', 'account', 'order', 'subscription', 'ticket'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const PLURALS: Record<string, ImportKind> = {
  contacts: 'contact',
  accounts: 'account',
  orders: 'order',
  subscriptions: 'subscription',
  tickets: 'ticket',
};

/** "contacts" or "contact" → "contact"; undefined for anything else. */
export function kindOf(name: string): ImportKind | undefined {
  const n = name.trim().toLowerCase();
  return (IMPORT_KINDS as readonly string[]).includes(n) ? (n as ImportKind) : PLURALS[n];
}

/** How a field's raw text is read. `amount` is money: its currency comes from the row's `currency` field. */
export type FieldType = 'id' | 'text' | 'email' | 'date' | 'number' | 'integer' | 'amount' | 'currency' | 'status' | 'country';

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** Header names (besides the field's own name) that map to it by guess. */
  synonyms: string[];
}

const f = (name: string, type: FieldType, ...synonyms: string[]): FieldSpec => ({ name, type, synonyms });

/** Every kind's record id: the source system's own id, which makes re-imports update in place. */
const ID = (...synonyms: string[]) => f('externalId', 'id', 'id', 'record id', 'external id', ...synonyms);

export const FIELDS: Record<ImportKind, FieldSpec[]> = {
  contact: [
    ID('contact id', 'customer id', 'person id', 'user id', 'crm id', 'record id'),
    f('email', 'email', 'e-mail', 'email address', 'e-mail address', 'mail', 'primary email'),
    f('name', 'text', 'full name', 'contact name', 'customer name', 'display name'),
    f('firstName', 'text', 'first name', 'given name', 'forename', 'first'),
    f('lastName', 'text', 'last name', 'surname', 'family name', 'last'),
    f('phone', 'text', 'phone number', 'telephone', 'mobile', 'mobile phone', 'tel'),
    f('company', 'text', 'company name', 'organisation', 'organization', 'account name', 'employer'),
    f('title', 'text', 'job title', 'position', 'role'),
    f('accountId', 'text', 'account id', 'company id', 'organization id'),
    f('city', 'text', 'town'),
    f('country', 'country', 'country code', 'nation'),
    f('lifecycleStage', 'status', 'lifecycle stage', 'stage', 'lifecycle'),
    f('createdAt', 'date', 'created', 'created at', 'created date', 'create date', 'signup date', 'signed up'),
  ],
  account: [
    ID('account id', 'company id', 'organization id', 'organisation id'),
    f('name', 'text', 'account name', 'company', 'company name', 'organization', 'organisation'),
    f('domain', 'text', 'website', 'company domain', 'url'),
    f('industry', 'text', 'sector', 'vertical'),
    f('employees', 'text', 'employee count', 'number of employees', 'company size', 'size'),
    f('city', 'text', 'town'),
    f('country', 'country', 'country code'),
    f('ownerId', 'text', 'owner', 'owner id', 'account owner'),
    f('createdAt', 'date', 'created', 'created at', 'created date', 'create date'),
  ],
  order: [
    ID('order id', 'transaction id', 'invoice id'),
    f('customerId', 'text', 'customer id', 'customer', 'buyer id', 'contact id', 'client id'),
    f('orderNumber', 'text', 'order number', 'order no', 'number', 'invoice number'),
    f('placedAt', 'date', 'placed at', 'order date', 'date', 'created', 'created at', 'purchased at', 'purchase date'),
    f('total', 'amount', 'amount', 'order total', 'total amount', 'grand total', 'price', 'value'),
    f('currency', 'currency', 'currency code', 'ccy'),
    f('status', 'status', 'order status', 'state', 'payment status'),
    f('channel', 'status', 'sales channel', 'source channel'),
  ],
  subscription: [
    ID('subscription id', 'sub id'),
    f('customerId', 'text', 'customer id', 'customer', 'contact id', 'client id'),
    f('plan', 'text', 'plan name', 'plan id', 'product', 'tier'),
    f('mrr', 'amount', 'monthly recurring revenue', 'monthly amount', 'amount', 'price', 'mrr amount'),
    f('currency', 'currency', 'currency code', 'ccy'),
    f('interval', 'status', 'billing interval', 'billing period', 'period'),
    f('status', 'status', 'subscription status', 'state'),
    f('startedAt', 'date', 'started', 'start date', 'started at', 'created', 'created at', 'start'),
    f('canceledAt', 'date', 'cancelled at', 'canceled', 'cancelled', 'cancel date', 'cancellation date', 'ended at', 'end date'),
  ],
  ticket: [
    ID('ticket id', 'case id', 'issue id', 'ticket number'),
    f('requesterId', 'text', 'requester id', 'customer id', 'contact id', 'user id'),
    f('requesterEmail', 'email', 'requester email', 'requester', 'customer email', 'email', 'e-mail', 'email address', 'e-mail address'),
    f('subject', 'text', 'title', 'summary', 'topic line'),
    f('topic', 'status', 'category', 'type', 'ticket type'),
    f('channel', 'status', 'via', 'source channel'),
    f('status', 'status', 'ticket status', 'state'),
    f('priority', 'status', 'urgency', 'severity'),
    f('assigneeId', 'text', 'assignee', 'assignee id', 'agent', 'agent id', 'assigned to', 'owner'),
    f('teamId', 'text', 'team', 'team id', 'group', 'group id'),
    f('openedAt', 'date', 'opened', 'opened at', 'created', 'created at', 'created date', 'date opened'),
    f('firstResponseAt', 'date', 'first response', 'first response at', 'first reply at', 'first replied at', 'responded at'),
    f('solvedAt', 'date', 'solved', 'solved at', 'resolved at', 'resolved', 'closed at', 'closed'),
    f('csat', 'integer', 'csat score', 'satisfaction', 'satisfaction score', 'satisfaction rating', 'rating'),
    f('csatComment', 'text', 'csat comment', 'satisfaction comment', 'rating comment'),
  ],
};

/** The field whose date becomes `occurred_at` (import time when absent). */
export const OCCURRED_AT: Record<ImportKind, string> = {
  contact: 'createdAt',
  account: 'createdAt',
  order: 'placedAt',
  subscription: 'startedAt',
  ticket: 'openedAt',
};

// ---------------------------------------------------------------- finished records (zod, one per kind)

const text = z.string().min(1).optional();
const date = z.number().int().optional();
const status = z.string().regex(/^[a-z0-9_-]+$/, 'use words, digits, "-" or "_"').max(64).optional();

const ZContact = z
  .object({
    email: text,
    name: text,
    firstName: text,
    lastName: text,
    phone: text,
    company: text,
    title: text,
    accountId: text,
    city: text,
    country: text,
    lifecycleStage: status,
    createdAt: date,
  })
  .refine((c) => c.email || c.phone || c.name || c.firstName || c.lastName, {
    message: 'a contact needs an e-mail, a phone or a name',
    path: ['email'],
  });

const ZAccount = z.object({
  name: z.string({ error: 'an account needs a name' }).min(1, 'an account needs a name'),
  domain: text,
  industry: text,
  employees: text,
  city: text,
  country: text,
  ownerId: text,
  createdAt: date,
});

const ZOrder = z.object({
  customerId: z.string({ error: 'an order needs the customer id' }).min(1),
  orderNumber: text,
  placedAt: z.number({ error: 'an order needs the date it was placed' }).int(),
  total: z.number({ error: 'an order needs its amount' }),
  currency: z.string({ error: 'an amount needs an ISO 4217 currency (a currency column or --currency)' }).length(3),
  status,
  channel: status,
});

const ZSubscription = z
  .object({
    customerId: z.string({ error: 'a subscription needs the customer id' }).min(1),
    plan: z.string({ error: 'a subscription needs its plan' }).min(1),
    mrr: z.number({ error: 'a subscription needs its MRR' }).min(0, 'MRR cannot be negative'),
    currency: z.string({ error: 'an amount needs an ISO 4217 currency (a currency column or --currency)' }).length(3),
    interval: status,
    status: z.string({ error: 'a subscription needs its status' }).regex(/^[a-z0-9_-]+$/).max(64),
    startedAt: z.number({ error: 'a subscription needs its start date' }).int(),
    canceledAt: date,
  })
  .refine((s) => s.canceledAt === undefined || s.canceledAt >= s.startedAt, {
    message: 'canceled before it started',
    path: ['canceledAt'],
  });

const ZTicket = z
  .object({
    requesterId: text,
    requesterEmail: text,
    subject: text,
    topic: status,
    channel: status,
    status,
    priority: status,
    assigneeId: text,
    teamId: text,
    openedAt: z.number({ error: 'a ticket needs the date it was opened' }).int(),
    firstResponseAt: date,
    solvedAt: date,
    csat: z.number().int().min(1, 'CSAT is 1 to 5').max(5, 'CSAT is 1 to 5').optional(),
    csatComment: text,
  })
  .refine((t) => t.requesterId || t.requesterEmail, { message: 'a ticket needs a requester id or e-mail', path: ['requesterEmail'] })
  .refine((t) => t.firstResponseAt === undefined || t.firstResponseAt >= t.openedAt, {
    message: 'first response before the ticket was opened',
    path: ['firstResponseAt'],
  })
  .refine((t) => t.solvedAt === undefined || t.solvedAt >= t.openedAt, { message: 'solved before it was opened', path: ['solvedAt'] });

export const RECORD_SCHEMAS: Record<ImportKind, z.ZodType<Record<string, unknown>>> = {
  contact: ZContact,
  account: ZAccount,
  order: ZOrder,
  subscription: ZSubscription,
  ticket: ZTicket,
};

// ---------------------------------------------------------------- quick acceptance (the hot path)

type Rec = Record<string, unknown>;
const isText = (v: unknown): boolean => v === undefined || (typeof v === 'string' && v.length >= 1);
const isDate = (v: unknown): boolean => v === undefined || Number.isSafeInteger(v);
const STATUS_RE = /^[a-z0-9_-]+$/;
const isStatus = (v: unknown): boolean => v === undefined || (typeof v === 'string' && v.length <= 64 && STATUS_RE.test(v));
const isCode = (v: unknown): boolean => typeof v === 'string' && v.length === 3;
const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const notBefore = (later: unknown, earlier: unknown): boolean => later === undefined || (later as number) >= (earlier as number);
const all = (r: Rec, names: string[], check: (v: unknown) => boolean): boolean => names.every((n) => check(r[n]));

/**
 * For each kind, a cheap yes for a record its schema above accepts, checked on every
 * row instead of zod. It may say no to a record zod would accept (then zod decides,
 * and gives the reasons), never yes to one zod refuses: kinds.test.ts holds them to that.
 * The record comes from the readers (strings trimmed, numbers finite), with no other keys.
 */
export const QUICK_ACCEPT: Record<ImportKind, (r: Rec) => boolean> = {
  contact: (r) =>
    all(r, ['email', 'name', 'firstName', 'lastName', 'phone', 'company', 'title', 'accountId', 'city', 'country'], isText) &&
    isStatus(r.lifecycleStage) &&
    isDate(r.createdAt) &&
    Boolean(r.email || r.phone || r.name || r.firstName || r.lastName),
  account: (r) =>
    typeof r.name === 'string' && all(r, ['name', 'domain', 'industry', 'employees', 'city', 'country', 'ownerId'], isText) && isDate(r.createdAt),
  order: (r) =>
    typeof r.customerId === 'string' &&
    all(r, ['customerId', 'orderNumber'], isText) &&
    r.placedAt !== undefined &&
    isDate(r.placedAt) &&
    isNumber(r.total) &&
    isCode(r.currency) &&
    isStatus(r.status) &&
    isStatus(r.channel),
  subscription: (r) =>
    typeof r.customerId === 'string' &&
    typeof r.plan === 'string' &&
    all(r, ['customerId', 'plan'], isText) &&
    isNumber(r.mrr) &&
    (r.mrr as number) >= 0 &&
    isCode(r.currency) &&
    isStatus(r.interval) &&
    r.status !== undefined &&
    isStatus(r.status) &&
    r.startedAt !== undefined &&
    isDate(r.startedAt) &&
    isDate(r.canceledAt) &&
    notBefore(r.canceledAt, r.startedAt),
  ticket: (r) =>
    all(r, ['requesterId', 'requesterEmail', 'subject', 'assigneeId', 'teamId', 'csatComment'], isText) &&
    all(r, ['topic', 'channel', 'status', 'priority'], isStatus) &&
    r.openedAt !== undefined &&
    all(r, ['openedAt', 'firstResponseAt', 'solvedAt'], isDate) &&
    (r.csat === undefined || (Number.isSafeInteger(r.csat) && (r.csat as number) >= 1 && (r.csat as number) <= 5)) &&
    Boolean(r.requesterId || r.requesterEmail) &&
    notBefore(r.firstResponseAt, r.openedAt) &&
    notBefore(r.solvedAt, r.openedAt),
};

/**
 * The stored shape of a record's `data`: fields with no value are null (as the demo
 * writes them), and a ticket's CSAT is `{score, answeredAt, comment}` like the demo's.
 */
export function toStoredData(kind: ImportKind, record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of FIELDS[kind]) {
    if (spec.name === 'externalId') continue;
    if (kind === 'ticket' && (spec.name === 'csat' || spec.name === 'csatComment')) continue;
    out[spec.name] = record[spec.name] ?? null;
  }
  if (kind === 'ticket') {
    out.csat = record.csat === undefined ? null : { score: record.csat, answeredAt: null, comment: record.csatComment ?? null };
  }
  return out;
}

/** Fields a file must have a column for (a currency may instead come from --currency or the header). */
export const REQUIRED: Record<ImportKind, string[]> = {
  contact: ['externalId'],
  account: ['externalId', 'name'],
  order: ['externalId', 'customerId', 'placedAt', 'total'],
  subscription: ['externalId', 'customerId', 'plan', 'mrr', 'status', 'startedAt'],
  ticket: ['externalId', 'openedAt'],
};

/** Kinds whose amounts need a currency. */
export const AMOUNT_FIELD: Partial<Record<ImportKind, string>> = { order: 'total', subscription: 'mrr' };
