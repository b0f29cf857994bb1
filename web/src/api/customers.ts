/**
 * The customer 360 API: customers (list, search, one customer, its timeline), the merge-review
 * queue and merge / unmerge. Types mirror the zod schemas in src/modules/customers/customer.schema.ts.
 */
import { request } from './client';

export const IDENTIFIER_KINDS = ['user_id', 'anonymous_id', 'email', 'phone', 'external'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export const MERGE_RULES = ['shared-identifier', 'alias', 'probabilistic', 'manual'] as const;
export type MergeRule = (typeof MERGE_RULES)[number];

export const SUGGESTION_STATUSES = ['open', 'merged', 'kept-apart'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

export const TIMELINE_KINDS = ['event', 'order', 'ticket', 'feedback', 'followup', 'subscription', 'contact', 'record'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface CustomerSummary {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** How many source profiles make up this customer. */
  profiles: number;
  updatedAt: string;
}

export interface CustomerPage {
  customers: CustomerSummary[];
  nextCursor: string | null;
}

/** Why two profiles are (or may be) one person. */
export interface Evidence {
  summary: string;
  /** Identifiers both sides hold (deterministic rules). */
  identifiers?: { kind: string; value: string }[];
  /** Field-by-field comparison (probabilistic rule): a label and a weight (log₂ Bayes factor) per field. */
  fields?: { field: string; level: string; label: string; weight: number }[];
  /** The two leaves compared. */
  pair?: [string, string];
  /** What stopped an automatic merge. */
  blockedBy?: string;
}

export interface MergeView {
  id: string;
  survivorId: string;
  absorbedId: string;
  rule: MergeRule;
  score: number | null;
  evidence: Evidence;
  /** 'system' for automatic resolution, otherwise the id of the person who acted. */
  actor: string;
  createdAt: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

export interface IdentityView {
  kind: IdentifierKind;
  value: string;
  profileId: string;
  source: string;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Why this identifier no longer counts as evidence (seen on several people), or null. */
  shared: string | null;
}

export interface TraitView {
  key: string;
  value: unknown;
  source: string;
  observedAt: string;
  profileId: string;
  /** The newest value of this trait across the customer's sources. */
  current: boolean;
}

export interface TimelineItem {
  id: string;
  kind: TimelineKind;
  at: string;
  title: string;
  source: string;
  data: unknown;
}

export interface TimelinePage {
  items: TimelineItem[];
  nextCursor: string | null;
}

export interface CustomerView extends CustomerSummary {
  /** The id asked for: a profile merged into this customer resolves to it. */
  requestedId: string;
  createdAt: string;
  leaves: { id: string; parentId: string | null; createdAt: string }[];
  identities: IdentityView[];
  traits: TraitView[];
  accounts: { id: string; source: string; name: string | null }[];
  merges: MergeView[];
  openSuggestions: number;
  timeline: TimelinePage;
}

export interface SuggestionSide {
  profileId: string;
  customerId: string;
  name: string | null;
  features: Record<string, string | null>;
  identities: { kind: string; value: string; source: string }[];
}

export interface Suggestion {
  id: string;
  reason: 'probabilistic' | 'conflicting-ids';
  score: number | null;
  evidence: Evidence;
  status: SuggestionStatus;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  a: SuggestionSide;
  b: SuggestionSide;
}

export interface SuggestionPage {
  suggestions: Suggestion[];
  nextCursor: string | null;
}

const ws = (id: string) => `/api/workspaces/${encodeURIComponent(id)}/customers`;
const enc = encodeURIComponent;

export const customersApi = {
  /** Customers, most recently changed first (paged with `before`), or those matching `search` (one page). */
  list: (workspaceId: string, opts: { search?: string; limit?: number; before?: string | null; signal?: AbortSignal } = {}) =>
    request<CustomerPage>('GET', ws(workspaceId), {
      query: { search: opts.search, limit: opts.limit ?? 50, before: opts.before },
      signal: opts.signal,
    }),
  get: (workspaceId: string, customerId: string) => request<CustomerView>('GET', `${ws(workspaceId)}/${enc(customerId)}`),
  timeline: (workspaceId: string, customerId: string, opts: { before?: string | null; limit?: number } = {}) =>
    request<TimelinePage>('GET', `${ws(workspaceId)}/${enc(customerId)}/timeline`, {
      query: { before: opts.before, limit: opts.limit ?? 50 },
    }),
  mergeWith: (workspaceId: string, customerId: string, input: { with: string; note?: string }) =>
    request<{ mergeId: string; customerId: string }>('POST', `${ws(workspaceId)}/${enc(customerId)}/merge`, { body: input }),

  suggestions: (workspaceId: string, opts: { status?: SuggestionStatus; limit?: number; before?: string | null } = {}) =>
    request<SuggestionPage>('GET', `${ws(workspaceId)}/suggestions`, {
      query: { status: opts.status ?? 'open', limit: opts.limit ?? 25, before: opts.before },
    }),
  decide: (workspaceId: string, suggestionId: string, decision: 'merge' | 'keep-apart') =>
    request<{ suggestion: Suggestion }>('POST', `${ws(workspaceId)}/suggestions/${enc(suggestionId)}/${decision}`),
  undoMerge: (workspaceId: string, mergeId: string) =>
    request<{ survivorId: string; restoredId: string }>('POST', `${ws(workspaceId)}/merges/${enc(mergeId)}/undo`),
};

/** Query keys: everything about customers of a workspace sits under ['customers', workspaceId]. */
export const customerKeys = {
  all: (workspaceId: string) => ['customers', workspaceId] as const,
  list: (workspaceId: string, search: string) => ['customers', workspaceId, 'list', search] as const,
  one: (workspaceId: string, customerId: string) => ['customers', workspaceId, 'one', customerId] as const,
  timeline: (workspaceId: string, customerId: string) => ['customers', workspaceId, 'timeline', customerId] as const,
  queue: (workspaceId: string, status: SuggestionStatus) => ['customers', workspaceId, 'suggestions', status] as const,
  queueCount: (workspaceId: string) => ['customers', workspaceId, 'suggestions', 'count'] as const,
};
