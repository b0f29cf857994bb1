import { afterEach, describe, expect, it } from 'vitest';
import { BatchWrites, fromJson, type Job, type Store } from '../../../store/index.js';
import { createTestStore, type TestStore } from '../../../store/testing.js';
import { NOTIFY_LIST_QUEUE, runNotifyJobs, type NotifyListPayload } from './delivery.js';
import { deliveryEnv, enqueueNotification } from './index.js';

const WS = 'ws_1';
const NOW = Date.UTC(2026, 11, 6);

/** The same store, whose transactions after the first `ok` fail: the database gone away mid-batch. */
function transactionsFailAfter(store: Store, ok: number): Store {
  let begun = 0;
  const db = new Proxy(store.db, {
    get(target, key) {
      if ((key === 'connection' || key === 'transaction') && ++begun > ok) return () => {
        throw new Error('database away');
      };
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...store, db } as Store;
}

/** A running list job on its `attempts`-th of 3 attempts. */
const listJob = (id: string, payload: NotifyListPayload, attempts: number): Job<NotifyListPayload> => ({
  id,
  queue: NOTIFY_LIST_QUEUE,
  workspaceId: WS,
  payload,
  status: 'running',
  runAt: NOW,
  attempts,
  maxAttempts: 3,
  uniqueKey: null,
  lockedBy: 'w',
  lockedUntil: NOW + 60_000,
  lastError: null,
  createdAt: NOW,
  updatedAt: NOW,
  finishedAt: null,
});

/** A workspace with one webhook target, at a port where nothing listens. */
async function seedTarget(s: Store): Promise<void> {
  await s.db.insertInto('workspaces').values({ id: WS, name: 'W', created_at: NOW }).execute();
  await s.db.insertInto('notification_targets').values({ workspace_id: WS, id: 'ntg_1', name: 'Hook', kind: 'webhook', url: 'http://127.0.0.1:9/hook', address: null, secret: null, enabled: 1, created_at: NOW, updated_at: NOW }).execute();
}

/**
 * A batch's notifications share one delivery job (NOTIFY_LIST_QUEUE). When that job fails for a
 * fault of our own on its last attempt, every notification it stands for is marked dead, none
 * left 'sending'; before the last attempt they are left for the retry.
 */
describe('list delivery jobs', () => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.destroy();
    store = undefined;
  });

  it('stand for every notification of a batch, and mark them all dead when their last attempt fails', async () => {
    const s = (store = await createTestStore('sqlite'));
    await seedTarget(s);
    const writes = new BatchWrites();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await enqueueNotification(s.db, WS, 'ntg_1', { event: 'task.created', title: `t${i}`, text: 'x', data: {} }, NOW, { writes }));
    await writes.flush(s.db);

    const rows = await s.db.selectFrom('jobs').selectAll().where('workspace_id', '=', WS).execute();
    expect(rows.map((r) => r.queue)).toEqual([NOTIFY_LIST_QUEUE]);
    const payload = fromJson<NotifyListPayload>(rows[0]?.payload);
    expect(payload).toEqual({ workspaceId: WS, notificationIds: ids, attempt: 0 });

    // The claim commits, the POST fails (nothing listens on port 9), and recording the outcome
    // fails: the job's fault, not the target's.
    const env = () => deliveryEnv({ store: transactionsFailAfter(s, 1), clock: { now: () => NOW } }, undefined);
    const job = (attempts: number) => listJob(rows[0]?.id as string, payload, attempts);
    const statuses = async () => (await s.db.selectFrom('notifications').select(['status', 'last_error']).where('workspace_id', '=', WS).orderBy('id').execute());

    await expect(runNotifyJobs(env(), [job(1)])).rejects.toThrow('database away');
    expect(await statuses()).toEqual(ids.map(() => ({ status: 'sending', last_error: null })));
    // Before its last attempt the job leaves them for its retry; on its last, the same failure marks
    // every one of them dead rather than leave them 'sending'.
    await s.db.updateTable('notifications').set({ status: 'pending', attempts: 0 }).where('workspace_id', '=', WS).execute();
    await expect(runNotifyJobs(env(), [job(3)])).rejects.toThrow('database away');
    expect(await statuses()).toEqual(ids.map(() => ({ status: 'dead', last_error: 'internal: database away' })));
  });

  it('moves to the dead-letter list the notifications a last attempt could not even claim', async () => {
    const s = (store = await createTestStore('sqlite'));
    await seedTarget(s);
    const id = await enqueueNotification(s.db, WS, 'ntg_1', { event: 'task.created', title: 't', text: 'x', data: {} }, NOW);
    const payload = { workspaceId: WS, notificationIds: [id], attempt: 0 };
    const job = listJob('job_1', payload, 3);
    await expect(runNotifyJobs(deliveryEnv({ store: transactionsFailAfter(s, 0), clock: { now: () => NOW } }, undefined), [job])).rejects.toThrow('database away');
    const row = await s.db.selectFrom('notifications').select(['status', 'attempts', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'dead', attempts: 0, last_error: 'internal: database away' });
  });
});
