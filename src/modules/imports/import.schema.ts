/** The HTTP shapes of imports (the dashboard's upload form and history table read exactly these). */
import { z } from 'zod';
import { toIso } from '../../platform/clock.js';
import { IMPORT_KINDS } from './kinds.js';
import { IMPORT_STATUSES, type ImportRecord } from './import.store.js';

export const ZImportView = z.object({
  id: z.string(),
  kind: z.string(),
  source: z.string(),
  fileName: z.string(),
  format: z.string(),
  status: z.enum(IMPORT_STATUSES),
  rowsRead: z.number(),
  rowsImported: z.number(),
  rowsFailed: z.number(),
  errorsTotal: z.number().describe('entries of the error report: the failed rows’ errors, and notes such as JSONL keys that were not read'),
  mapping: z.record(z.string(), z.string()),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
});
export type ImportView = z.infer<typeof ZImportView>;

export const importView = (r: ImportRecord): ImportView => ({
  id: r.id,
  kind: r.kind,
  source: r.source,
  fileName: r.fileName,
  format: r.format,
  status: r.status,
  rowsRead: r.rowsRead,
  rowsImported: r.rowsImported,
  rowsFailed: r.rowsFailed,
  errorsTotal: r.errorsTotal,
  mapping: r.mapping,
  startedAt: toIso(r.startedAt) as string,
  finishedAt: toIso(r.finishedAt),
  createdBy: r.createdBy,
});

/** Kinds accepted at the edges: singular as stored, or plural as people say them. */
export const ZKindName = z.enum([...IMPORT_KINDS, 'contacts', 'accounts', 'orders', 'subscriptions', 'tickets']);
