/**
 * Follow-up within the hour, over HTTP and through the real job queue: a detractor's answer
 * becomes a task with a one-hour clock and an owner; a contact (by an agent, or by a
 * `Call Logged` event) stops the clock; a missed deadline is a breach recorded exactly once,
 * whoever runs its job and however often, also after a restart; waiting pauses the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatcher, customerOfIdentifier, resolvePending } from '../../src/modules/customers/index.js';
import { consumeFollowups, DEADLINE_QUEUE, NOTICE_QUEUE, registerDeadlines, runDeadline, runNotify, type DeadlinePayload } from '../../src/modules/followup/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { awaitLogHorizon, fromJson, JobQueue, openStore, readFacts, Worker, type Store } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { addTestMember, basicAuth, errorCode, loginAs, type Session, type TestApp } from '../support/app.js';
import { createFollowupFixture } from '../support/followup.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const survey = { defaultLanguage: 'en', questions: [{ id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us?' }, required: true }] };

interface Task {
  id: string;
  ruleId: string;
  status: string;
  title: string;
  ownerUserId: string | null;
  startedAt: string;
  firstContactDueAt: string | null;
  contactedAt: string | null;
  contactedBy: string | null;
  firstBreachedAt: string | null;
  slaMet: boolean | null;
  respondent: { kind: string; value: string };
}
interface History {
  type: string;
  details: Record<string, unknown> | null;
}

describe.each(testDialects())('follow-up within the hour on %s', (dialect) => {
  // Ids grow monotonically per process (IdSequence): the PostgreSQL run starts after the SQLite run's clock ended.
  const clock = new ManualClock(Date.UTC(2026, 10, 16, 9) + (dialect === 'postgres' ? 60 * 86_400_000 : 0));
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let agent1: Session;
  let agent2: Session;
  let viewer: Session;
  let agent1Id: string;
  let agent2Id: string;
  let managerId: string;
  let writeKey: string;
  let surveyId: string;
  let queue: JobQueue;
  let detractorRuleId: string;

  const api = (path: string) => `/api/workspaces/${ws}${path}`;
  const post = async (session: Session, path: string, payload: unknown = {}) => t.app.inject({ method: 'POST', url: api(path), headers: session.headers, payload: payload as Record<string, unknown> });
  const get = async <T>(session: Session, path: string): Promise<T> => {
    const res = await t.app.inject({ url: api(path), headers: session.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };
  const track = async (path: string, body: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/${path}`, headers: { authorization: basicAuth(writeKey) }, payload: body });
    expect(res.statusCode, res.body).toBe(200);
  };
  const answer = async (userId: string, nps: number, id = surveyId) => {
    const l = await post(owner, `/surveys/${id}/links`, { respondent: { kind: 'user_id', value: userId } });
    expect(l.statusCode, l.body).toBe(201);
    const res = await t.app.inject({ method: 'POST', url: `/s/api/${id}/answers`, payload: { token: (l.json() as { token: string }).token, answers: { nps }, finished: true } });
    expect(res.statusCode, res.body).toBe(200);
  };
  /** What the background work does, step by step: identity resolution, then the rule consumer. */
  const consume = async () => {
    await awaitLogHorizon(t.store.db, dialect);
    await resolvePending({ store: t.store, clock, matcher: createMatcher() }, ws);
    return consumeFollowups({ store: t.store, clock, queue }, ws);
  };
  const deadlineWorker = (store: Store = t.store) => {
    const q = new JobQueue(store, { clock });
    const w = new Worker(q, { onlyRegisteredQueues: true, concurrency: 8 });
    registerDeadlines(w, q, { store, clock });
    return w;
  };
  const runDue = async (store: Store = t.store) => {
    const w = deadlineWorker(store);
    let n = 0;
    for (let ran = await w.runOnce(); ran > 0; ran = await w.runOnce()) n += ran;
    return n;
  };
  /** The notifications rules and escalations asked for, handed to the notifications module. */
  const runNotices = async () => {
    const q = new JobQueue(t.store, { clock });
    const w = new Worker(q, { onlyRegisteredQueues: true }).register(NOTICE_QUEUE, async (job) => void (await runNotify({ store: t.store, clock }, job.payload as Parameters<typeof runNotify>[1])));
    let n = 0;
    for (let ran = await w.runOnce(); ran > 0; ran = await w.runOnce()) n += ran;
    return n;
  };
  const taskOf = async (userId: string): Promise<Task> => {
    const { tasks } = await get<{ tasks: Task[] }>(owner, '/tasks?view=all');
    const task = tasks.find((x) => x.respondent.value === userId && x.ruleId === detractorRuleId);
    if (!task) throw new Error(`no task for ${userId}`);
    return task;
  };
  const historyOf = async (taskId: string) => (await get<{ history: History[] }>(owner, `/tasks/${taskId}`)).history;
  const factsOf = async (topic: string) => readFacts(t.store.db, ws, { after: '', topics: [topic], limit: 1000 });

  beforeAll(async () => {
    ({ t, queue, ws, owner, writeKey } = await createFollowupFixture(dialect, clock));
    agent1Id = await addTestMember(t, ws, 'agent1@alpha.test', 'agent');
    agent2Id = await addTestMember(t, ws, 'agent2@alpha.test', 'agent');
    managerId = await addTestMember(t, ws, 'manager@alpha.test', 'manager');
    await addTestMember(t, ws, 'viewer@alpha.test', 'viewer');
    agent1 = await loginAs(t.app, 'agent1@alpha.test');
    agent2 = await loginAs(t.app, 'agent2@alpha.test');
    viewer = await loginAs(t.app, 'viewer@alpha.test');

    const s = await post(owner, '/surveys', { name: 'Relationship NPS', definition: survey });
    surveyId = (s.json() as { id: string }).id;
    expect((await t.app.inject({ method: 'PATCH', url: api(`/surveys/${surveyId}`), headers: owner.headers, payload: { status: 'active' } })).statusCode).toBe(200);

    const team = await post(owner, '/followups/teams', { name: 'Success', members: [agent1Id, agent2Id], managerUserId: managerId });
    expect(team.statusCode, team.body).toBe(201);
    const policy = await post(owner, '/followups/policies', {
      name: 'Detractors',
      triggerKind: 'detractor',
      firstContactMinutes: 60,
      escalation: [
        { atPercent: 50, notify: 'owner' },
        { atPercent: 150, notify: 'manager' },
      ],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const rule = await post(owner, '/followups/rules', {
      name: 'Call detractors back',
      definition: {
        trigger: { kind: 'feedback' },
        conditions: [{ field: 'feedback.category', op: 'eq', value: 'detractor' }],
        actions: [
          {
            type: 'create_task',
            title: 'Call {{customer.name}} back: NPS {{feedback.score}}',
            priority: 'high',
            slaKind: 'detractor',
            assign: { strategy: 'account_owner', fallback: { strategy: 'round_robin', teamId: (team.json() as { id: string }).id } },
          },
        ],
      },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    detractorRuleId = (rule.json() as { id: string }).id;
  });
  afterAll(() => t.close());

  it('refuses invalid rules with the path of each fault, and rules that would loop', async () => {
    const bad = await post(owner, '/followups/rules', {
      name: 'Broken',
      definition: { trigger: { kind: 'feedback' }, conditions: [{ field: 'feedback.score', op: 'lt' }], actions: [{ type: 'create_task', title: 'Hi {{customer.shoeSize}}', slaKind: 'Detractor!' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorCode(bad)).toBe('RULE_INVALID');
    const paths = (bad.json() as { error: { details: { issues: { path: string }[] } } }).error.details.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['definition.conditions.0.value', 'definition.actions.0.title', 'definition.actions.0.slaKind']));
    const wrongRoot = await post(owner, '/followups/rules', { name: 'x', definition: { trigger: { kind: 'event', event: 'Signed Up' }, conditions: [{ field: 'feedback.score', op: 'lt', value: 7 }], actions: [{ type: 'tag_profile', tag: 'new' }] } });
    expect((wrongRoot.json() as { error: { message: string } }).error.message).toBe('definition.conditions.0.field: a event rule cannot read feedback.*');

    // Asking a detractor the same survey again would feed the rule its own answers.
    const loop = await post(owner, '/followups/rules', { name: 'Ask again', definition: { trigger: { kind: 'feedback', surveyId }, actions: [{ type: 'send_survey', surveyId }] } });
    expect(loop.statusCode).toBe(409);
    expect(errorCode(loop)).toBe('RULE_LOOP');
    expect((await post(viewer, '/followups/rules', { name: 'x', definition: {} })).statusCode).toBe(403);
  });

  it('tests a rule against a sample without changing anything', async () => {
    const before = await get<{ tasks: Task[] }>(owner, '/tasks');
    const res = await post(viewer, '/followups/rules/test', {
      rule: { trigger: { kind: 'feedback' }, conditions: [{ field: 'feedback.score', op: 'lte', value: 6 }], actions: [{ type: 'create_task', title: 'Call {{customer.name}}: {{feedback.score}}', slaKind: 'detractor' }] },
      sample: { feedback: { score: 4, category: 'detractor' } },
      customer: { name: 'Ada Lovelace', traits: {} },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ matched: true, actions: [{ type: 'create_task', title: 'Call Ada Lovelace: 4' }], loop: null });
    const miss = await post(viewer, '/followups/rules/test', {
      rule: { trigger: { kind: 'feedback' }, conditions: [{ field: 'feedback.score', op: 'lte', value: 6 }], actions: [{ type: 'tag_profile', tag: 'x' }] },
      sample: { feedback: { score: 9 } },
    });
    expect(miss.json()).toMatchObject({ matched: false, actions: [] });
    expect((miss.json() as { reasons: string[] }).reasons[0]).toContain('conditions.0: feedback.score lte 6 is false (it is 9)');
    expect((await get<{ tasks: Task[] }>(owner, '/tasks')).tasks).toEqual(before.tasks);
  });

  it('makes a detractor’s answer a task for the account owner, due in an hour; a contact in time is no breach', async () => {
    await track('identify', { userId: 'u-1', traits: { name: 'Grace Hopper', email: 'grace@navy.example', accountOwnerEmail: 'AGENT2@alpha.test' } });
    await consume();
    await answer('u-1', 3);
    const out = await consume();
    expect(out.tasks).toHaveLength(1);
    const task = await taskOf('u-1');
    expect(task).toMatchObject({ status: 'open', title: 'Call Grace Hopper back: NPS 3', ownerUserId: agent2Id, slaMet: null });
    expect(Date.parse(task.firstContactDueAt as string) - Date.parse(task.startedAt)).toBe(HOUR);
    // The same answer read again (a re-delivered fact) makes no second task.
    expect((await consume()).tasks).toHaveLength(0);

    // The 50 % step reminds the owner (a notification, queued with the step), and is no breach.
    clock.advance(31 * MINUTE);
    expect(await runDue()).toBe(1);
    expect(await runNotices()).toBe(0);
    const sent = await t.store.db.selectFrom('notifications').select(['target_id', 'task_id', 'event']).where('workspace_id', '=', ws).execute();
    expect(sent).toEqual([{ target_id: `user:${agent2Id}`, task_id: task.id, event: 'task.escalated' }]);
    clock.advance(9 * MINUTE);
    const contacted = await post(agent2, `/tasks/${task.id}/contacted`);
    expect(contacted.statusCode, contacted.body).toBe(200);
    expect(contacted.json()).toMatchObject({ status: 'contacted', contactedBy: `user:${agent2Id}`, slaMet: true });
    clock.advance(2 * HOUR);
    await runDue();
    const history = await historyOf(task.id);
    expect(history.map((h) => h.type)).toEqual(['created', 'assigned', 'escalated', 'contacted']);
    expect((await taskOf('u-1')).firstBreachedAt).toBeNull();
    const contactFacts = (await factsOf('followup.contacted')).filter((f) => (f.payload as { taskId: string }).taskId === task.id);
    expect(contactFacts.map((f) => f.payload)).toEqual([expect.objectContaining({ met: true, elapsedMs: Date.parse(contacted.json().contactedAt) - Date.parse(task.startedAt) })]);
    expect((await post(agent2, `/tasks/${task.id}/contacted`)).statusCode).toBe(409);
  });

  it('records a missed deadline once, even when its job runs twice and from two workers at once', async () => {
    await answer('u-2', 1);
    await consume();
    const task = await taskOf('u-2');
    // No account owner: the team's turn (round-robin after agent2's... counter starts at agent1).
    expect(task.ownerUserId).toBe(agent1Id);
    clock.set(Date.parse(task.firstContactDueAt as string) + 1000);
    const jobs = await t.store.db.selectFrom('jobs').select('payload').where('queue', '=', DEADLINE_QUEUE).where('status', '=', 'queued').execute();
    const mine = jobs.map((j) => fromJson<DeadlinePayload>(j.payload)).filter((p) => p.taskId === task.id && p.step === 2);
    expect(mine).toHaveLength(1);
    // A second process on the same database. (SQLite serves one process: better-sqlite3 blocks its
    // thread while it waits for a lock, so there the second connection takes its turn after the first.)
    const other = openStore(t.store.url);
    const together = async <T>(a: () => Promise<T>, b: () => Promise<T>): Promise<T[]> => (dialect === 'postgres' ? Promise.all([a(), b()]) : [await a(), await b()]);
    try {
      const payload = mine[0] as DeadlinePayload;
      const here = () => runDeadline({ store: t.store, clock }, queue, payload);
      const outcomes = [
        ...(await Promise.all([here(), here()])),
        ...(await together(here, () => runDeadline({ store: other, clock }, new JobQueue(other, { clock }), payload))),
      ];
      expect(outcomes.flatMap((o) => o.breached)).toEqual(['first_contact']);
      // And the queued jobs themselves, from two workers.
      await together(() => runDue(t.store), () => runDue(other));
    } finally {
      await other.close();
    }
    const history = await historyOf(task.id);
    expect(history.filter((h) => h.type === 'breached')).toHaveLength(1);
    expect(history.filter((h) => h.type === 'breached')[0]?.details).toMatchObject({ of: 'first_contact', latenessMs: 1000 });
    expect((await factsOf('followup.breached')).filter((f) => (f.payload as { taskId: string }).taskId === task.id)).toHaveLength(1);
    expect(await taskOf('u-2')).toMatchObject({ slaMet: false, firstBreachedAt: new Date(clock.now()).toISOString() });
  });

  it('stops the clock on a `Call Logged` event from the tracking API', async () => {
    await answer('u-3', 5);
    await consume();
    const task = await taskOf('u-3');
    clock.advance(10 * MINUTE);
    await track('track', { userId: 'u-3', event: 'Call Logged', properties: { durationSeconds: 300 }, timestamp: new Date(clock.now()).toISOString() });
    const out = await consume();
    expect(out.contacted).toEqual([task.id]);
    expect(await taskOf('u-3')).toMatchObject({ status: 'contacted', contactedBy: 'event:Call Logged', slaMet: true });
    clock.set(Date.parse(task.firstContactDueAt as string) + MINUTE);
    await runDue();
    expect((await taskOf('u-3')).firstBreachedAt).toBeNull();
  });

  it('pauses while waiting on the customer, and resuming moves the deadline by the paused time', async () => {
    await answer('u-4', 2);
    await consume();
    const task = await taskOf('u-4');
    const due = Date.parse(task.firstContactDueAt as string);
    clock.advance(10 * MINUTE);
    const me = task.ownerUserId === agent1Id ? agent1 : agent2;
    expect((await post(me, `/tasks/${task.id}/waiting`)).json()).toMatchObject({ status: 'waiting' });
    clock.advance(30 * MINUTE);
    const resumed = await post(me, `/tasks/${task.id}/resume`);
    expect(resumed.json()).toMatchObject({ status: 'open' });
    expect(Date.parse(resumed.json().firstContactDueAt)).toBe(due + 30 * MINUTE);
    // The old deadline passes: nothing (its job belongs to the old generation).
    clock.set(due + MINUTE);
    await runDue();
    expect((await taskOf('u-4')).firstBreachedAt).toBeNull();
    clock.set(due + 30 * MINUTE + 1);
    await runDue();
    expect((await taskOf('u-4')).firstBreachedAt).toBe(new Date(clock.now()).toISOString());

    // Once contacted, a wait moves the resolution deadline only: the first-contact one stays.
    clock.advance(MINUTE);
    expect((await post(me, `/tasks/${task.id}/contacted`)).statusCode).toBe(200);
    const contacted = await taskOf('u-4');
    await post(me, `/tasks/${task.id}/waiting`);
    clock.advance(20 * MINUTE);
    const after = (await post(me, `/tasks/${task.id}/resume`)).json();
    expect(after).toMatchObject({ status: 'contacted', firstContactDueAt: contacted.firstContactDueAt });
  });

  it('catches a deadline that passed while the server was down, once, after a restart', async () => {
    await answer('u-5', 0);
    await consume();
    const task = await taskOf('u-5');
    // "Down" for three hours; a new process on the same database starts its worker.
    clock.set(Date.parse(task.firstContactDueAt as string) + 3 * HOUR);
    const restarted = openStore(t.store.url);
    try {
      await runDue(restarted);
      await runDue(restarted);
    } finally {
      await restarted.close();
    }
    const history = await historyOf(task.id);
    expect(history.filter((h) => h.type === 'breached').map((h) => h.details)).toEqual([expect.objectContaining({ of: 'first_contact', latenessMs: 3 * HOUR })]);
    // Every step fired once, in order, the late ones caught up.
    expect(history.filter((h) => h.type === 'escalated').map((h) => h.details?.atPercent)).toEqual([50, 100, 150]);
  });

  it('lets an agent take an unassigned task but not reassign a colleague’s', async () => {
    const task = await taskOf('u-5');
    const other = task.ownerUserId === agent1Id ? agent2 : agent1;
    const otherId = task.ownerUserId === agent1Id ? agent2Id : agent1Id;
    expect(errorCode(await post(other, `/tasks/${task.id}/assign`, { userId: otherId }))).toBe('FORBIDDEN');
    const byManager = await post(owner, `/tasks/${task.id}/assign`, { userId: otherId });
    expect(byManager.json()).toMatchObject({ ownerUserId: otherId });
    const mine = await get<{ tasks: Task[] }>(other, '/tasks?view=mine');
    expect(mine.tasks.map((x) => x.id)).toContain(task.id);
    const resolved = await post(other, `/tasks/${task.id}/resolved`);
    expect(resolved.json()).toMatchObject({ status: 'resolved' });
  });

  it('creates the task even when its notification target is gone, and keeps the refused notice visible', async () => {
    const target = await post(owner, '/notification-targets', { kind: 'webhook', name: 'Sales channel', url: 'https://hooks.example.com/sales', secret: 'a-secret-of-twenty-chars' });
    expect(target.statusCode, target.body).toBe(201);
    const targetId = (target.json() as { id: string }).id;
    const rule = await post(owner, '/followups/rules', {
      name: 'Tell sales about big orders',
      definition: { trigger: { kind: 'event', event: 'Big Order' }, actions: [{ type: 'create_task', title: 'Thank them', slaKind: 'lead' }, { type: 'notify', target: { targetId } }] },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    expect((await t.app.inject({ method: 'DELETE', url: api(`/notification-targets/${targetId}`), headers: owner.headers })).statusCode).toBe(204);
    await track('track', { userId: 'u-big', event: 'Big Order', properties: { total: 900 } });
    const out = await consume();
    expect(out.tasks).toHaveLength(1);
    const notices = await t.store.db.selectFrom('jobs').select(['payload', 'status']).where('queue', '=', NOTICE_QUEUE).execute();
    expect(notices.map((n) => n.status)).toEqual(['queued']);
    expect(await runNotices()).toBe(1);
    const [failed] = await new JobQueue(t.store, { clock }).list({ queue: NOTICE_QUEUE, status: 'failed' });
    expect(failed?.lastError).toContain(`no notification target ${targetId}`);
    await t.app.inject({ method: 'PATCH', url: api(`/followups/rules/${(rule.json() as { id: string }).id}`), headers: owner.headers, payload: { enabled: false } });
  });

  it('puts the task on the customer’s timeline', async () => {
    await consume();
    const grace = await customerOfIdentifier(t.store.db, ws, 'user_id', 'u-1');
    const view = await get<{ timeline: { items: { source: string; data: { title?: string; status?: string } }[] } }>(owner, `/customers/${grace?.customerId}`);
    const item = view.timeline.items.find((i) => i.source === 'emptychair' && i.data.title?.startsWith('Call Grace'));
    expect(item?.data).toMatchObject({ title: 'Call Grace Hopper back: NPS 3', status: 'contacted' });
  });

  it('stops a rule that its own output would trigger again, and flags it', async () => {
    const s2 = (await post(owner, '/surveys', { name: 'Follow-up survey', definition: survey })).json() as { id: string };
    await t.app.inject({ method: 'PATCH', url: api(`/surveys/${s2.id}`), headers: owner.headers, payload: { status: 'active' } });
    // Two rules that feed each other, stored as an older version would have (the API refuses the cycle).
    const now = clock.now();
    const rows = [
      { id: 'rul_a', definition: { trigger: { kind: 'feedback', surveyId }, conditions: [{ field: 'feedback.score', op: 'eq', value: 4 }], actions: [{ type: 'send_survey', surveyId: s2.id }] } },
      { id: 'rul_b', definition: { trigger: { kind: 'feedback', surveyId: s2.id }, actions: [{ type: 'send_survey', surveyId }] } },
    ];
    for (const r of rows) {
      await t.store.db
        .insertInto('followup_rules')
        .values({ workspace_id: ws, id: r.id, name: r.id, enabled: 1, definition: JSON.stringify(r.definition), template: null, loop_detected_at: null, loop_detail: null, created_at: now, updated_at: now })
        .execute();
    }
    await answer('u-9', 4);
    await consume();
    await answer('u-9', 8, s2.id);
    await consume();
    // The same customer answers the first survey again (a new delivery): rule a's own output came back.
    await answer('u-9', 4);
    const out = await consume();
    expect(out.stopped).toEqual([{ ruleId: 'rul_a', reason: 'loop', chain: ['rul_a', 'rul_b', 'rul_a'] }]);
    const requested = (await factsOf('followup.survey_requested')).map((f) => f.payload as { ruleId: string; chain: string[] });
    expect(requested.map((p) => [p.ruleId, p.chain])).toEqual([
      ['rul_a', ['rul_a']],
      ['rul_b', ['rul_a', 'rul_b']],
    ]);
    const flagged = await get<{ loopDetectedAt: string | null; loopDetail: { chain: string[] } }>(owner, '/followups/rules/rul_a');
    expect(flagged.loopDetectedAt).not.toBeNull();
    expect(flagged.loopDetail.chain).toEqual(['rul_a', 'rul_b', 'rul_a']);
    await t.store.db.deleteFrom('followup_rules').where('workspace_id', '=', ws).where('id', 'in', ['rul_a', 'rul_b']).execute();
  });

  it('enables proactive templates with one call, once; "second ticket within 7 days" counts per customer', async () => {
    const list = await get<{ templates: { name: string; enabled: boolean }[] }>(viewer, '/followups/templates');
    expect(list.templates.map((x) => x.name)).toEqual(['new-lead', 'detractor', 'payment-failed', 'second-ticket', 'usage-drop']);
    const first = await post(owner, '/followups/templates/second-ticket/enable');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ created: true, policy: { triggerKind: 'repeat_ticket', firstContactMinutes: 120 }, rule: { template: 'second-ticket', enabled: true } });
    const again = await post(owner, '/followups/templates/second-ticket/enable');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, rule: { id: first.json().rule.id } });
    // The workspace already has a detractor policy: the template uses it.
    const detractor = await post(owner, '/followups/templates/detractor/enable');
    expect(detractor.json()).toMatchObject({ created: true, policy: { name: 'Detractors' } });
    expect(errorCode(await post(owner, '/followups/templates/nope/enable'))).toBe('TEMPLATE_NOT_FOUND');
    expect((await post(agent1, '/followups/templates/new-lead/enable')).statusCode).toBe(403);

    const ticket = async (userId: string, subject: string) => {
      await track('track', { userId, event: 'Ticket Created', properties: { subject }, timestamp: new Date(clock.now()).toISOString() });
    };
    await ticket('u-7', 'Login fails');
    await ticket('u-8', 'Invoice');
    expect((await consume()).tasks).toHaveLength(0);
    clock.advance(3 * 86_400_000);
    await ticket('u-7', 'Login still fails');
    const out = await consume();
    expect(out.tasks).toHaveLength(1);
    const { tasks } = await get<{ tasks: Task[] }>(owner, '/tasks?status=open');
    expect(tasks.find((x) => x.id === out.tasks[0])).toMatchObject({ title: 'Second ticket in 7 days from : Login still fails', respondent: { value: 'u-7' } });
    clock.advance(8 * 86_400_000);
    await ticket('u-7', 'A week later');
    expect((await consume()).tasks).toHaveLength(0);
  });
});
