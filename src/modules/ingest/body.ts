/**
 * Reads a tracking request's body: at most `limit` bytes on the wire, gunzipped (when
 * `Content-Encoding: gzip`) to at most `limit` bytes, so a zip bomb is a 413 and never
 * an exhausted heap. Then JSON, then the sanitizing walk.
 */
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import { AppError } from '../../platform/errors.js';
import { sanitize } from './sanitize.js';

const tooLarge = (limit: number) =>
  new AppError('INGEST_PAYLOAD_TOO_LARGE', `the request body is over ${Math.round(limit / 1024)} KB`, { limitBytes: limit });

async function readRaw(stream: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(stream.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    stream.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      stream.resume();
      throw tooLarge(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

function gunzipCapped(data: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(data, { maxOutputLength: limit }, (err, out) => {
      if (!err) return resolve(out);
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return reject(tooLarge(limit));
      reject(new AppError('MALFORMED_JSON', 'the body is not valid gzip'));
    });
  });
}

export async function readTrackingBody(stream: IncomingMessage, limit: number, maxDepth: number): Promise<unknown> {
  const encoding = String(stream.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== '') {
    stream.resume();
    throw new AppError('INGEST_UNSUPPORTED_ENCODING', `Content-Encoding ${encoding} is not supported; send gzip or nothing`);
  }
  const raw = await readRaw(stream, limit);
  const text = (encoding === 'gzip' ? await gunzipCapped(raw, limit) : raw).toString('utf8');
  if (text.trim() === '') throw new AppError('MALFORMED_JSON', 'the body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('MALFORMED_JSON', 'the body is not valid JSON');
  }
  const clean = sanitize(value, maxDepth);
  if (!clean.ok) throw new AppError('INGEST_INVALID_MESSAGE', `the body is ${clean.reason}`);
  if (clean.value === null || typeof clean.value !== 'object' || Array.isArray(clean.value)) {
    throw new AppError('INGEST_INVALID_MESSAGE', 'the body must be a JSON object');
  }
  return clean.value;
}
