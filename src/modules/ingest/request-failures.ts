/**
 * Whole-request failures on the Sources page: a body that is not JSON, not gzip, too large,
 * in an unknown encoding, or not a batch. Such a request never reaches the per-message
 * validation that records refused messages, so it is recorded here, from the tracking
 * routes' onError hook: nothing runs for requests that succeed.
 *
 * Only for a write key that resolves (from Basic auth, or from the body when it could be
 * read): a stranger with no key, or a wrong one, costs no write at all. A known key can
 * still be abused (write keys are public, in web pages), so each process records at most
 * `perWindow` such failures per workspace per window; the rest are only answered. Rows go
 * through the group-commit writer, which keeps the newest `LIMITS.recentErrors` per workspace.
 */
import type { FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import { isAppError, type ErrorCode } from '../../platform/errors.js';
import type { IngestDeps } from './deps.js';
import { recordedFailures } from './ingest.service.js';
import { authenticateWriteKey, presentedWriteKey, type WriteKeyCache } from './write-key.js';
import type { EventWriter } from './writer.js';

/** The codes of a request refused as a whole (a 401, 429 or 500 is never recorded). */
const RECORDED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'MALFORMED_JSON',
  'INGEST_PAYLOAD_TOO_LARGE',
  'INGEST_MESSAGE_TOO_LARGE',
  'INGEST_INVALID_MESSAGE',
  'INGEST_UNSUPPORTED_ENCODING',
]);

/** At most `perWindow` recordings per workspace per `windowMs` of (monotonic) time, per process. */
export class FailureBudget {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    readonly perWindow = 20,
    readonly windowMs = 60_000,
    private readonly maxWorkspaces = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(workspaceId: string): boolean {
    const now = this.now();
    let w = this.windows.get(workspaceId);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.windows.size >= this.maxWorkspaces) this.windows.clear();
      w = { start: now, used: 0 };
      this.windows.set(workspaceId, w);
    }
    if (w.used >= this.perWindow) return false;
    w.used++;
    return true;
  }
}

export interface FailureRecorder {
  record(request: FastifyRequest, error: unknown): Promise<void>;
}

export function requestFailureRecorder(deps: IngestDeps, writer: EventWriter, keys: WriteKeyCache, budget = new FailureBudget()): FailureRecorder {
  return {
    async record(request, error) {
      if (!isAppError(error) || !RECORDED.has(error.code) || recordedFailures.has(error)) return;
      const token = presentedWriteKey(request.headers.authorization, request.body);
      if (!token) return;
      let key;
      try {
        key = await authenticateWriteKey(deps, token, keys);
      } catch {
        return;
      }
      if (!budget.take(key.workspaceId)) return;
      const endpoint = /\/v1\/([a-z]+)$/.exec(request.routeOptions.url ?? '')?.[1] ?? null;
      try {
        await writer.write({
          events: [],
          errors: [
            {
              workspace_id: key.workspaceId,
              at: deps.clock.now(),
              type: endpoint,
              message_id: null,
              code: error.code,
              message: `the whole request was refused: ${error.message}`.slice(0, 500),
              key_prefix: key.prefix,
            },
          ],
        });
      } catch (err) {
        // The sender gets its 4xx regardless; a failure to record is only worth a log line.
        request.log.warn({ err }, 'could not record a refused tracking request');
      }
    },
  };
}
