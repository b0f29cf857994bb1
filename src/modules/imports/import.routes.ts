/** HTTP: upload a file (multipart, streamed through the importer), import history, error reports. */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { actorOf, principalOf, ZWorkspaceParams } from '../workspaces/index.js';
import type { ImportDeps } from './deps.js';
import { importView, ZImportView, ZKindName } from './import.schema.js';
import { errorReportCsv, importOf, importsOf, startImport } from './import.service.js';
import { formatOf, IMPORT_FORMATS, ZReadSettings, ZSource } from './importer.js';
import { kindOf, type ImportKind } from './kinds.js';
import { ZMapping } from './mapping.js';

const ZImportParams = ZWorkspaceParams.extend({ importId: z.string().min(1).max(64) });

/** The form fields that come before the file. */
const ZUploadFields = ZReadSettings.extend({
  kind: ZKindName,
  source: ZSource,
  format: z.enum(IMPORT_FORMATS).optional(),
  mapping: z
    .string()
    .max(65_536)
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"email": "E-mail Address"}' });
        return z.NEVER;
      }
    })
    .pipe(ZMapping)
    .optional(),
});

export interface ImportRouteOptions {
  /** Largest accepted upload in bytes (streamed, never buffered); default 10 GiB. */
  maxFileBytes?: number;
}

export const importRoutes =
  (deps: ImportDeps, options: ImportRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(multipart, {
      limits: { files: 1, fields: 20, fieldSize: 65_536, parts: 21, fileSize: options.maxFileBytes ?? 10 * 1024 ** 3 },
    });

    app.post(
      '/api/workspaces/:workspaceId/imports',
      {
        schema: {
          tags: ['imports'],
          summary: 'Import a CSV or JSONL file (multipart/form-data: kind, source, optional mapping JSON, then file)',
          description:
            'Fields must come before the file part. kind: contacts|accounts|orders|subscriptions|tickets; source: crm, billing …; ' +
            'optional mapping {"field": "Header"}, format csv|jsonl, dateFormat, decimal, currency, delimiter. Rows with problems are ' +
            'skipped and listed in errors.csv; the answer comes when the whole file is in.',
          params: ZWorkspaceParams,
          response: { 201: z.object({ import: ZImportView }) },
        },
        config: { auth: { permission: 'imports.manage' } },
      },
      async (request, reply) => {
        if (!request.isMultipart()) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data with the fields kind and source, then the file');
        }
        const file = await request.file();
        if (!file) throw new AppError('IMPORT_FILE_INVALID', 'no file in the upload: send a "file" part after the fields kind and source');
        const raw: Record<string, string> = {};
        for (const [name, value] of Object.entries(file.fields)) {
          const part = Array.isArray(value) ? value[0] : value;
          if (part && part.type === 'field' && name !== file.fieldname) raw[name] = String(part.value);
        }
        const parsed = ZUploadFields.safeParse(raw);
        if (!parsed.success) {
          file.file.resume();
          const issue = parsed.error.issues[0];
          const field = String(issue?.path[0] ?? 'fields');
          const hint = field === 'kind' || field === 'source' ? ' (the fields must come before the file in the form)' : '';
          throw new AppError('VALIDATION_FAILED', `${field}: ${issue?.message ?? 'invalid'}${hint}`, { issues: parsed.error.issues });
        }
        const fields = parsed.data;
        const format = fields.format ?? formatOf(file.filename, file.mimetype);
        if (!format) {
          file.file.resume();
          throw new AppError('IMPORT_FILE_INVALID', `only CSV (.csv) or JSONL (.jsonl, .ndjson) files can be imported; got "${file.filename}"`);
        }
        const actor = actorOf(principalOf(request));
        const { record } = await startImport(deps, file.file, {
          workspaceId: request.params.workspaceId,
          kind: kindOf(fields.kind) as ImportKind,
          source: fields.source,
          fileName: file.filename || 'upload',
          format,
          mapping: fields.mapping,
          dateFormat: fields.dateFormat,
          decimal: fields.decimal,
          currency: fields.currency,
          delimiter: fields.delimiter,
          createdBy: actor.label,
          actor,
        });
        return reply.code(201).send({ import: importView(record) });
      },
    );

    app.get(
      '/api/workspaces/:workspaceId/imports',
      {
        schema: {
          tags: ['imports'],
          summary: 'Import history, newest first',
          params: ZWorkspaceParams,
          querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
          response: { 200: z.object({ imports: z.array(ZImportView) }) },
        },
        config: { auth: { permission: 'imports.read' } },
      },
      async (request) => ({ imports: (await importsOf(deps, request.params.workspaceId, request.query.limit)).map(importView) }),
    );

    app.get(
      '/api/workspaces/:workspaceId/imports/:importId',
      {
        schema: { tags: ['imports'], summary: 'One import', params: ZImportParams, response: { 200: z.object({ import: ZImportView }) } },
        config: { auth: { permission: 'imports.read' } },
      },
      async (request) => ({ import: importView(await importOf(deps, request.params.workspaceId, request.params.importId)) }),
    );

    app.get(
      '/api/workspaces/:workspaceId/imports/:importId/errors.csv',
      {
        schema: { tags: ['imports'], summary: 'Row errors of an import as CSV: line,field,value,reason (first 10 000)', params: ZImportParams },
        config: { auth: { permission: 'imports.read' } },
      },
      async (request, reply) => {
        const csv = await errorReportCsv(deps, request.params.workspaceId, request.params.importId);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${request.params.importId}-errors.csv"`)
          .send(csv);
      },
    );
  };
