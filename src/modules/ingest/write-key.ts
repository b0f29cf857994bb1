/**
 * Who is sending: a workspace write key, as the username of HTTP Basic auth (password
 * empty), as Segment's SDKs send it, or as `writeKey` in the body. Secret keys are refused:
 * they belong on the REST API, never in a browser or an app.
 */
import { AppError } from '../../platform/errors.js';
import { resolveKey, type ResolvedKey } from '../workspaces/index.js';
import type { IngestDeps } from './deps.js';

/** As many characters as the key list shows, so an error can name the key without leaking it. */
const SHOWN_PREFIX_LENGTH = 12;

export interface WriteKey extends ResolvedKey {
  prefix: string;
}

/** The token from `Authorization: Basic base64(token:)`, if that is what was sent. */
export function basicAuthUser(header: string | undefined): string | undefined {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const user = decoded.split(':')[0]?.trim();
  return user ? user : undefined;
}

export function presentedWriteKey(header: string | undefined, body: unknown): string | undefined {
  const fromHeader = basicAuthUser(header);
  if (fromHeader) return fromHeader;
  if (body !== null && typeof body === 'object' && 'writeKey' in body) {
    const v = (body as { writeKey: unknown }).writeKey;
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

export async function authenticateWriteKey(deps: IngestDeps, token: string | undefined): Promise<WriteKey> {
  if (!token) {
    throw new AppError('INGEST_INVALID_WRITE_KEY', 'send a write key as the Basic auth username (empty password) or as writeKey in the body');
  }
  const key = await resolveKey(deps, token);
  if (!key || key.kind !== 'write') {
    throw new AppError('INGEST_INVALID_WRITE_KEY', 'the write key is unknown, revoked or not a write key');
  }
  return { ...key, prefix: token.slice(0, SHOWN_PREFIX_LENGTH) };
}
