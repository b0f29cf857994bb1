/** Background work of the feedback module: triggers that follow the events, rules' survey requests, and survey e-mails. */
import type { Clock } from '../../../platform/clock.js';
import type { Logger } from '../../../platform/logger.js';
import { seededRandom, type Random } from '../../../platform/random.js';
import type { JobQueue, Store, Worker } from '../../../store/index.js';
import { SigningKeys } from '../surveys/token.js';
import { smtpMailer, smtpTarget, type Mailer } from '../../../platform/mail.js';
import { SEND_QUEUE, sendDelivery, ZSendPayload, type SendPayload } from './sender.js';
import { registerRequests, startRequests } from './request.consumer.js';
import { registerTriggers, startTriggers } from './trigger.consumer.js';

export interface FeedbackJobDeps {
  store: Store;
  clock: Clock;
  publicUrl?: string | undefined;
  /** SMTP server for survey e-mails; absent: e-mails fail with "not configured". */
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  /** Sampling of triggered surveys; seed it in tests. */
  random?: Random | undefined;
  /** Another way to send (tests, a provider's API); default: SMTP at smtpUrl. */
  mailer?: Mailer | undefined;
  logger?: Logger | undefined;
  /** How long one run of the trigger (and rule request) job follows its log (default a minute). */
  triggerRunMs?: number | undefined;
}

/** Register the handlers; returns a function that closes the SMTP connection. */
export function registerFeedbackJobs(worker: Worker, queue: JobQueue, deps: FeedbackJobDeps): () => void {
  const mailer = deps.mailer ?? (deps.smtpUrl ? smtpMailer(deps.smtpUrl) : undefined);
  if (deps.smtpUrl) deps.logger?.info({ smtp: smtpTarget(deps.smtpUrl) }, 'survey e-mails go through SMTP');
  const senderDeps = {
    store: deps.store,
    clock: deps.clock,
    publicUrl: deps.publicUrl,
    smtpUrl: deps.smtpUrl,
    mailFrom: deps.mailFrom,
    queue,
    keys: new SigningKeys(deps.store.db),
    mailer,
    random: deps.random ?? seededRandom((Math.random() * 2 ** 32) >>> 0),
    logger: deps.logger,
  };
  worker.register<SendPayload>(
    SEND_QUEUE,
    async (job) => {
      await sendDelivery(senderDeps, job.payload, { number: job.attempts, final: job.attempts >= job.maxAttempts });
    },
    { parse: (p) => ZSendPayload.parse(p) },
  );
  const follow = deps.triggerRunMs === undefined ? {} : { runMs: deps.triggerRunMs };
  registerTriggers(worker, { store: deps.store, clock: deps.clock, queue }, follow);
  registerRequests(worker, { store: deps.store, clock: deps.clock, queue, logger: deps.logger }, follow);
  return () => mailer?.close();
}

export async function startFeedbackJobs(queue: JobQueue, deps: FeedbackJobDeps): Promise<void> {
  await startTriggers(queue, deps.clock);
  await startRequests(queue, deps.clock);
}
