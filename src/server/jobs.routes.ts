import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { ZWorkspaceParams } from '../modules/workspaces/index.js';
import { JOB_STATUSES, type Job, type JobQueue } from '../store/jobs/index.js';

const ZJob = z.object({
  id: z.string(),
  queue: z.string(),
  status: z.enum(JOB_STATUSES),
  payload: z.unknown(),
  runAt: z.string(),
  attempts: z.number(),
  maxAttempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

const view = (j: Job): z.infer<typeof ZJob> => ({
  id: j.id,
  queue: j.queue,
  status: j.status,
  payload: j.payload,
  runAt: toIso(j.runAt) as string,
  attempts: j.attempts,
  maxAttempts: j.maxAttempts,
  lastError: j.lastError,
  createdAt: toIso(j.createdAt) as string,
  finishedAt: toIso(j.finishedAt),
});

/** A workspace's background jobs, so that failures are visible and can be retried. */
export const jobRoutes =
  (queue: JobQueue): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/workspaces/:workspaceId/jobs',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Background jobs of the workspace, newest first (filter by status, e.g. failed)',
          params: ZWorkspaceParams,
          querystring: z.strictObject({
            status: z.enum(JOB_STATUSES).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
            before: z.string().max(64).optional(),
          }),
          response: { 200: z.object({ jobs: z.array(ZJob) }) },
        },
        config: { auth: { permission: 'jobs.read' } },
      },
      async (request) => {
        const { status, limit, before } = request.query;
        const jobs = await queue.list({ workspaceId: request.params.workspaceId, limit, ...(status ? { status } : {}), ...(before ? { before } : {}) });
        return { jobs: jobs.map(view) };
      },
    );

    app.post(
      '/api/workspaces/:workspaceId/jobs/:jobId/retry',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Run a failed job again',
          params: ZWorkspaceParams.extend({ jobId: z.string().min(1).max(64) }),
          response: { 200: z.object({ job: ZJob, retried: z.boolean() }) },
        },
        config: { auth: { permission: 'jobs.manage' } },
      },
      async (request) => {
        const job = await queue.get(request.params.jobId);
        if (!job || job.workspaceId !== request.params.workspaceId) throw new AppError('JOB_NOT_FOUND', 'no such job in this workspace');
        const result = await queue.retry(job.id);
        return { job: view(result.job), retried: result.retried };
      },
    );
  };
