/** The imports module: CSV and JSONL files from CRM, billing and support exports. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ImportDeps } from './deps.js';
import { importRoutes, type ImportRouteOptions } from './import.routes.js';

export type { ImportDeps } from './deps.js';
export { IMPORT_KINDS, FIELDS, kindOf, type ImportKind } from './kinds.js';
export { ZMapping, describeMapping, normalizeHeader, resolveMapping, type Mapping } from './mapping.js';
export { runImport, formatOf, IMPORT_FORMATS, MAX_STORED_ERRORS, ZReadSettings, ZSource, type ImportFormat, type ImportProgress, type ImportRequest } from './importer.js';
export { startImport, importOf, importsOf, errorReportCsv } from './import.service.js';
export { errorsOf, type ImportRecord, type RowError } from './import.store.js';
export { errorReportFromRows } from './error-report.js';
export { importView, ZImportView, type ImportView } from './import.schema.js';

export const importsModule =
  (deps: ImportDeps, options: ImportRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(importRoutes(deps, options));
  };
