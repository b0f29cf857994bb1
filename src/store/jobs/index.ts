export { JobQueue, enqueueJob, type EnqueueOptions, type EnqueueResult, type JobQueueOptions, type ListJobsFilter, type RetryResult } from './queue.js';
export {
  Worker,
  PermanentJobError,
  type JobContext,
  type JobHandler,
  type HandlerOptions,
  type WorkerOptions,
} from './worker.js';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export { claimJobs, failAbandonedJobs, type ClaimOptions } from './claim.js';
export { JOB_STATUSES, type Job, type JobStatus } from './types.js';
