/** Use cases of the imports module: start an import from a stream, read history and error reports. */
import type { Readable } from 'node:stream';
import { AppError } from '../../platform/errors.js';
import type { ImportDeps } from './deps.js';
import { errorReportFromRows } from './error-report.js';
import { errorsOf, getImport, listImports, type ImportRecord } from './import.store.js';
import { runImport, type ImportRequest, type ImportResult } from './importer.js';

export async function startImport(deps: ImportDeps, input: Readable, req: ImportRequest): Promise<ImportResult> {
  const ws = await deps.store.db.selectFrom('workspaces').select('id').where('id', '=', req.workspaceId).executeTakeFirst();
  if (!ws) {
    input.resume();
    throw new AppError('WORKSPACE_NOT_FOUND', `no workspace ${req.workspaceId}`);
  }
  return runImport(deps, input, req);
}

export async function importOf(deps: ImportDeps, workspaceId: string, importId: string): Promise<ImportRecord> {
  const found = await getImport(deps.store.db, workspaceId, importId);
  if (!found) throw new AppError('IMPORT_NOT_FOUND', `no import ${importId} in this workspace`);
  return found;
}

export const importsOf = (deps: ImportDeps, workspaceId: string, limit: number): Promise<ImportRecord[]> =>
  listImports(deps.store.db, workspaceId, limit);

/** The stored row errors of an import as CSV: line,field,value,reason. */
export async function errorReportCsv(deps: ImportDeps, workspaceId: string, importId: string): Promise<string> {
  await importOf(deps, workspaceId, importId);
  const errors = await errorsOf(deps.store.db, workspaceId, importId);
  return errorReportFromRows(errors);
}
