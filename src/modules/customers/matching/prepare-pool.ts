/**
 * Reading and preparing chunks of a file on worker threads (parsing and phone numbers are
 * the costly part), with the results handed back in submission order. With no workers,
 * or where the compiled worker is missing (tests running the sources), it works inline.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../platform/errors.js';
import { readChunk, type ChunkSpec } from './chunk.js';
import { Decoder, type EncodedBatch } from './codec.js';
import { prepare, type Prepared, type PrepareOptions } from './prepare.js';

/** A larger young generation: each batch makes much short-lived garbage, and fewer scavenges cost less. */
const YOUNG_MB = 64;

export interface PreparedChunk {
  ids: string[] | undefined;
  prepared: Prepared[];
}

export interface PreparePool {
  /** Queue whole records (bytes) starting on file line `firstLine`. */
  submit(bytes: Uint8Array, firstLine: number): Promise<PreparedChunk>;
  close(): Promise<void>;
}

export function createPreparePool(spec: ChunkSpec, options: PrepareOptions, workers?: number): PreparePool {
  const entry = new URL('./prepare-worker.js', import.meta.url);
  const count = workers ?? availableParallelism();
  if (count <= 0 || !existsSync(fileURLToPath(entry))) {
    const decoder = new TextDecoder();
    return {
      submit: async (bytes, firstLine) => {
        const rows = readChunk(decoder.decode(bytes), spec, firstLine);
        return { ids: rows.ids, prepared: rows.people.map((p) => prepare(p, options)) };
      },
      close: async () => {},
    };
  }
  const pool = Array.from({ length: count }, () => new Worker(entry, { workerData: { spec, options }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } }));
  const decoders = pool.map(() => new Decoder());
  const waiting = new Map<number, { resolve: (c: PreparedChunk) => void; reject: (e: unknown) => void }>();
  let next = 0;
  pool.forEach((w, k) => {
    w.on('message', (msg: { id: number; ids?: string[]; batch?: EncodedBatch; error?: string }) => {
      const job = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (!job) return;
      if (msg.error !== undefined || !msg.batch) job.reject(new AppError('DEDUPE_INPUT_INVALID', msg.error ?? 'a worker failed'));
      else job.resolve({ ids: msg.ids, prepared: (decoders[k] as Decoder).decode(msg.batch) });
    });
    w.on('error', (e) => {
      for (const job of waiting.values()) job.reject(e);
      waiting.clear();
    });
  });
  return {
    submit(bytes, firstLine) {
      const id = next++;
      return new Promise<PreparedChunk>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        // Batches go round-robin: each worker's dictionary then sees its own batches in order.
        (pool[id % count] as Worker).postMessage({ id, bytes, firstLine }, [bytes.buffer as ArrayBuffer]);
      });
    },
    async close() {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
