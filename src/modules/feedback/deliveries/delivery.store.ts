/** Deliveries: each time a survey is put to someone (a link handed out, an e-mail, the widget). */
import type { Kysely, Selectable } from 'kysely';
import type { Database, SurveyDeliveriesTable } from '../../../store/index.js';
import type { Channel, Respondent } from '../surveys/survey.schema.js';

export type DeliveryRow = Selectable<SurveyDeliveriesTable>;
export type DeliveryStatus = 'pending' | 'sent' | 'skipped' | 'failed';

export interface NewDelivery {
  workspaceId: string;
  id: string;
  surveyId: string;
  channel: Channel;
  respondent: Respondent;
  status: DeliveryStatus;
  reason?: string | null;
  triggerId?: string | null;
  eventId?: string | null;
  sendAt: number;
  sentAt?: number | null;
  now: number;
}

const deliveryRow = (d: NewDelivery) => ({
  workspace_id: d.workspaceId,
  id: d.id,
  survey_id: d.surveyId,
  channel: d.channel,
  respondent_kind: d.respondent.kind,
  respondent_value: d.respondent.value,
  status: d.status,
  reason: d.reason ?? null,
  trigger_id: d.triggerId ?? null,
  event_id: d.eventId ?? null,
  send_at: d.sendAt,
  sent_at: d.sentAt ?? null,
  created_at: d.now,
  updated_at: d.now,
});

export async function insertDelivery(db: Kysely<Database>, d: NewDelivery): Promise<void> {
  await db
    .insertInto('survey_deliveries')
    .values(deliveryRow(d))
    .execute();
}

export async function findDelivery(db: Kysely<Database>, workspaceId: string, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('survey_deliveries').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function settleDelivery(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  change: { status: DeliveryStatus; reason?: string | null; sentAt?: number | null; attempts?: number },
  now: number,
): Promise<void> {
  await db
    .updateTable('survey_deliveries')
    .set({
      status: change.status,
      reason: change.reason ?? null,
      ...(change.sentAt !== undefined ? { sent_at: change.sentAt } : {}),
      ...(change.attempts !== undefined ? { attempts: change.attempts } : {}),
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** When anyone last asked one of these identifiers anything (sent deliveries only). */
export async function lastAskedAt(db: Kysely<Database>, workspaceId: string, respondents: readonly Respondent[]): Promise<number | undefined> {
  let last: number | undefined;
  // One query per identifier: each is an index range, where an OR of pairs would scan.
  for (const r of respondents) {
    const row = await db
      .selectFrom('survey_deliveries')
      .select('sent_at')
      .where('workspace_id', '=', workspaceId)
      .where('respondent_kind', '=', r.kind)
      .where('respondent_value', '=', r.value)
      .where('sent_at', 'is not', null)
      .orderBy('sent_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const at = row?.sent_at === null || row?.sent_at === undefined ? undefined : Number(row.sent_at);
    if (at !== undefined && (last === undefined || at > last)) last = at;
  }
  return last;
}

/**
 * Insert unless a delivery for the same (survey, trigger, event) exists (the unique index):
 * a re-read event asks once. True when this call inserted it.
 */
export async function insertDeliveryIfAbsent(db: Kysely<Database>, d: NewDelivery): Promise<boolean> {
  const inserted = await db
    .insertInto('survey_deliveries')
    .values(deliveryRow(d))
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Move a pending delivery's send time (quiet hours); false when it is no longer pending. */
export async function rescheduleDelivery(db: Kysely<Database>, workspaceId: string, id: string, sendAt: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('survey_deliveries')
    .set({ send_at: sendAt, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Settle a delivery that is still pending; false when another run settled it first. */
export async function settlePendingDelivery(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  change: { status: DeliveryStatus; reason?: string | null; sentAt?: number | null; attempts?: number },
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('survey_deliveries')
    .set({
      status: change.status,
      reason: change.reason ?? null,
      ...(change.sentAt !== undefined ? { sent_at: change.sentAt } : {}),
      ...(change.attempts !== undefined ? { attempts: change.attempts } : {}),
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export interface DeliveryPosition {
  createdAt: number;
  id: string;
}

/** A survey's deliveries, newest first, after a position (keyset on created_at, id). */
export async function listDeliveries(
  db: Kysely<Database>,
  workspaceId: string,
  surveyId: string,
  options: { status?: DeliveryStatus | undefined; after?: DeliveryPosition | undefined; limit: number },
): Promise<DeliveryRow[]> {
  let q = db.selectFrom('survey_deliveries').selectAll().where('workspace_id', '=', workspaceId).where('survey_id', '=', surveyId);
  if (options.status) q = q.where('status', '=', options.status);
  const after = options.after;
  if (after) q = q.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]));
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}
