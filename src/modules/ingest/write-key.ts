/**
 * Who is sending: a workspace write key, as the username of HTTP Basic auth (password
 * empty), as Segment's SDKs send it, or as `writeKey` in the body. Secret keys are refused:
 * they belong on the REST API, never in a browser or an app.
 */
import { performance } from 'node:perf_hooks';
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

/**
 * Remembers write keys that resolved, for `ttlMs` of real (monotonic) time, so a busy sender
 * does not cost a key lookup per request. Only successes are remembered: a key created a
 * moment ago works at once, an unknown token is looked up every time. The price: a write key
 * revoked keeps being accepted for at most `ttlMs` afterwards, by each server process that
 * had just seen it (a deleted workspace's key too, though its events then fail to commit).
 */
export class WriteKeyCache {
  private readonly entries = new Map<string, { key: WriteKey; until: number }>();

  constructor(
    readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(token: string): WriteKey | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    if (this.now() < hit.until) return hit.key;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, key: WriteKey): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(token, { key, until: this.now() + this.ttlMs });
  }
}

export async function authenticateWriteKey(deps: IngestDeps, token: string | undefined, cache?: WriteKeyCache): Promise<WriteKey> {
  if (!token) {
    throw new AppError('INGEST_INVALID_WRITE_KEY', 'send a write key as the Basic auth username (empty password) or as writeKey in the body');
  }
  const cached = cache?.get(token);
  if (cached) return cached;
  const key = await resolveKey(deps, token);
  if (!key || key.kind !== 'write') {
    throw new AppError('INGEST_INVALID_WRITE_KEY', 'the write key is unknown, revoked or not a write key');
  }
  const writeKey: WriteKey = { ...key, prefix: token.slice(0, SHOWN_PREFIX_LENGTH) };
  cache?.set(token, writeKey);
  return writeKey;
}
