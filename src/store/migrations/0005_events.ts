import type { StoreMigration } from './migration.js';

/** The event store (tracking API). Filled in by the ingest work. */
export const m0005Events: StoreMigration = {
  name: '0005_events',
  async up() {},
};
