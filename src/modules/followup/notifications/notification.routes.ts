/** Notification targets, the delivery log and the dead-letter list over HTTP. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZWorkspaceParams, actorOf, appendAudit, principalOf } from '../../workspaces/index.js';
import { smtpMailer } from '../../../platform/mail.js';
import type { FollowupDeps } from '../deps.js';
import { deliveryEnv, type NotificationJobDeps } from './index.js';
import { listNotifications, listTargets } from './notification.store.js';
import {
  ZCreateTarget,
  ZNotification,
  ZNotificationPage,
  ZNotificationParams,
  ZNotificationQuery,
  ZTarget,
  ZTargetParams,
  ZTargetWithSecret,
  ZUpdateTarget,
} from './notification.schema.js';
import { createTarget, deleteTarget, getTarget, notificationView, replayNotification, sendTest, targetView, updateTarget } from './notification.service.js';

/** FollowupDeps, and optionally the notification limits and a logger (tests, embedding). */
export type NotificationRouteDeps = FollowupDeps & Pick<NotificationJobDeps, 'logger' | 'notifications'>;

export const notificationRoutes =
  (deps: NotificationRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['notifications'];
    const mailer = deps.smtpUrl ? smtpMailer(deps.smtpUrl) : undefined;
    app.addHook('onClose', async () => mailer?.close());
    const env = { ...deliveryEnv(deps, mailer), smtpConfigured: Boolean(deps.smtpUrl) };
    const read = { auth: { permission: 'followups.read' as const } };
    const manage = { auth: { permission: 'followups.manage' as const } };
    const targets = '/api/workspaces/:workspaceId/notification-targets';

    app.get(
      targets,
      { schema: { tags, summary: 'Where notifications go: webhooks, Slack-compatible incoming webhooks, e-mail addresses', params: ZWorkspaceParams, response: { 200: z.object({ targets: z.array(ZTarget) }) } }, config: read },
      async (request) => ({ targets: (await listTargets(deps.store.db, request.params.workspaceId)).map(targetView) }),
    );

    app.post(
      targets,
      {
        schema: {
          tags,
          summary: 'Add a target. URLs must be https (no credentials in them); a webhook’s signing secret is generated unless given, and shown in this answer only',
          params: ZWorkspaceParams,
          body: ZCreateTarget,
          response: { 201: ZTargetWithSecret },
        },
        config: manage,
      },
      async (request, reply) => {
        const { workspaceId } = request.params;
        const row = await deps.store.db.transaction().execute(async (trx) => {
          const t = await createTarget(env, trx, workspaceId, request.body);
          await appendAudit(trx, {
            workspaceId,
            actor: actorOf(principalOf(request)),
            action: 'notification_target.create',
            target: { type: 'notification_target', id: t.id },
            details: { kind: t.kind, name: t.name },
            at: Number(t.created_at),
          });
          return t;
        });
        // The one answer with the whole URL and the secret.
        return reply.code(201).send({ ...targetView(row), url: row.url, secret: row.secret });
      },
    );

    app.get(
      `${targets}/:targetId`,
      { schema: { tags, summary: 'One target (its URL without credentials, never its secret)', params: ZTargetParams, response: { 200: ZTarget } }, config: read },
      async (request) => targetView(await getTarget(env, request.params.workspaceId, request.params.targetId)),
    );

    app.patch(
      `${targets}/:targetId`,
      {
        schema: {
          tags,
          summary: 'Rename, re-point, enable or disable a target, or rotate a webhook’s secret (the new secret is in this answer only)',
          params: ZTargetParams,
          body: ZUpdateTarget,
          response: { 200: ZTargetWithSecret },
        },
        config: manage,
      },
      async (request) => {
        const { workspaceId, targetId } = request.params;
        const { target, secret } = await deps.store.db.transaction().execute(async (trx) => {
          const r = await updateTarget(env, trx, workspaceId, targetId, request.body);
          const { secret: _s, rotateSecret, ...rest } = request.body;
          await appendAudit(trx, {
            workspaceId,
            actor: actorOf(principalOf(request)),
            action: 'notification_target.update',
            target: { type: 'notification_target', id: targetId },
            details: { changed: Object.keys(rest), ...(r.secret !== undefined ? { secretRotated: true } : {}), ...(rotateSecret ? { rotateSecret } : {}) },
            at: Number(r.target.updated_at),
          });
          return r;
        });
        return { ...targetView(target), secret: secret ?? null };
      },
    );

    app.delete(
      `${targets}/:targetId`,
      { schema: { tags, summary: 'Remove a target; its delivery log stays, and notifications still waiting for it fail', params: ZTargetParams }, config: manage },
      async (request, reply) => {
        const { workspaceId, targetId } = request.params;
        await deps.store.db.transaction().execute(async (trx) => {
          const t = await deleteTarget(env, trx, workspaceId, targetId);
          await appendAudit(trx, {
            workspaceId,
            actor: actorOf(principalOf(request)),
            action: 'notification_target.delete',
            target: { type: 'notification_target', id: targetId },
            details: { kind: t.kind, name: t.name },
            at: deps.clock.now(),
          });
        });
        return reply.code(204).send();
      },
    );

    app.post(
      `${targets}/:targetId/test`,
      {
        schema: {
          tags,
          summary: 'Send a test message to the target now and say how it went (within the delivery timeout; not retried)',
          params: ZTargetParams,
          response: { 200: z.object({ ok: z.boolean(), notification: ZNotification }) },
        },
        config: manage,
      },
      async (request) => {
        const n = await sendTest(env, request.params.workspaceId, request.params.targetId);
        return { ok: n.status === 'delivered', notification: notificationView(n) };
      },
    );

    app.get(
      '/api/workspaces/:workspaceId/notifications',
      {
        schema: {
          tags,
          summary: 'The delivery log, newest first, by status (status=dead is the dead-letter list), task or target',
          params: ZWorkspaceParams,
          querystring: ZNotificationQuery,
          response: { 200: ZNotificationPage },
        },
        config: read,
      },
      async (request) => {
        const { status, taskId, targetId, cursor, limit } = request.query;
        const rows = await listNotifications(deps.store.db, request.params.workspaceId, { status, taskId, targetId, before: cursor, limit: limit + 1 });
        const page = rows.slice(0, limit);
        return { notifications: page.map(notificationView), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
      },
    );

    app.post(
      '/api/workspaces/:workspaceId/notifications/:notificationId/replay',
      {
        schema: {
          tags,
          summary: 'Send a dead or failed notification again, with a fresh set of attempts',
          params: ZNotificationParams,
          response: { 200: ZNotification },
        },
        config: manage,
      },
      async (request) => {
        const { workspaceId, notificationId } = request.params;
        const n = await deps.store.db.transaction().execute(async (trx) => {
          const row = await replayNotification(env, trx, workspaceId, notificationId);
          await appendAudit(trx, {
            workspaceId,
            actor: actorOf(principalOf(request)),
            action: 'notification.replay',
            target: { type: 'notification', id: notificationId },
            details: { targetId: row.target_id, event: row.event },
            at: deps.clock.now(),
          });
          return row;
        });
        return notificationView(n);
      },
    );
  };
