/**
 * Reading, preparing and encoding chunks of a file on worker threads (parsing and phone
 * numbers are the costly part), with the results handed back in submission order. With no
 * workers, or where the compiled worker is missing (tests running the sources), it works
 * inline.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../platform/errors.js';
import { readChunk, type ChunkSpec } from './chunk.js';
import { ChunkEncoder, type EncodedChunk } from './codec.js';
import { prepare, type PrepareOptions } from './prepare.js';

/**
 * Heap limits for a worker: a chunk (about 1 MB of file) needs about 15 MB, and without
 * limits V8 lets each worker's heap grow several times past that before collecting.
 * Tighter limits cost about a tenth more CPU and save about 40 MB a worker.
 */
const YOUNG_MB = 8;
const OLD_MB = 64;

export interface PreparePool {
  /** Queue whole records (bytes) starting on file line `firstLine`. */
  submit(bytes: Uint8Array, firstLine: number): Promise<EncodedChunk>;
  /** Hand a chunk's bytes back once used: its worker encodes a later chunk into them (less garbage, steadier memory). */
  release(chunk: EncodedChunk): void;
  readonly workers: number;
  close(): Promise<void>;
}

export function createPreparePool(spec: ChunkSpec, options: PrepareOptions, partitions: number, workers?: number): PreparePool {
  const entry = new URL('./prepare-worker.js', import.meta.url);
  const count = workers ?? availableParallelism();
  if (count <= 0 || !existsSync(fileURLToPath(entry))) {
    const decoder = new TextDecoder();
    const encoder = new ChunkEncoder(partitions);
    return {
      workers: 0,
      submit: async (bytes, firstLine) => {
        const rows = readChunk(decoder.decode(bytes), spec, firstLine);
        return encoder.encode(
          rows.people.map((p) => prepare(p, options)),
          rows.ids,
        );
      },
      release: (chunk) => encoder.reuse(chunk.bytes.buffer as ArrayBuffer),
      close: async () => {},
    };
  }
  const pool = Array.from({ length: count }, () => new Worker(entry, { workerData: { spec, options, partitions }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB } }));
  const producedBy = new WeakMap<ArrayBufferLike, Worker>();
  const waiting = new Map<number, { resolve: (c: EncodedChunk) => void; reject: (e: unknown) => void }>();
  let next = 0;
  for (const w of pool) {
    w.on('message', (msg: { id: number; chunk?: EncodedChunk; error?: string }) => {
      const job = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (!job) return;
      if (msg.error !== undefined || !msg.chunk) job.reject(new AppError('DEDUPE_INPUT_INVALID', msg.error ?? 'a worker failed'));
      else {
        producedBy.set(msg.chunk.bytes.buffer, w);
        job.resolve(msg.chunk);
      }
    });
    w.on('error', (e) => {
      for (const job of waiting.values()) job.reject(e);
      waiting.clear();
    });
  }
  return {
    workers: count,
    submit(bytes, firstLine) {
      const id = next++;
      return new Promise<EncodedChunk>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        (pool[id % count] as Worker).postMessage({ id, bytes, firstLine }, [bytes.buffer as ArrayBuffer]);
      });
    },
    release(chunk) {
      const buffer = chunk.bytes.buffer as ArrayBuffer;
      const w = producedBy.get(buffer);
      producedBy.delete(buffer);
      w?.postMessage({ reuse: buffer }, [buffer]);
    },
    async close() {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
