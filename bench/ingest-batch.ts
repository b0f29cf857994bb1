import type { Benchmark } from './lib/types.js';

/** Placeholder: being written. */
export const ingestBatch: Benchmark = {
  name: 'ingest-batch',
  description: 'POST /v1/batch events/s and latency against a bare Fastify + SQLite handler',
  run: async () => [],
};
