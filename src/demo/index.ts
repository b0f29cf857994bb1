/** Seedable demo data: the "Northwind Coffee Co." company, generated and written into source_records. */
export {
  generateDemo, demoChunks, validateDemoOptions, DEMO_COMPANY, DEMO_COMPANY_DOMAIN, DEMO_ID_PREFIX, DEMO_KINDS, DEMO_VERSION,
  type DemoOptions, type DemoRecord, type DemoChunk, type DemoKind, type DemoSource,
} from './generate.js';
export { seedDemo, deleteDemo, countDemoRows, DEMO_SETTING, type SeedDemoOptions, type SeedDemoResult } from './seed.js';
