/**
 * Training as a durable job: on request (the API), and again every day for a workspace that
 * has people, so the model follows the data. One job per workspace and day at most.
 */
import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import type { JobQueue, Store, Worker } from '../../store/index.js';
import { trainWorkspaceModel } from './model.service.js';

export const TRAIN_QUEUE = 'customers.train-model';
const DAY = 86_400_000;

const ZTrainPayload = z.object({ workspaceId: z.string().min(1) });

export async function scheduleTraining(queue: JobQueue, clock: Clock, workspaceId: string, runAt: number): Promise<{ id: string; created: boolean }> {
  return queue.enqueue(TRAIN_QUEUE, { workspaceId }, { workspaceId, runAt, uniqueKey: `${workspaceId}:${Math.floor(runAt / DAY)}`, maxAttempts: 3 });
}

export function registerTraining(worker: Worker, queue: JobQueue, deps: { store: Store; clock: Clock }): void {
  worker.register<z.infer<typeof ZTrainPayload>>(
    TRAIN_QUEUE,
    async (job) => {
      const now = deps.clock.now();
      await trainWorkspaceModel(deps.store.db, job.payload.workspaceId, now);
      await scheduleTraining(queue, deps.clock, job.payload.workspaceId, now + DAY);
    },
    // Training reads every contact record of a workspace: a slot of its own, so short jobs never wait behind it.
    { parse: (p) => ZTrainPayload.parse(p), longRunning: true },
  );
}

/** At start-up: every workspace gets its daily training scheduled (a no-op where one is). */
export async function scheduleAllTraining(queue: JobQueue, store: Store, clock: Clock): Promise<void> {
  const workspaces = await store.db.selectFrom('workspaces').select('id').execute();
  for (const w of workspaces) await scheduleTraining(queue, clock, w.id, clock.now() + 60_000);
}
