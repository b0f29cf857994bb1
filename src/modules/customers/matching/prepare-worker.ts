/** A worker thread for prepare-pool.ts: reads a chunk of a file and prepares its records. */
import { parentPort, workerData } from 'node:worker_threads';
import { readChunk, type ChunkSpec } from './chunk.js';
import { Encoder } from './codec.js';
import { prepare, type PrepareOptions } from './prepare.js';

const { spec, options } = workerData as { spec: ChunkSpec; options: PrepareOptions };
const encoder = new Encoder();
const decoder = new TextDecoder();
parentPort?.on('message', (msg: { id: number; bytes: Uint8Array; firstLine: number }) => {
  try {
    const rows = readChunk(decoder.decode(msg.bytes), spec, msg.firstLine);
    const batch = encoder.encode(rows.people.map((p) => prepare(p, options)));
    parentPort?.postMessage({ id: msg.id, ids: rows.ids, batch }, [batch.codes.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
