import type { Benchmark } from './lib/types.js';

/** Placeholder: being written. */
export const importContacts: Benchmark = {
  name: 'import-contacts',
  description: 'contacts CSV import rows/s against a bare parse-and-insert loop',
  run: async () => [],
};
