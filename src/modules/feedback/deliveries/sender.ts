/**
 * Sending one delivery by e-mail, as a job: one job per delivery (and per send time), run at
 * least once. The limits are checked here, when the e-mail is about to go, not when it was
 * scheduled: quiet hours (deferred to their end), the contact limit, the trigger's sample.
 *
 * Idempotent: only a pending delivery is sent, and it is marked sent as soon as the SMTP
 * server accepted it. A crash in the instant between the two sends it again, with the same
 * Message-ID (mail clients show it once); every other retry sees 'sent' and stops.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Logger } from '../../../platform/logger.js';
import type { Random } from '../../../platform/random.js';
import { customerOfIdentifier, normaliseEmail, type CustomerContact } from '../../customers/index.js';
import { eventById } from '../../ingest/index.js';
import { PermanentJobError, type Database, type JobQueue } from '../../../store/index.js';
import type { FeedbackDeps } from '../deps.js';
import { chooseLanguage, localize } from '../public/localize.js';
import { readFeedbackSettings } from '../settings.js';
import type { Respondent } from '../surveys/survey.schema.js';
import { findSurvey } from '../surveys/survey.store.js';
import type { SigningKeys } from '../surveys/token.js';
import { findDelivery, lastAskedAt, rescheduleDelivery, settlePendingDelivery, type DeliveryRow } from './delivery.store.js';
import { renderSurveyEmail } from './email.render.js';
import { MailError, redactSecrets, type Mailer } from '../../../platform/mail.js';
import { absoluteUrl, surveyPath, tokenFor } from './links.js';
import { isTimeZone, quietHoursEnd } from './quiet-hours.js';
import { emailOfEvent, looksLikeEmail } from './trigger.match.js';

export const SEND_QUEUE = 'feedback.email';
/** With the worker's backoff (5 s doubling, at most an hour) this rides out an SMTP outage of about three hours. */
export const SEND_MAX_ATTEMPTS = 12;
const DAY = 86_400_000;

export const ZSendPayload = z.object({ workspaceId: z.string().min(1), deliveryId: z.string().min(1) });
export type SendPayload = z.infer<typeof ZSendPayload>;

/** Reasons a delivery is skipped, kept on it for the log. */
export type SkipReason = 'contact-limit' | 'sampled-out' | 'no-address' | 'survey-closed';

/** Queue the send of a delivery at `runAt`, in the caller's transaction when given one. */
export async function scheduleSend(queue: JobQueue, payload: SendPayload, runAt: number, executor?: Kysely<Database>): Promise<void> {
  await queue.enqueue(
    SEND_QUEUE,
    payload,
    { runAt, workspaceId: payload.workspaceId, uniqueKey: `${payload.deliveryId}@${Math.round(runAt)}`, maxAttempts: SEND_MAX_ATTEMPTS },
    executor,
  );
}

export interface SenderDeps extends FeedbackDeps {
  queue: JobQueue;
  keys: SigningKeys;
  /** Undefined when no SMTP server is configured. */
  mailer: Mailer | undefined;
  random: Random;
  logger?: Logger | undefined;
}

export type SendOutcome =
  | { status: 'sent'; to: string }
  | { status: 'skipped'; reason: SkipReason }
  | { status: 'deferred'; until: number }
  /** Not pending (already sent, skipped or failed), or gone: nothing to do. */
  | { status: 'settled' };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Where to write: the respondent's own address, the customer's, else the triggering event's. */
async function addressOf(deps: SenderDeps, d: DeliveryRow, respondent: Respondent, contact: CustomerContact | undefined): Promise<string | undefined> {
  if (respondent.kind === 'email' && looksLikeEmail(respondent.value)) return respondent.value.trim();
  for (const candidate of [contact?.email, contact?.traits.email]) if (looksLikeEmail(candidate)) return candidate.trim();
  if (d.event_id) {
    const e = await eventById(deps.store.db, d.workspace_id, d.event_id);
    const found = e ? emailOfEvent(e) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** Every identifier the person goes by, as deliveries may have recorded it. */
function identifiersOf(respondent: Respondent, contact: CustomerContact | undefined, address: string): Respondent[] {
  const out = new Map<string, Respondent>();
  const add = (kind: string, value: string) => {
    if (kind !== 'user_id' && kind !== 'email' && kind !== 'anonymous_id') return;
    out.set(`${kind}\u0000${value}`, { kind, value });
    if (kind === 'email') {
      const n = normaliseEmail(value);
      if (n) out.set(`email\u0000${n}`, { kind, value: n });
    }
  };
  add(respondent.kind, respondent.value);
  for (const i of contact?.identifiers ?? []) add(i.kind, i.value);
  add('email', address);
  return [...out.values()];
}

/** Run one send: decide, render, send, record. Throws (to be retried) when the SMTP server fails. */
export async function sendDelivery(deps: SenderDeps, payload: SendPayload, attempt: { number: number; final: boolean }): Promise<SendOutcome> {
  const { store, clock } = deps;
  const db = store.db;
  const { workspaceId, deliveryId } = payload;
  const d = await findDelivery(db, workspaceId, deliveryId);
  if (!d || d.status !== 'pending') return { status: 'settled' };
  const now = clock.now();
  const sendAt = Number(d.send_at);
  // An earlier job for a delivery since moved (quiet hours): make sure the later one exists.
  if (sendAt > now + 1000) {
    await scheduleSend(deps.queue, payload, sendAt);
    return { status: 'deferred', until: sendAt };
  }
  const skip = async (reason: SkipReason): Promise<SendOutcome> => {
    await settlePendingDelivery(db, workspaceId, deliveryId, { status: 'skipped', reason }, clock.now());
    deps.logger?.info({ workspaceId, deliveryId, reason }, 'survey e-mail skipped');
    return { status: 'skipped', reason };
  };

  const survey = await findSurvey(db, workspaceId, d.survey_id);
  if (!survey || survey.status !== 'active') return skip('survey-closed');
  const respondent = { kind: d.respondent_kind, value: d.respondent_value } as Respondent;
  const contact = await customerOfIdentifier(db, workspaceId, respondent.kind, respondent.value);
  const address = await addressOf(deps, d, respondent, contact);
  if (!address) return skip('no-address');
  const settings = await readFeedbackSettings(db, workspaceId);

  // Quiet hours, in the customer's time zone: wait for their end rather than skip.
  const zone = isTimeZone(contact?.traits.timezone) ? contact.traits.timezone : settings.defaultTimeZone;
  const quietUntil = quietHoursEnd(now, zone, settings.quietHours);
  if (quietUntil !== undefined) {
    await db.transaction().execute(async (trx) => {
      if (await rescheduleDelivery(trx, workspaceId, deliveryId, quietUntil, now)) await scheduleSend(deps.queue, payload, quietUntil, trx);
    });
    return { status: 'deferred', until: quietUntil };
  }

  if (settings.contactLimitDays > 0) {
    const last = await lastAskedAt(db, workspaceId, identifiersOf(respondent, contact, address));
    if (last !== undefined && now - last < settings.contactLimitDays * DAY) return skip('contact-limit');
  }
  // The sample is drawn once, before the first attempt: a retry after an SMTP fault keeps it.
  const attempts = Number(d.attempts);
  if (attempts === 0 && d.trigger_id) {
    const rate = survey.definition.triggers.find((t) => t.id === d.trigger_id)?.sample ?? 1;
    if (rate < 1 && deps.random.next() >= rate) return skip('sampled-out');
  }

  if (!deps.mailer) {
    const reason = 'e-mail is not configured (EMPTYCHAIR_SMTP_URL)';
    if (attempt.final) await settlePendingDelivery(db, workspaceId, deliveryId, { status: 'failed', reason, attempts }, clock.now());
    throw new MailError(reason);
  }

  const language = chooseLanguage(survey.definition, [str(contact?.traits.language), str(contact?.traits.locale)]);
  const localized = localize(survey.id, survey.definition, language, settings.branding);
  const { token } = await tokenFor(deps, deps.keys, survey, { id: d.id, channel: 'email', respondent });
  const pageUrl = absoluteUrl(deps, surveyPath(survey.id, token));
  const name = str(contact?.traits.firstName) ?? str(contact?.traits.first_name) ?? str(contact?.name) ?? str(contact?.traits.name);
  const email = renderSurveyEmail({ survey: localized, definition: survey.definition, pageUrl, recipientName: name });
  const fromAddress = deps.mailFrom ?? `surveys@${hostOf(deps.publicUrl) ?? 'localhost'}`;
  const company = localized.branding.companyName;
  const from = company && !fromAddress.includes('<') ? { name: company, address: fromAddress } : fromAddress;

  try {
    await deps.mailer.send({
      from,
      to: address,
      subject: email.subject,
      html: email.html,
      text: email.text,
      messageId: `<${d.id}.${workspaceId}@${domainOf(fromAddress)}>`,
      headers: { 'X-EmptyChair-Delivery': d.id, 'Auto-Submitted': 'auto-generated' },
    });
  } catch (error) {
    const failure = error instanceof MailError ? error : new MailError(redactSecrets(error instanceof Error ? error.message : String(error), deps.smtpUrl));
    const final = attempt.final || failure.permanent;
    await settlePendingDelivery(db, workspaceId, deliveryId, { status: final ? 'failed' : 'pending', reason: failure.message, attempts: attempts + 1 }, clock.now());
    // A refusal for good (a 5xx for the recipient) is not retried.
    if (failure.permanent) throw new PermanentJobError(failure.message);
    throw failure;
  }
  await settlePendingDelivery(db, workspaceId, deliveryId, { status: 'sent', sentAt: clock.now(), attempts: attempts + 1, reason: null }, clock.now());
  return { status: 'sent', to: address };
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

function domainOf(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'emptychair.invalid';
}
