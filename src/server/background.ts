import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { Store } from '../store/index.js';
import { JobQueue, Worker } from '../store/jobs/index.js';
import { registerResolution, registerTraining, scheduleAllTraining, startResolution } from '../modules/customers/index.js';
import { registerFeedbackJobs, startFeedbackJobs } from '../modules/feedback/index.js';
import { DELIVERY_QUEUES, notificationOptions, registerFollowupJobs, registerNotificationJobs, startFollowupJobs } from '../modules/followup/index.js';
import { registerInsightJobs, startInsightJobs } from '../modules/insight/index.js';
import { registerMaintenance, scheduleMaintenance } from './maintenance.js';

export interface BackgroundWork {
  queue: JobQueue;
  /** Stop claiming jobs and wait for the running ones to finish. */
  stop(): Promise<void>;
}

export type MailSettings = Partial<Pick<Config, 'smtpUrl' | 'mailFrom' | 'notifyAllowPrivate' | 'notifyAllowHttp' | 'notifyConcurrency'>>;

/** The part of the configuration the background jobs send mail and notifications with. */
export function mailSettingsOf(config: Config): MailSettings {
  const { smtpUrl, mailFrom, notifyAllowPrivate, notifyAllowHttp, notifyConcurrency } = config;
  return { smtpUrl, mailFrom, notifyAllowPrivate, notifyAllowHttp, notifyConcurrency };
}

/**
 * Which jobs a worker takes. One thread: all of them. With the jobs on a thread of their own
 * (background-thread.ts), that thread takes all but the deliveries, and the main thread, which
 * otherwise only serves HTTP, sends the notifications: the job thread was the busier of the two.
 */
export type JobShare = 'all' | 'all but deliveries' | 'deliveries';

/** Start the job worker with every module's handlers (or `share` of them). */
export async function startBackgroundWork(
  store: Store,
  logger: Logger,
  clock: Clock,
  publicUrl?: string,
  mail: MailSettings = {},
  share: JobShare = 'all',
): Promise<BackgroundWork> {
  const queue = new JobQueue(store, { clock });
  const followup = { store, clock, publicUrl, smtpUrl: mail.smtpUrl, mailFrom: mail.mailFrom, logger, notifications: notificationOptions(mail) };
  if (share === 'deliveries') {
    const deliveries = new Worker(queue, { logger, onlyRegisteredQueues: true });
    const close = registerNotificationJobs(deliveries, queue, followup);
    deliveries.start();
    return { queue, stop: () => deliveries.stop().finally(close) };
  }
  const worker = new Worker(queue, { logger, ...(share === 'all but deliveries' ? { handledElsewhere: DELIVERY_QUEUES } : {}) });
  registerMaintenance(worker, queue, store, clock);
  await scheduleMaintenance(queue, clock);
  registerResolution(worker, queue, { store, clock });
  await startResolution(queue, clock);
  registerTraining(worker, queue, { store, clock });
  await scheduleAllTraining(queue, store, clock);
  const feedback = { store, clock, publicUrl, smtpUrl: mail.smtpUrl, mailFrom: mail.mailFrom, logger };
  const closeMail = registerFeedbackJobs(worker, queue, feedback);
  await startFeedbackJobs(queue, feedback);
  const closeNotifications = share === 'all' ? registerNotificationJobs(worker, queue, followup) : () => undefined;
  registerFollowupJobs(worker, queue, followup);
  await startFollowupJobs(queue, followup);
  registerInsightJobs(worker, queue, { store, clock, logger });
  await startInsightJobs(queue, { store, clock, logger });
  worker.start();
  // SQLite: the log's checkpoints on a thread of their own, not between the requests.
  const checkpointer = store.checkpointInBackground?.();
  return {
    queue,
    stop: () =>
      worker.stop().finally(async () => {
        closeMail();
        closeNotifications();
        await checkpointer?.stop();
      }),
  };
}
