/** The follow-up inbox over HTTP: tasks, their history, and what an agent does with them. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.js';
import { appendFacts, JobQueue, type Fact } from '../../../store/index.js';
import { can, principalOf, roleOf, ZWorkspaceParams } from '../../workspaces/index.js';
import type { FollowupDeps } from '../deps.js';
import { assignTask, contactTask, lockTask, resolveTask, resumeTask, waitTask, type TaskContext } from './task.service.js';
import { getTask, taskHistory, taskView, TASK_STATUSES, ZTaskEvent, ZTaskView, type TaskRow } from './task.store.js';

const ZTaskParams = ZWorkspaceParams.extend({ taskId: z.string().min(1).max(64) });
const ZTaskQuery = z.strictObject({
  view: z.enum(['mine', 'team', 'all']).default('all').describe('mine: owned by me; team: of the teams I am in; all: every task'),
  status: z.enum(TASK_STATUSES).optional(),
  dueBefore: z.iso.datetime({ offset: true }).optional().describe('first contact due before this instant'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional().describe('nextCursor of the previous page'),
});

const actorId = (request: FastifyRequest): string => {
  const p = principalOf(request);
  return p.type === 'user' ? `user:${p.userId}` : `key:${p.keyId}`;
};

export const taskRoutes =
  (deps: FollowupDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const read = { auth: { permission: 'followups.read' as const } };
    const work = { auth: { permission: 'followups.work' as const } };
    const tags = ['follow-up'];
    const db = deps.store.db;
    const queue = new JobQueue(deps.store, { clock: deps.clock });
    const base = '/api/workspaces/:workspaceId/tasks';

    app.get(
      base,
      { schema: { tags, summary: 'Follow-up tasks, newest first', params: ZWorkspaceParams, querystring: ZTaskQuery, response: { 200: z.object({ tasks: z.array(ZTaskView), nextCursor: z.string().nullable() }) } }, config: read },
      async (request) => {
        const ws = request.params.workspaceId;
        const q = request.query;
        let query = db.selectFrom('followup_tasks').selectAll().where('workspace_id', '=', ws);
        if (q.view !== 'all') {
          const p = principalOf(request);
          if (p.type !== 'user') throw new AppError('VALIDATION_FAILED', `view=${q.view} needs a person, not an API key`);
          if (q.view === 'mine') query = query.where('owner_user_id', '=', p.userId);
          else {
            const teams = await db.selectFrom('team_members').select('team_id').where('workspace_id', '=', ws).where('user_id', '=', p.userId).execute();
            if (teams.length === 0) return { tasks: [], nextCursor: null };
            query = query.where('team_id', 'in', teams.map((t) => t.team_id));
          }
        }
        if (q.status) query = query.where('status', '=', q.status);
        if (q.dueBefore) query = query.where('first_contact_due_at', '<', Date.parse(q.dueBefore));
        if (q.cursor) query = query.where('id', '<', q.cursor);
        const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
        const page = rows.slice(0, q.limit);
        return { tasks: page.map(taskView), nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
      },
    );

    app.get(
      `${base}/:taskId`,
      {
        schema: {
          tags,
          summary: 'One task with its history (created, assigned, contacted, waiting, resumed, escalated, breached, resolved)',
          params: ZTaskParams,
          response: { 200: z.object({ task: ZTaskView, history: z.array(ZTaskEvent), notifications: z.string().describe('the notifications log of this task') }) },
        },
        config: read,
      },
      async (request) => {
        const { workspaceId: ws, taskId } = request.params;
        const row = await getTask(db, ws, taskId);
        return { task: taskView(row), history: await taskHistory(db, ws, taskId), notifications: `/api/workspaces/${ws}/notifications?taskId=${encodeURIComponent(taskId)}` };
      },
    );

    /** Run one change of a task in a transaction, facts last. */
    const change = async (request: FastifyRequest, ws: string, taskId: string, fn: (ctx: TaskContext, row: TaskRow) => Promise<{ row: TaskRow; facts: Fact[] }>) => {
      const row = await db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        const ctx = { db: trx, queue, now };
        await lockTask(trx, deps.store.dialect.name, ws, taskId);
        const before = await getTask(trx, ws, taskId);
        const out = await fn(ctx, before);
        await appendFacts(trx, ws, out.facts, now);
        return out.row;
      });
      return taskView(row);
    };
    const action = (path: string, summary: string, fn: (ctx: TaskContext, row: TaskRow, by: string) => Promise<{ row: TaskRow; facts: Fact[] }>) =>
      app.post(`${base}/:taskId/${path}`, { schema: { tags, summary, params: ZTaskParams, response: { 200: ZTaskView } }, config: work }, async (request) =>
        change(request, request.params.workspaceId, request.params.taskId, (ctx, row) => fn(ctx, row, actorId(request))),
      );

    action('contacted', 'I contacted the customer: stops the first-contact clock', (ctx, row, by) => contactTask(ctx, row, by, ctx.now));
    action('waiting', 'Waiting on the customer: pauses the clock (when the policy says so)', waitTask);
    action('resume', 'No longer waiting: the clock runs again, its deadlines moved by the paused working time', resumeTask);
    action('resolved', 'Resolved: stops every clock (and counts as the first contact if none was recorded)', resolveTask);

    app.post(
      `${base}/:taskId/assign`,
      {
        schema: { tags, summary: 'Give the task to a member (someone else’s task needs followups.manage)', params: ZTaskParams, body: z.strictObject({ userId: z.string().min(1).max(64) }), response: { 200: ZTaskView } },
        config: work,
      },
      async (request) => {
        const { workspaceId: ws, taskId } = request.params;
        const p = principalOf(request);
        const me = p.type === 'user' ? p.userId : null;
        return change(request, ws, taskId, async (ctx, row) => {
          const mayManage = can(roleOf(request), 'followups.manage');
          const isMine = row.owner_user_id === null || row.owner_user_id === me;
          if (!mayManage && (!isMine || request.body.userId !== me)) throw new AppError('FORBIDDEN', 'an agent may take an unassigned task or their own; reassigning needs followups.manage');
          return assignTask(ctx, row, request.body.userId, actorId(request));
        });
      },
    );
  };
