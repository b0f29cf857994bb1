/** A worker thread for prepare-pool.ts: reads a chunk of a file, prepares its records and encodes them for the partitions. */
import { parentPort, workerData } from 'node:worker_threads';
import { readChunk, type ChunkSpec } from './chunk.js';
import { ChunkEncoder } from './codec.js';
import { prepare, type PrepareOptions } from './prepare.js';

const { spec, options, partitions } = workerData as { spec: ChunkSpec; options: PrepareOptions; partitions: number };
const decoder = new TextDecoder();
const encoder = new ChunkEncoder(partitions);
parentPort?.on('message', (msg: { id: number; bytes: Uint8Array; firstLine: number } | { reuse: ArrayBuffer }) => {
  if ('reuse' in msg) {
    encoder.reuse(msg.reuse);
    return;
  }
  try {
    const rows = readChunk(decoder.decode(msg.bytes), spec, msg.firstLine);
    const chunk = encoder.encode(
      rows.people.map((p) => prepare(p, options)),
      rows.ids,
    );
    parentPort?.postMessage({ id: msg.id, chunk }, [chunk.bytes.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
