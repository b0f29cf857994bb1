export { JobQueue, enqueueJob, jobRow, type EnqueueOptions, type EnqueueResult, type JobQueueOptions, type ListJobsFilter, type RetryResult } from './queue.js';
export {
  Worker,
  PermanentJobError,
  type JobContext,
  type JobHandler,
  type BatchHandler,
  type BatchOptions,
  type HandlerOptions,
  type WorkerOptions,
} from './worker.js';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export { claimJobs, failAbandonedJobs, requeueExpiredLeases, type ClaimOptions } from './claim.js';
export { JOB_STATUSES, type Job, type JobStatus } from './types.js';
export { registerFollower, scheduleFollower, startFollower, type FollowerDeps, type FollowOptions } from './follower.js';
export { togetherOrAlone } from './batch.js';
export { yieldToForeground, type YieldOptions } from './yield.js';
