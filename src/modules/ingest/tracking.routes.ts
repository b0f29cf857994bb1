/**
 * The Segment-compatible tracking API: POST /v1/{identify,track,page,screen,group,alias,batch}.
 * Public routes that check the write key themselves. Bodies are read by our own parser
 * (any content type, since analytics.js beacons send text/plain; gzip with a hard cap).
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { readTrackingBody } from './body.js';
import type { IngestDeps } from './deps.js';
import { ingestMessages, type Envelope } from './ingest.service.js';
import { LIMITS } from './limits.js';
import { describeIssues, MESSAGE_TYPES, ZBatchEnvelope } from './message.schema.js';
import { requestFailureRecorder } from './request-failures.js';
import { parseTime } from './skew.js';
import { authenticateWriteKey, basicAuthUser, presentedWriteKey, WriteKeyCache } from './write-key.js';
import type { EventWriter } from './writer.js';

export interface RateLimitOptions {
  /** Requests per write key (or per address, when the key is in the body) per window. */
  max: number;
  windowMs: number;
}

const ZIngestResponse = z.object({
  success: z.literal(true),
  accepted: z.number().describe('messages newly stored'),
  duplicates: z.number().describe('messages already stored by an earlier request with the same messageId'),
  rejected: z.array(z.object({ index: z.number(), messageId: z.string().nullable(), code: z.string(), reason: z.string() })),
});

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  if (!isObject(request.body)) throw new AppError('MALFORMED_JSON', 'the body must be a JSON object');
  return request.body;
}

export const trackingRoutes =
  (deps: IngestDeps, writer: EventWriter, rateLimit: RateLimitOptions): FastifyPluginAsyncZod =>
  async (app) => {
    // Write keys are looked up at most every 5 s per key: a revoked key stops working within 5 s.
    const keys = new WriteKeyCache(5_000);
    // Requests refused as a whole (unreadable body, too large …) show on the Sources page too.
    const failures = requestFailureRecorder(deps, writer, keys);
    app.addHook('onError', async (request, _reply, error) => failures.record(request, error));
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (request: FastifyRequest) => readTrackingBody(request.raw, LIMITS.requestBytes, LIMITS.bodyDepth));

    const config = {
      auth: 'public' as const,
      rateLimit: {
        max: rateLimit.max,
        timeWindow: rateLimit.windowMs,
        keyGenerator: (request: FastifyRequest) => basicAuthUser(request.headers.authorization) ?? `ip:${request.ip}`,
      },
    };
    const envelope = (body: Record<string, unknown>, receivedAt: number): Envelope => ({
      receivedAt,
      sentAt: typeof body.sentAt === 'string' ? parseTime(body.sentAt) : null,
      context: null,
      integrations: null,
    });

    for (const type of MESSAGE_TYPES) {
      app.post(
        `/v1/${type}`,
        {
          schema: { tags: ['tracking'], summary: `Send one ${type} message (Segment spec)`, response: { 200: ZIngestResponse } },
          config,
        },
        async (request) => {
          const body = bodyOf(request);
          const key = await authenticateWriteKey(deps, presentedWriteKey(request.headers.authorization, body), keys);
          return ingestMessages(writer, key, envelope(body, deps.clock.now()), [body], type);
        },
      );
    }

    app.post(
      '/v1/batch',
      {
        schema: { tags: ['tracking'], summary: 'Send up to 500 KB of messages; bad ones are reported, good ones kept', response: { 200: ZIngestResponse } },
        config,
      },
      async (request) => {
        const body = bodyOf(request);
        const key = await authenticateWriteKey(deps, presentedWriteKey(request.headers.authorization, body), keys);
        const parsed = ZBatchEnvelope.safeParse(body);
        if (!parsed.success) throw new AppError('INGEST_INVALID_MESSAGE', describeIssues(parsed.error));
        const env: Envelope = {
          receivedAt: deps.clock.now(),
          sentAt: parseTime(parsed.data.sentAt),
          context: parsed.data.context ?? null,
          integrations: parsed.data.integrations ?? null,
        };
        return ingestMessages(writer, key, env, parsed.data.batch);
      },
    );
  };
