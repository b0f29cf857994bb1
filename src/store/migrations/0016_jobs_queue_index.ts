import type { StoreMigration } from './migration.js';

/**
 * Claims name their queue: (queue, status, run_at) makes each claim a range of its own queue's
 * due jobs. On (status, run_at) alone a claim for one queue walked past every due job of the
 * others, so a backlog in one queue (deliveries behind under a burst) made every other queue's
 * claim slower, and the worker fell further behind the more it had to do.
 */
export const m0016JobsQueueIndex: StoreMigration = {
  name: '0016_jobs_queue_index',
  async up(db) {
    await db.schema.createIndex('jobs_queue_due_idx').on('jobs').columns(['queue', 'status', 'run_at']).execute();
  },
};
