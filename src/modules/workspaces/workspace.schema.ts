import { z } from 'zod';
import { ROLES } from './roles.js';

/** One zod schema per entity: the source of truth for API bodies and their types. */
export const ZRole = z.enum(ROLES);
export const ZEmail = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an e-mail address' }))
  .transform((e) => e.toLowerCase());
export const ZPassword = z.string().min(12, 'must be at least 12 characters').max(256);
const ZName = z.string().trim().min(1).max(120);
const ZIsoTime = z.string().describe('ISO-8601 time');

export const ZUser = z.object({ id: z.string(), email: z.string(), name: z.string() });
export const ZMembershipSummary = z.object({ workspaceId: z.string(), workspaceName: z.string(), role: ZRole });
export const ZSession = z.object({ user: ZUser, csrfToken: z.string(), memberships: z.array(ZMembershipSummary) });
export type SessionView = z.infer<typeof ZSession>;

export const ZLoginBody = z.strictObject({ email: ZEmail, password: z.string().min(1).max(256) });

export const ZWorkspace = z.object({ id: z.string(), name: z.string(), role: ZRole, createdAt: ZIsoTime });
export type WorkspaceView = z.infer<typeof ZWorkspace>;
export const ZWorkspaceCreate = z.strictObject({ name: ZName });
export const ZWorkspaceUpdate = ZWorkspaceCreate;

export const ZMember = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: ZRole,
  createdAt: ZIsoTime,
});
export type MemberView = z.infer<typeof ZMember>;
export const ZMemberCreate = z.strictObject({ email: ZEmail, name: ZName, password: ZPassword.optional(), role: ZRole });
export type MemberCreate = z.infer<typeof ZMemberCreate>;
export const ZMemberUpdate = z.strictObject({ role: ZRole });

export const KEY_KINDS = ['write', 'secret'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];
export const ZApiKey = z.object({
  id: z.string(),
  kind: z.enum(KEY_KINDS),
  name: z.string(),
  prefix: z.string(),
  role: ZRole,
  createdAt: ZIsoTime,
  lastUsedAt: ZIsoTime.nullable(),
  revokedAt: ZIsoTime.nullable(),
  createdBy: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof ZApiKey>;
export const ZApiKeyCreate = z.strictObject({
  kind: z.enum(KEY_KINDS),
  name: ZName,
  role: ZRole.optional().describe('for secret keys; defaults to admin, never above the creator'),
});
export type ApiKeyCreate = z.infer<typeof ZApiKeyCreate>;
export const ZApiKeyCreated = z.object({ key: ZApiKey, token: z.string().describe('shown once; store it now') });

export const ZAuditEntry = z.object({
  id: z.string(),
  at: ZIsoTime,
  actor: z.object({ type: z.string(), id: z.string().nullable(), label: z.string() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  details: z.unknown(),
});
export type AuditEntryView = z.infer<typeof ZAuditEntry>;
export const ZAuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.string().max(64).optional().describe('cursor from nextCursor'),
});

export const ZOverview = z.object({
  records: z.array(z.object({ source: z.string(), kind: z.string(), count: z.number() })),
  members: z.number(),
  keys: z.number().describe('active (unrevoked) API keys'),
});
