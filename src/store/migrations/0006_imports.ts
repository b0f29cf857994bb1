import type { StoreMigration } from './migration.js';

/** Import history and per-row error reports (file imports). Filled in by the imports work. */
export const m0006Imports: StoreMigration = {
  name: '0006_imports',
  async up() {},
};
