/**
 * Issue 6: the rule consumer reads what a batch shares once and writes a batch's firings, task
 * events, deadline jobs, notifications and timeline records with one INSERT per table, and one
 * delivery job for all of its notifications. Outcomes a user would notice: every lead of a batch
 * gets its task, its notification and its deadline, and a batch read again (the cursor moved
 * back, as after a crash before commit) creates none of them twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeFollowups } from '../../src/modules/followup/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon, fromJson, JobQueue, writeCursor } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { basicAuth, type Session, type TestApp } from '../support/app.js';
import { createFollowupFixture } from '../support/followup.js';

const DAY = 86_400_000;
const LEAD = 'Lead Created';

describe.each(testDialects())('a batch of leads through the rule consumer on %s', (dialect) => {
  const clock = new ManualClock(Date.UTC(2026, 11, 8, 9) + (dialect === 'postgres' ? 30 * DAY : 0));
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let writeKey: string;
  let queue: JobQueue;

  const post = async (path: string, payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}${path}`, headers: owner.headers, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  const consume = () => consumeFollowups({ store: t.store, clock, queue }, ws);
  const count = async (table: 'followup_tasks' | 'notifications' | 'task_events' | 'followup_emissions') =>
    Number((await t.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ws).executeTakeFirstOrThrow()).n);
  const jobs = async (queueName: string) => Number((await t.store.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ws).where('queue', '=', queueName).executeTakeFirstOrThrow()).n);
  /** The notifications the delivery jobs stand for, whichever of the two queues holds them. */
  const deliveries = async () => {
    const rows = await t.store.db.selectFrom('jobs').select(['queue', 'payload']).where('workspace_id', '=', ws).where('queue', 'in', ['followup.notify', 'followup.notify-list']).execute();
    return rows.flatMap((r) => {
      const p = fromJson<{ notificationId?: string; notificationIds?: string[] }>(r.payload);
      return p.notificationIds ?? [p.notificationId];
    });
  };
  const timeline = async () => Number((await t.store.db.selectFrom('source_records').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ws).where('kind', '=', 'followup').executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    ({ t, queue, ws, owner, writeKey } = await createFollowupFixture(dialect, clock));
    const target = await post('/notification-targets', { kind: 'webhook', name: 'Sales', url: 'https://hooks.example.com/sales', secret: 'a-secret-of-twenty-chars' });
    await post('/followups/policies', { name: 'Leads', triggerKind: 'lead', firstContactMinutes: 60 });
    await post('/followups/rules', {
      name: 'Call new leads',
      definition: { trigger: { kind: 'event', event: LEAD }, actions: [{ type: 'create_task', title: 'Call {{customer.name}}', slaKind: 'lead' }, { type: 'notify', target: { targetId: target.id } }] },
    });
  });
  afterAll(() => t.close());

  it('gives every lead of a batch its task, notification and deadline, and none twice when the batch is read again', async () => {
    const batch = Array.from({ length: 12 }, (_, i) => ({ type: 'track', userId: `lead-${i}`, event: LEAD, messageId: `m-${i}` }));
    const res = await t.app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basicAuth(writeKey) }, payload: { batch } });
    expect(res.statusCode, res.body).toBe(200);
    await awaitLogHorizon(t.store.db, dialect);
    const first = await consume();
    expect(first.tasks).toHaveLength(12);
    const after = { tasks: await count('followup_tasks'), notifications: await count('notifications'), events: await count('task_events'), fired: await count('followup_emissions'), deadlines: await jobs('followup.deadline'), deliveryJobs: await jobs('followup.notify-list'), timeline: await timeline() };
    expect(after).toEqual({ tasks: 12, notifications: 12, events: 12, fired: 12, deadlines: 12, deliveryJobs: 1, timeline: 12 });
    // One delivery job for the batch, standing for each of its notifications once.
    const ids = (await t.store.db.selectFrom('notifications').select('id').where('workspace_id', '=', ws).execute()).map((r) => r.id);
    expect((await deliveries()).sort()).toEqual(ids.sort());
    const titles = (await t.store.db.selectFrom('followup_tasks').select(['respondent_value', 'first_contact_due_at', 'policy_id']).where('workspace_id', '=', ws).execute()).map((r) => [r.respondent_value, r.first_contact_due_at !== null, r.policy_id !== null]);
    expect(titles.sort()).toEqual(batch.map((e) => [e.userId, true, true]).sort());

    // The same batch again, as after a crash before the cursor's commit.
    await writeCursor(t.store.db, ws, 'followup.events', '', clock.now());
    clock.advance(1000);
    const again = await consume();
    expect(again.read).toBeGreaterThanOrEqual(12);
    expect(again.tasks).toEqual([]);
    expect({ tasks: await count('followup_tasks'), notifications: await count('notifications'), events: await count('task_events'), fired: await count('followup_emissions'), deadlines: await jobs('followup.deadline'), deliveryJobs: await jobs('followup.notify-list'), timeline: await timeline() }).toEqual(after);
    expect((await deliveries()).sort()).toEqual(ids.sort());
  });

  // A batch writes its tasks with its other rows at its end: what in the batch needs a task
  // before then (a contact event, a notice to the task's owner) must still find it.
  it('stops the clock of a lead contacted later in the same batch, and tells the owner of a task not yet written', async () => {
    const ownerId = (await t.store.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
    await post('/followups/rules', {
      name: 'Book the demo',
      definition: { trigger: { kind: 'event', event: 'Demo Requested' }, actions: [{ type: 'create_task', title: 'Book it', slaKind: 'lead', assign: { strategy: 'user', userId: ownerId } }, { type: 'notify', target: 'owner' }] },
    });
    const at = new Date(clock.now()).toISOString();
    const batch = [
      { type: 'track', userId: 'quick-1', event: LEAD, messageId: 'q-1', timestamp: at },
      { type: 'track', userId: 'demo-1', event: 'Demo Requested', messageId: 'q-2', timestamp: at },
      { type: 'track', userId: 'quick-1', event: 'Call Logged', messageId: 'q-3', timestamp: new Date(clock.now() + 1).toISOString() },
    ];
    const res = await t.app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basicAuth(writeKey) }, payload: { batch } });
    expect(res.statusCode, res.body).toBe(200);
    await awaitLogHorizon(t.store.db, dialect);
    clock.advance(1000);
    const out = await consume();
    expect(out.tasks).toHaveLength(2);
    const quick = await t.store.db.selectFrom('followup_tasks').select(['id', 'status', 'contacted_by']).where('workspace_id', '=', ws).where('respondent_value', '=', 'quick-1').executeTakeFirstOrThrow();
    expect(quick).toMatchObject({ status: 'contacted', contacted_by: 'event:Call Logged' });
    expect(out.contacted).toEqual([quick.id]);
    const demo = await t.store.db.selectFrom('followup_tasks').select('id').where('workspace_id', '=', ws).where('respondent_value', '=', 'demo-1').executeTakeFirstOrThrow();
    const told = await t.store.db.selectFrom('notifications').select('target_id').where('workspace_id', '=', ws).where('task_id', '=', demo.id).execute();
    expect(told).toEqual([{ target_id: `user:${ownerId}` }]);
  });

  it('fails the whole batch, writing nothing, when a task of the same rule and source appeared meanwhile', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basicAuth(writeKey) }, payload: { batch: [{ type: 'track', userId: 'raced-1', event: LEAD, messageId: 'r-1' }] } });
    expect(res.statusCode, res.body).toBe(200);
    await awaitLogHorizon(t.store.db, dialect);
    const event = await t.store.db.selectFrom('events').select('id').where('workspace_id', '=', ws).where('message_id', '=', 'r-1').executeTakeFirstOrThrow();
    const rule = await t.store.db.selectFrom('followup_rules').select('id').where('workspace_id', '=', ws).where('name', '=', 'Call new leads').executeTakeFirstOrThrow();
    // Another consumer's task for this event, committed without this consumer's ledger seeing it.
    const other = await t.store.db.selectFrom('followup_tasks').selectAll().where('workspace_id', '=', ws).limit(1).executeTakeFirstOrThrow();
    await t.store.db.insertInto('followup_tasks').values({ ...other, id: 'tsk_raced', source_type: 'event', source_id: event.id, rule_id: rule.id, respondent_value: 'raced-1' }).execute();
    const before = { tasks: await count('followup_tasks'), notifications: await count('notifications'), fired: await count('followup_emissions') };
    await expect(consume()).rejects.toThrow();
    expect({ tasks: await count('followup_tasks'), notifications: await count('notifications'), fired: await count('followup_emissions') }).toEqual(before);
  });
});
