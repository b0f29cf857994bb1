import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { Store } from '../store/index.js';
import { JobQueue, Worker } from '../store/jobs/index.js';
import { registerResolution, registerTraining, scheduleAllTraining, startResolution } from '../modules/customers/index.js';
import { registerFeedbackJobs, startFeedbackJobs } from '../modules/feedback/index.js';
import { notificationOptions, registerFollowupJobs, registerNotificationJobs, startFollowupJobs } from '../modules/followup/index.js';
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

/** Start the job worker with every module's handlers. */
export async function startBackgroundWork(
  store: Store,
  logger: Logger,
  clock: Clock,
  publicUrl?: string,
  mail: MailSettings = {},
): Promise<BackgroundWork> {
  const queue = new JobQueue(store, { clock });
  const worker = new Worker(queue, { logger });
  registerMaintenance(worker, queue, store, clock);
  await scheduleMaintenance(queue, clock);
  registerResolution(worker, queue, { store, clock });
  await startResolution(queue, clock);
  registerTraining(worker, queue, { store, clock });
  await scheduleAllTraining(queue, store, clock);
  const feedback = { store, clock, publicUrl, smtpUrl: mail.smtpUrl, mailFrom: mail.mailFrom, logger };
  const closeMail = registerFeedbackJobs(worker, queue, feedback);
  await startFeedbackJobs(queue, feedback);
  const followup = { store, clock, publicUrl, smtpUrl: mail.smtpUrl, mailFrom: mail.mailFrom, logger, notifications: notificationOptions(mail) };
  const closeNotifications = registerNotificationJobs(worker, queue, followup);
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
