/**
 * One outbound POST with hard limits, for webhook and Slack targets:
 * - one deadline for everything (DNS, connect, TLS, headers, body): the request is aborted at it;
 * - the answer's body is read up to `maxResponseBytes`, then the connection is dropped;
 * - redirects are not followed (a 3xx is an answer like any other);
 * - when private targets are refused, the address a name resolves to is checked before connecting,
 *   so DNS cannot point a public-looking name at the internal network.
 * Connections are kept alive and reused (one pool per protocol and private-address policy, so a
 * connection opened where private targets were allowed never serves a call where they are not):
 * a connection costs more than the POST it carries. The address check happens when a connection
 * is opened, which is when the name is resolved.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from './target-url.js';

export interface PostLimits {
  timeoutMs: number;
  maxResponseBytes: number;
  allowPrivateTargets: boolean;
}

export interface PostResult {
  status: number;
  /** The start of the body (at most maxResponseBytes), as text. */
  body: string;
  /** Bytes of the body read. */
  bytes: number;
  /** The body was longer and was cut off. */
  truncated: boolean;
  /** From a Retry-After header, in ms. */
  retryAfterMs: number | undefined;
}

/** A delivery that got no HTTP answer. The message names no URL, credential or secret. */
export class PostError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'network' | 'refused',
  ) {
    super(message);
    this.name = 'PostError';
  }
}

/** A DNS lookup that refuses names resolving to a non-public address. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      if (!allowPrivate) {
        const bad = addresses.find((a) => isPrivateAddress(a.address));
        if (bad) return callback(Object.assign(new Error(`the host resolves to a private address (${bad.address})`), { code: 'EPRIVATE' }), '', 4);
      }
      if ((options as LookupOptions).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error('the host has no address'), { code: 'ENOTFOUND' }), '', 4);
      return callback(null, first.address, first.family);
    });
  };
}

export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d{1,9}$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Idle connections close after this, before a receiver's own keep-alive timeout (5 s for Node) closes them under a request. */
const IDLE_SOCKET_MS = 4000;
const agents = new Map<string, HttpAgent>();
const lookups = { private: guardedLookup(true), public: guardedLookup(false) };
const lookupFor = (allowPrivate: boolean) => (allowPrivate ? lookups.private : lookups.public);

function agentFor(https: boolean, allowPrivate: boolean): HttpAgent {
  const key = `${https ? 'https' : 'http'}:${allowPrivate}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 32, maxFreeSockets: 32, timeout: IDLE_SOCKET_MS, lookup: lookupFor(allowPrivate) };
    agent = https ? new HttpsAgent(options) : new HttpAgent(options);
    agents.set(key, agent);
  }
  return agent;
}

const errorCode = (e: unknown): string | undefined => (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined);

export function postJson(url: string, body: string, headers: Record<string, string>, limits: PostLimits): Promise<PostResult> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!limits.allowPrivateTargets && isIP(host) && isPrivateAddress(host)) {
    return Promise.reject(new PostError(`refused: ${host} is a private address`, 'refused'));
  }
  const https = u.protocol === 'https:';
  const request = https ? httpsRequest : httpRequest;
  return new Promise<PostResult>((resolve, reject) => {
    let settled = false;
    // The deadline destroys the request; a plain flag says why it ended. (An AbortSignal per
    // request did the same at a measurable cost: thousands of webhooks a second.)
    let timedOut = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
      finish(() => reject(timeoutError(limits.timeoutMs)));
    }, limits.timeoutMs);
    const req = request(
      u,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        agent: agentFor(https, limits.allowPrivateTargets),
        lookup: lookupFor(limits.allowPrivateTargets),
        maxHeaderSize: 16 * 1024,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const done = () =>
          finish(() =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              bytes: size,
              truncated,
              retryAfterMs: retryAfterMs(res.headers['retry-after'], Date.now()),
            }),
          );
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = limits.maxResponseBytes - size;
          if (chunk.length >= room) {
            chunks.push(chunk.subarray(0, room));
            size += room;
            truncated = chunk.length > room || res.readableLength > 0 || !res.complete;
            // Enough: drop the rest, and the connection with it.
            res.destroy();
            done();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', done);
        res.on('error', (error) => {
          // A body cut off by our own limit is not an error; anything else after headers is.
          if (truncated) return;
          finish(() => reject(timedOut ? timeoutError(limits.timeoutMs) : new PostError(`network: ${errorCode(error) ?? error.message}`, 'network')));
        });
        // Closed before 'end' (and not by our own cut-off, which settled already): the answer is incomplete.
        res.on('close', () => finish(() => reject(timedOut ? timeoutError(limits.timeoutMs) : new PostError('network: the connection closed before the answer was complete', 'network'))));
      },
    );
    req.on('error', (error) => {
      if (timedOut) return finish(() => reject(timeoutError(limits.timeoutMs)));
      const code = errorCode(error);
      if (code === 'EPRIVATE') return finish(() => reject(new PostError(`refused: ${error.message}`, 'refused')));
      finish(() => reject(new PostError(`network: ${code ? `${code} ` : ''}${error.message}`.slice(0, 300), 'network')));
    });
    req.end(body);
  });
}

const timeoutError = (ms: number) => new PostError(`timeout: no complete answer within ${ms} ms`, 'timeout');
