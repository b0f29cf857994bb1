/**
 * Issue 6: the rule consumer reads what a batch shares once and writes a batch's firings, task
 * events, deadline and delivery jobs, notifications and timeline records with one INSERT per
 * table. Outcomes a user would notice: every lead of a batch gets its task, its notification and
 * its deadline, and a batch read again (the cursor moved back, as after a crash before commit)
 * creates none of them twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeFollowups } from '../../src/modules/followup/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon, JobQueue, writeCursor } from '../../src/store/index.js';
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
    const after = { tasks: await count('followup_tasks'), notifications: await count('notifications'), events: await count('task_events'), fired: await count('followup_emissions'), deadlines: await jobs('followup.deadline'), deliveries: await jobs('followup.notify'), timeline: await timeline() };
    expect(after).toEqual({ tasks: 12, notifications: 12, events: 12, fired: 12, deadlines: 12, deliveries: 12, timeline: 12 });
    const titles = (await t.store.db.selectFrom('followup_tasks').select(['respondent_value', 'first_contact_due_at', 'policy_id']).where('workspace_id', '=', ws).execute()).map((r) => [r.respondent_value, r.first_contact_due_at !== null, r.policy_id !== null]);
    expect(titles.sort()).toEqual(batch.map((e) => [e.userId, true, true]).sort());

    // The same batch again, as after a crash before the cursor's commit.
    await writeCursor(t.store.db, ws, 'followup.events', '', clock.now());
    clock.advance(1000);
    const again = await consume();
    expect(again.read).toBeGreaterThanOrEqual(12);
    expect(again.tasks).toEqual([]);
    expect({ tasks: await count('followup_tasks'), notifications: await count('notifications'), events: await count('task_events'), fired: await count('followup_emissions'), deadlines: await jobs('followup.deadline'), deliveries: await jobs('followup.notify'), timeline: await timeline() }).toEqual(after);
  });
});
