/** The customer 360 over HTTP: list and search, one customer, its timeline, merges and the review queue. */
import { z } from 'zod';
import { IDENTIFIER_KINDS } from './identifiers.js';
import { MERGE_RULES, SUGGESTION_STATUSES } from './merge.store.js';

const ZIsoTime = z.string().describe('ISO-8601 date-time');

export const ZCustomerParams = z.strictObject({
  workspaceId: z.string().min(1).max(64),
  customerId: z.string().min(1).max(64),
});

export const ZCustomerListQuery = z.strictObject({
  search: z.string().trim().min(1).max(200).optional().describe('a name, e-mail, phone number or id, or the start of one; misspelt names are found by sound'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(64).optional().describe('cursor from nextCursor (of the same listing or search)'),
});

export const ZCustomerSummary = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  profiles: z.number().describe('how many source profiles make up this customer'),
  updatedAt: ZIsoTime,
});
export type CustomerSummary = z.infer<typeof ZCustomerSummary>;

export const ZEvidence = z.object({
  summary: z.string(),
  identifiers: z.array(z.object({ kind: z.string(), value: z.string() })).optional(),
  fields: z.array(z.object({ field: z.string(), level: z.string(), label: z.string(), weight: z.number() })).optional(),
  pair: z.tuple([z.string(), z.string()]).optional(),
  blockedBy: z.string().optional(),
});

export const ZMergeView = z.object({
  id: z.string(),
  survivorId: z.string(),
  absorbedId: z.string(),
  rule: z.enum(MERGE_RULES),
  score: z.number().nullable(),
  evidence: ZEvidence,
  actor: z.string(),
  createdAt: ZIsoTime,
  undoneAt: ZIsoTime.nullable(),
  undoneBy: z.string().nullable(),
});

export const ZIdentityView = z.object({
  kind: z.enum(IDENTIFIER_KINDS),
  value: z.string(),
  profileId: z.string(),
  source: z.string(),
  firstSeenAt: ZIsoTime,
  lastSeenAt: ZIsoTime,
  shared: z.string().nullable().describe('why this identifier no longer counts as evidence (seen on several people)'),
});

export const ZTraitView = z.object({
  key: z.string(),
  value: z.unknown(),
  source: z.string(),
  observedAt: ZIsoTime,
  profileId: z.string(),
  current: z.boolean().describe('the newest value of this trait across the customer’s sources'),
});

export const TIMELINE_KINDS = ['event', 'order', 'ticket', 'feedback', 'followup', 'subscription', 'contact', 'record'] as const;

export const ZTimelineItem = z.object({
  id: z.string(),
  kind: z.enum(TIMELINE_KINDS),
  at: ZIsoTime,
  title: z.string(),
  source: z.string(),
  data: z.unknown(),
});
export type TimelineItem = z.infer<typeof ZTimelineItem>;

export const ZTimelinePage = z.object({ items: z.array(ZTimelineItem), nextCursor: z.string().nullable() });

export const ZTimelineQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(100).optional().describe('cursor from nextCursor'),
});

export const ZCustomerView = ZCustomerSummary.extend({
  requestedId: z.string().describe('the id asked for: a profile merged into this customer resolves to it'),
  createdAt: ZIsoTime,
  leaves: z.array(z.object({ id: z.string(), parentId: z.string().nullable(), createdAt: ZIsoTime })),
  identities: z.array(ZIdentityView),
  traits: z.array(ZTraitView),
  accounts: z.array(z.object({ id: z.string(), source: z.string(), name: z.string().nullable() })),
  merges: z.array(ZMergeView),
  openSuggestions: z.number(),
  timeline: ZTimelinePage,
});
export type CustomerView = z.infer<typeof ZCustomerView>;

export const ZSideView = z.object({
  profileId: z.string(),
  customerId: z.string(),
  name: z.string().nullable(),
  features: z.record(z.string(), z.string().nullable()),
  identities: z.array(z.object({ kind: z.string(), value: z.string(), source: z.string() })),
});

export const ZSuggestionView = z.object({
  id: z.string(),
  reason: z.enum(['probabilistic', 'conflicting-ids']),
  score: z.number().nullable(),
  evidence: ZEvidence,
  status: z.enum(SUGGESTION_STATUSES),
  createdAt: ZIsoTime,
  decidedAt: ZIsoTime.nullable(),
  decidedBy: z.string().nullable(),
  a: ZSideView,
  b: ZSideView,
});

export const ZSuggestionListQuery = z.strictObject({
  status: z.enum(SUGGESTION_STATUSES).default('open'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  before: z.string().max(64).optional(),
});

export const ZSuggestionParams = z.strictObject({ workspaceId: z.string().min(1).max(64), suggestionId: z.string().min(1).max(64) });
export const ZMergeParams = z.strictObject({ workspaceId: z.string().min(1).max(64), mergeId: z.string().min(1).max(64) });

export const ZManualMerge = z.strictObject({
  with: z.string().min(1).max(64).describe('the other customer or profile id'),
  note: z.string().max(500).optional(),
});
