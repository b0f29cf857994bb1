/** Background work of the feedback module: triggers, scheduled e-mails. (Being built.) */
import type { Clock } from '../../../platform/clock.js';
import type { JobQueue, Store, Worker } from '../../../store/index.js';

export interface FeedbackJobDeps {
  store: Store;
  clock: Clock;
  publicUrl?: string | undefined;
}

export function registerFeedbackJobs(_worker: Worker, _queue: JobQueue, _deps: FeedbackJobDeps): void {}

export async function startFeedbackJobs(_queue: JobQueue, _deps: FeedbackJobDeps): Promise<void> {}
