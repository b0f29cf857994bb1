import type { Role } from './roles.js';

/** Who is calling: a logged-in person (cookie session) or a secret API key. */
export type Principal =
  | { type: 'user'; userId: string; email: string; name: string; sessionId: string; csrfToken: string }
  | { type: 'key'; keyId: string; workspaceId: string; role: Role; name: string };

/** Who did something, as the audit log records it. */
export interface Actor {
  type: 'user' | 'key' | 'system';
  id: string | null;
  label: string;
}

export function actorOf(principal: Principal): Actor {
  return principal.type === 'user'
    ? { type: 'user', id: principal.userId, label: principal.email }
    : { type: 'key', id: principal.keyId, label: `key ${principal.name}` };
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, label: 'system' };
