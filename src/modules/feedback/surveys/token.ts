/**
 * Survey tokens: who may answer which survey, signed so that nobody can answer for someone
 * else. A token is `v1.<payload>.<mac>`: the payload (base64url JSON) names the workspace,
 * survey, delivery, respondent, channel and expiry; the mac is HMAC-SHA256 over it with the
 * workspace's signing key, cut to 128 bits. Stateless to check; the delivery id is the key of
 * the response, so the same token answering again edits its answer.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.js';
import { readSetting, toJson, type Database } from '../../../store/index.js';
import { CHANNELS, ZRespondent, type Channel, type Respondent } from './survey.schema.js';

const ZPayload = z.object({
  w: z.string().min(1),
  s: z.string().min(1),
  d: z.string().min(1),
  r: ZRespondent,
  c: z.enum(CHANNELS),
  /** Expiry, seconds since the epoch. */
  x: z.number().int(),
});

export interface TokenClaims {
  workspaceId: string;
  surveyId: string;
  deliveryId: string;
  respondent: Respondent;
  channel: Channel;
  expiresAt: number;
}

const MAC_BYTES = 16;
const KEY_SETTING = 'feedback.signingKey';

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);
}

export function signToken(key: Buffer, claims: TokenClaims): string {
  const payload = Buffer.from(
    JSON.stringify({ w: claims.workspaceId, s: claims.surveyId, d: claims.deliveryId, r: claims.respondent, c: claims.channel, x: Math.floor(claims.expiresAt / 1000) }),
  ).toString('base64url');
  return `v1.${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The workspace a token claims to be for, before its signature is checked (to find the key). */
export function claimedWorkspace(token: string): string {
  return readPayload(token).w;
}

function readPayload(token: string): z.infer<typeof ZPayload> {
  const [version, payload, signature] = token.split('.');
  if (version !== 'v1' || !payload || !signature || token.length > 2000) throw new AppError('SURVEY_TOKEN_INVALID', 'this survey link is not valid');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('SURVEY_TOKEN_INVALID', 'this survey link is not valid');
  }
  const parsed = ZPayload.safeParse(json);
  if (!parsed.success) throw new AppError('SURVEY_TOKEN_INVALID', 'this survey link is not valid');
  return parsed.data;
}

/** Check a token's signature, survey and expiry; the claims it makes when all hold. */
export function verifyToken(key: Buffer, token: string, surveyId: string, now: number): TokenClaims {
  const p = readPayload(token);
  const [, payload, signature] = token.split('.') as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('SURVEY_TOKEN_INVALID', 'this survey link is not valid');
  if (p.s !== surveyId) throw new AppError('SURVEY_TOKEN_INVALID', 'this link is for another survey');
  if (p.x * 1000 <= now) throw new AppError('SURVEY_TOKEN_EXPIRED', 'this survey link has expired');
  return { workspaceId: p.w, surveyId: p.s, deliveryId: p.d, respondent: p.r, channel: p.c, expiresAt: p.x * 1000 };
}

/**
 * Each workspace's signing key, made once (the first process to ask creates it; any other
 * keeps the one that won) and kept in memory: keys never change, so the cache never goes stale.
 */
export class SigningKeys {
  private readonly keys = new Map<string, Promise<Buffer>>();

  constructor(private readonly db: Kysely<Database>) {}

  of(workspaceId: string, now: number): Promise<Buffer> {
    let key = this.keys.get(workspaceId);
    if (!key) {
      key = this.load(workspaceId, now);
      key.catch(() => this.keys.delete(workspaceId));
      this.keys.set(workspaceId, key);
    }
    return key;
  }

  private async load(workspaceId: string, now: number): Promise<Buffer> {
    // An object, not a bare string: JSONB would hand a bare string back unquoted.
    const fresh = toJson({ key: randomBytes(32).toString('base64url') });
    await this.db
      .insertInto('workspace_settings')
      .values({ workspace_id: workspaceId, key: KEY_SETTING, value: fresh, updated_at: now })
      .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
      .execute();
    const stored = await readSetting<{ key: string }>(this.db, workspaceId, KEY_SETTING);
    if (typeof stored?.key !== 'string') throw new Error('the survey signing key is missing');
    return Buffer.from(stored.key, 'base64url');
  }
}
