/**
 * The tracking API's use case: validate each message, correct its clock, hand the good
 * ones to the group-commit writer, and say which were refused and why.
 */
import { randomUUID } from 'node:crypto';
import { AppError, type ErrorCode } from '../../platform/errors.js';
import { toJson } from '../../store/index.js';
import { LIMITS } from './limits.js';
import { describeIssues, ZMessage, type Message, type MessageType } from './message.schema.js';
import { nestsDeeperThan } from './sanitize.js';
import { correctedTimestamp, parseTime } from './skew.js';
import type { PendingEvent, EventWriter, WriteRequest } from './writer.js';
import type { WriteKey } from './write-key.js';

export interface Rejection {
  index: number;
  messageId: string | null;
  code: ErrorCode;
  reason: string;
}

export interface IngestResult {
  success: true;
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
}

/**
 * Errors thrown after the request's messages were recorded one by one in `ingest_errors`
 * (every message refused): the whole-request recording must not record them again.
 */
export const recordedFailures = new WeakSet<Error>();

/** What applies to every message of a request. */
export interface Envelope {
  receivedAt: number;
  sentAt: number | null;
  context: Record<string, unknown> | null;
  integrations: Record<string, unknown> | null;
}

type Checked = { ok: true; event: PendingEvent } | { ok: false; rejection: Rejection; type: string | null };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const stringOrNull = (v: unknown): string | null => (typeof v === 'string' ? v.slice(0, 200) : null);

/** The batch's object overlaid with the message's, as JSON; most messages bring no integrations at all. */
const mergedJson = (batch: Record<string, unknown> | null, own: Record<string, unknown> | null | undefined): string =>
  batch === null && (own === null || own === undefined) ? '{}' : toJson({ ...batch, ...own });

function nameOf(m: Message): string | null {
  if (m.type === 'track') return m.event;
  if (m.type === 'page' || m.type === 'screen') return m.name ?? null;
  return null;
}

function payloadOf(m: Message): { properties: unknown; traits: unknown } {
  switch (m.type) {
    case 'track':
    case 'screen':
      return { properties: m.properties ?? {}, traits: null };
    case 'page':
      return { properties: m.category ? { category: m.category, ...m.properties } : (m.properties ?? {}), traits: null };
    case 'identify':
    case 'group':
      return { properties: null, traits: m.traits ?? {} };
    case 'alias':
      return { properties: null, traits: null };
  }
}

function check(raw: unknown, index: number, key: WriteKey, env: Envelope, forcedType: MessageType | undefined): Checked {
  const messageId = isObject(raw) ? stringOrNull(raw.messageId) : null;
  const type = isObject(raw) ? stringOrNull(forcedType ?? raw.type) : null;
  const reject = (code: ErrorCode, reason: string): Checked => ({ ok: false, rejection: { index, messageId, code, reason }, type });
  if (!isObject(raw)) return reject('INGEST_INVALID_MESSAGE', 'a message must be a JSON object');
  const bytes = Buffer.byteLength(JSON.stringify(raw));
  if (bytes > LIMITS.messageBytes) {
    return reject('INGEST_MESSAGE_TOO_LARGE', `the message is ${Math.ceil(bytes / 1024)} KB; the limit is ${LIMITS.messageBytes / 1024} KB`);
  }
  if (nestsDeeperThan(raw, LIMITS.maxDepth)) return reject('INGEST_INVALID_MESSAGE', `the message is nested deeper than ${LIMITS.maxDepth} levels`);
  const parsed = ZMessage.safeParse(forcedType ? { ...raw, type: forcedType } : raw);
  if (!parsed.success) return reject('INGEST_INVALID_MESSAGE', describeIssues(parsed.error));
  const m = parsed.data;
  const originalTimestamp = parseTime(m.timestamp ?? m.originalTimestamp);
  const sentAt = parseTime(m.sentAt) ?? env.sentAt;
  const { properties, traits } = payloadOf(m);
  return {
    ok: true,
    event: {
      workspace_id: key.workspaceId,
      // Generated when the sender gave none; such a message cannot be deduplicated on retry.
      message_id: m.messageId ?? randomUUID(),
      type: m.type,
      name: nameOf(m),
      user_id: m.userId ?? null,
      anonymous_id: m.anonymousId ?? null,
      group_id: m.type === 'group' ? m.groupId : null,
      previous_id: m.type === 'alias' ? m.previousId : null,
      profile_id: null,
      source: key.keyId,
      properties: properties === null ? null : toJson(properties),
      traits: traits === null ? null : toJson(traits),
      context: mergedJson(env.context, m.context),
      integrations: mergedJson(env.integrations, m.integrations),
      timestamp: correctedTimestamp({ originalTimestamp, sentAt, receivedAt: env.receivedAt }),
      original_timestamp: originalTimestamp,
      sent_at: sentAt,
      received_at: env.receivedAt,
    },
  };
}

/**
 * Ingest the messages of one request. `forcedType` is the endpoint's type (/v1/track …);
 * absent for /v1/batch, where each message names its own. A request whose every message is
 * refused fails as a whole (with the reasons); otherwise the good messages are stored.
 */
export async function ingestMessages(
  writer: EventWriter,
  key: WriteKey,
  env: Envelope,
  messages: readonly unknown[],
  forcedType?: MessageType,
): Promise<IngestResult> {
  const request: WriteRequest = { events: [], errors: [] };
  const rejected: Rejection[] = [];
  messages.forEach((raw, index) => {
    const checked = check(raw, index, key, env, forcedType);
    if (checked.ok) {
      request.events.push(checked.event);
      return;
    }
    rejected.push(checked.rejection);
    request.errors.push({
      workspace_id: key.workspaceId,
      at: env.receivedAt,
      type: checked.type,
      message_id: checked.rejection.messageId,
      code: checked.rejection.code,
      message: checked.rejection.reason.slice(0, 500),
      key_prefix: key.prefix,
    });
  });
  const outcome =
    request.events.length || request.errors.length ? await writer.write(request) : { stored: [], duplicates: [] };
  if (request.events.length === 0 && rejected.length > 0) {
    const first = rejected[0] as Rejection;
    const reason = forcedType ? first.reason : `no message in the batch was valid; first: ${first.reason}`;
    const error = new AppError(forcedType ? first.code : 'INGEST_INVALID_MESSAGE', reason, { rejected });
    recordedFailures.add(error);
    throw error;
  }
  return { success: true, accepted: outcome.stored.length, duplicates: outcome.duplicates.length, rejected };
}
