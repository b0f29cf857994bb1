/** Sending surveys by e-mail and the delivery log over HTTP. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { JobQueue, type Database } from '../../../store/index.js';
import { customerById } from '../../customers/index.js';
import { actorOf, appendAudit, principalOf } from '../../workspaces/index.js';
import type { FeedbackDeps } from '../deps.js';
import type { Answering } from '../responses/answering.js';
import { ZRespondent, ZSurveyParams, type Respondent } from '../surveys/survey.schema.js';
import { getSurvey } from '../surveys/survey.service.js';
import { insertDelivery, listDeliveries, type DeliveryRow, type DeliveryStatus } from './delivery.store.js';
import { scheduleSend } from './sender.js';

const DELIVERY_STATUSES = ['pending', 'sent', 'skipped', 'failed'] as const satisfies readonly DeliveryStatus[];
const MINUTE = 60_000;

const ZSendRequest = z
  .object({
    respondent: ZRespondent.optional(),
    /** A customer (profile) id: the survey goes to their e-mail address. */
    customerId: z.string().min(1).max(100).optional(),
    channel: z.literal('email').default('email'),
    delayMinutes: z.number().int().min(0).max(60 * 24 * 30).default(0),
  })
  .refine((b) => (b.respondent === undefined) !== (b.customerId === undefined), { message: 'give either respondent or customerId', path: ['respondent'] });

export const ZDelivery = z.object({
  id: z.string(),
  surveyId: z.string(),
  channel: z.string(),
  respondent: z.object({ kind: z.string(), value: z.string() }),
  status: z.enum(DELIVERY_STATUSES),
  /** Why it was skipped (contact-limit, sampled-out, no-address, survey-closed, stale-event) or failed. */
  reason: z.string().nullable(),
  triggerId: z.string().nullable(),
  eventId: z.string().nullable(),
  sendAt: z.string(),
  sentAt: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DeliveryView = z.infer<typeof ZDelivery>;

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();
export const deliveryView = (r: DeliveryRow): DeliveryView => ({
  id: r.id,
  surveyId: r.survey_id,
  channel: r.channel,
  respondent: { kind: r.respondent_kind, value: r.respondent_value },
  status: (DELIVERY_STATUSES as readonly string[]).includes(r.status) ? (r.status as DeliveryStatus) : 'failed',
  reason: r.reason,
  triggerId: r.trigger_id,
  eventId: r.event_id,
  sendAt: iso(r.send_at),
  sentAt: r.sent_at === null ? null : iso(r.sent_at),
  attempts: Number(r.attempts),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const encodeCursor = (r: DeliveryRow) => Buffer.from(`${Number(r.created_at)}.${r.id}`).toString('base64url');
function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const dot = text.indexOf('.');
  const createdAt = Number(text.slice(0, dot));
  const id = text.slice(dot + 1);
  if (dot < 1 || !Number.isSafeInteger(createdAt) || !id) throw new AppError('VALIDATION_FAILED', 'the cursor is not valid');
  return { createdAt, id };
}

/** The identifier to write to for a customer: their e-mail address first, then their user id. */
async function respondentOfCustomer(db: Kysely<Database>, workspaceId: string, customerId: string): Promise<Respondent> {
  const customer = await customerById(db, workspaceId, customerId);
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', `no customer ${customerId}`);
  if (customer.email) return { kind: 'email', value: customer.email };
  const userId = customer.identifiers.find((i) => i.kind === 'user_id');
  if (userId) return { kind: 'user_id', value: userId.value };
  throw new AppError('RESPONDENT_NO_ADDRESS', `customer ${customerId} has no e-mail address or user id to write to`);
}

export const deliveryRoutes =
  (deps: FeedbackDeps, _answering: Answering): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['feedback'];
    const queue = new JobQueue(deps.store, { clock: deps.clock });

    app.post(
      '/api/workspaces/:workspaceId/surveys/:surveyId/send',
      {
        schema: {
          tags,
          summary: 'Send a survey by e-mail to one respondent or customer, now or after a delay (limits and quiet hours apply when it goes)',
          params: ZSurveyParams,
          body: ZSendRequest,
          response: { 201: ZDelivery },
        },
        config: { auth: { permission: 'feedback.manage' as const } },
      },
      async (request, reply) => {
        const { workspaceId, surveyId } = request.params;
        const survey = await getSurvey(deps, workspaceId, surveyId);
        if (survey.status !== 'active') throw new AppError('SURVEY_CLOSED', `survey ${survey.id} is ${survey.status}: open it before sending it`);
        if (!deps.smtpUrl) throw new AppError('EMAIL_NOT_CONFIGURED', 'e-mail is not configured on this server (EMPTYCHAIR_SMTP_URL, EMPTYCHAIR_MAIL_FROM)');
        const body = request.body;
        const respondent = body.respondent ?? (await respondentOfCustomer(deps.store.db, workspaceId, body.customerId as string));
        const now = deps.clock.now();
        const sendAt = now + body.delayMinutes * MINUTE;
        const id = newId('dlv', now);
        await deps.store.db.transaction().execute(async (trx) => {
          await insertDelivery(trx, { workspaceId, id, surveyId, channel: 'email', respondent, status: 'pending', sendAt, now });
          await scheduleSend(queue, { workspaceId, deliveryId: id }, sendAt, trx);
          await appendAudit(trx, {
            workspaceId,
            actor: actorOf(principalOf(request)),
            action: 'survey.send',
            target: { type: 'survey', id: surveyId },
            details: { deliveryId: id, channel: 'email', respondentKind: respondent.kind, delayMinutes: body.delayMinutes },
            at: now,
          });
        });
        return reply.code(201).send({
          id,
          surveyId,
          channel: 'email',
          respondent,
          status: 'pending' as const,
          reason: null,
          triggerId: null,
          eventId: null,
          sendAt: iso(sendAt),
          sentAt: null,
          attempts: 0,
          createdAt: iso(now),
          updatedAt: iso(now),
        });
      },
    );

    app.get(
      '/api/workspaces/:workspaceId/surveys/:surveyId/deliveries',
      {
        schema: {
          tags,
          summary: 'The delivery log of a survey, newest first: who was asked, when, and why someone was skipped',
          params: ZSurveyParams,
          querystring: z.object({
            status: z.enum(DELIVERY_STATUSES).optional(),
            cursor: z.string().max(200).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: z.object({ deliveries: z.array(ZDelivery), nextCursor: z.string().nullable() }) },
        },
        config: { auth: { permission: 'feedback.read' as const } },
      },
      async (request) => {
        const { workspaceId, surveyId } = request.params;
        await getSurvey(deps, workspaceId, surveyId);
        const { status, cursor, limit } = request.query;
        const rows = await listDeliveries(deps.store.db, workspaceId, surveyId, { status, after: cursor ? decodeCursor(cursor) : undefined, limit: limit + 1 });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return { deliveries: page.map(deliveryView), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
      },
    );
  };
