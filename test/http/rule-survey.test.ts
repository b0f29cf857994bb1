/**
 * A follow-up rule's `send_survey` action, end to end against an in-process SMTP server: the
 * rule fires on a tracked event, the feedback module turns its `followup.survey_requested` fact
 * into a delivery and the survey e-mail arrives; reading the requests again sends nothing twice;
 * the contact limit still applies; and a rule whose survey's answer (given from the e-mail)
 * would trigger it again is stopped by the loop guard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { consumeRequests, REQUESTS_CURSOR, REQUESTS_QUEUE, scheduleRequests } from '../../src/modules/feedback/deliveries/request.consumer.js';
import { SEND_QUEUE } from '../../src/modules/feedback/deliveries/sender.js';
import { registerFeedbackJobs } from '../../src/modules/feedback/index.js';
import { consumeFollowups, SURVEY_REQUESTED } from '../../src/modules/followup/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { seededRandom } from '../../src/platform/random.js';
import { awaitLogHorizon, JobQueue, readFacts, Worker } from '../../src/store/index.js';
import { testDialects, type TestStore } from '../../src/store/testing.js';
import { createTestApp, createWriteKey, seedAlpha, sendTracking, type Session, type TestApp } from '../support/app.js';
import { Inbox, type Received } from '../support/inbox.js';

const PUBLIC = 'https://surveys.example.com';

/** The score links of a survey e-mail (quoted-printable decoded), as URLs. */
function scoreLinks(raw: string): URL[] {
  const decoded = raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return [...decoded.matchAll(/href="([^"]*score=\d+)"/g)].map((m) => new URL((m[1] as string).replace(/&amp;/g, '&')));
}

describe.each(testDialects())('surveys sent by follow-up rules on %s', (dialect) => {
  const clock = new ManualClock(Date.UTC(2026, 4, 12, 10) + (dialect === 'postgres' ? 86_400_000 : 0));
  const inbox = new Inbox();
  let store: TestStore;
  let t: TestApp;
  let queue: JobQueue;
  let worker: Worker;
  let closeMail: () => void;
  let ws: string;
  let owner: Session;
  let writeKey: string;
  let surveyId: string;
  let ruleId: string;
  let seq = 0;

  const api = (path: string) => `/api/workspaces/${ws}${path}`;
  const post = async (path: string, payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: api(path), headers: owner.headers, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as { id: string; token?: string };
  };
  const ingest = (type: 'track' | 'identify', body: Record<string, unknown>) => sendTracking(t.app, writeKey, type, { messageId: `m-${++seq}`, ...body });
  const settle = () => awaitLogHorizon(store.db, dialect);
  /** Identity resolution, then the rule consumer: what the background work does first. */
  const rules = async () => {
    await settle();
    await resolvePending({ store, clock, matcher: createMatcher() }, ws);
    return consumeFollowups({ store, clock, queue }, ws);
  };
  const runJobs = async () => {
    let n = 0;
    for (let i = 0; i < 5; i++) n += await worker.runOnce();
    return n;
  };
  const createSurvey = async (name: string) => {
    const { id } = await post('/surveys', { name, definition: { defaultLanguage: 'en', questions: [{ id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend Acme?' }, required: true }] } });
    const opened = await t.app.inject({ method: 'PATCH', url: api(`/surveys/${id}`), headers: owner.headers, payload: { status: 'active' } });
    expect(opened.statusCode, opened.body).toBe(200);
    return id;
  };
  const deliveries = async (id: string) => {
    const res = await t.app.inject({ url: api(`/surveys/${id}/deliveries`), headers: owner.headers });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { deliveries: { status: string; reason: string | null; triggerId: string | null; respondent: { kind: string; value: string } }[] }).deliveries;
  };
  const requests = async () => (await readFacts(store.db, ws, { after: '', topics: [SURVEY_REQUESTED], limit: 100 })).map((f) => f.payload as { ruleId: string; chain: string[] });
  const putSettings = async (settings: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'PUT', url: api('/feedback/settings'), headers: owner.headers, payload: settings });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    await inbox.start();
    const smtpUrl = `smtp://127.0.0.1:${inbox.port}`;
    t = await createTestApp({ dialect, clock, mail: { smtpUrl, mailFrom: 'surveys@acme.test' } });
    store = t.store;
    ({ ws, owner } = await seedAlpha(t));
    writeKey = await createWriteKey(t, ws, 'web');
    queue = new JobQueue(store, { clock });
    worker = new Worker(queue, { onlyRegisteredQueues: true });
    // One pass per run of the log-following jobs: the test moves the clock, not the wall.
    closeMail = registerFeedbackJobs(worker, queue, { store, clock, publicUrl: PUBLIC, smtpUrl, mailFrom: 'surveys@acme.test', random: seededRandom(3), triggerRunMs: 1 });
    await putSettings({ contactLimitDays: 30, quietHours: { start: 21, end: 8 }, defaultTimeZone: 'UTC' });
    surveyId = await createSurvey('After onboarding');
    const rule = await post('/followups/rules', { name: 'Ask after onboarding', definition: { trigger: { kind: 'event', event: 'Onboarding Completed' }, actions: [{ type: 'send_survey', surveyId }] } });
    ruleId = rule.id;
  });
  afterAll(async () => {
    closeMail?.();
    await t?.close();
    await inbox.stop();
  });

  it('e-mails the survey when the rule fires on an event', async () => {
    await ingest('identify', { userId: 'u-ada', traits: { email: 'ada@lovelace.dev', name: 'Ada' } });
    await ingest('track', { userId: 'u-ada', event: 'Onboarding Completed' });
    await ingest('track', { userId: 'u-bob', event: 'Page Viewed' });
    await rules();
    expect((await requests()).map((r) => [r.ruleId, r.chain])).toEqual([[ruleId, [ruleId]]]);
    expect(inbox.to('ada@lovelace.dev')).toEqual([]);

    // The feedback module's own job follows the requests and queues the e-mail.
    await settle();
    await scheduleRequests(queue, clock, 0);
    await runJobs();
    expect(inbox.to('ada@lovelace.dev')).toHaveLength(1);
    const links = scoreLinks((inbox.to('ada@lovelace.dev')[0] as Received).raw);
    expect(links.map((l) => l.searchParams.get('score'))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(`${links[0]?.origin}${links[0]?.pathname}`).toBe(`${PUBLIC}/s/${surveyId}`);
    expect(await deliveries(surveyId)).toEqual([expect.objectContaining({ status: 'sent', triggerId: `rule:${ruleId}`, respondent: { kind: 'user_id', value: 'u-ada' } })]);
  });

  it('sends no second e-mail when the requests are read again', async () => {
    const sendJobs = async () => {
      const c = await queue.counts(SEND_QUEUE);
      return c.queued + c.running + c.succeeded + c.failed;
    };
    const before = await sendJobs();
    await store.db.deleteFrom('consumer_cursors').where('workspace_id', '=', ws).where('consumer', '=', REQUESTS_CURSOR).execute();
    await settle();
    expect(await consumeRequests({ store, clock, queue }, ws)).toEqual({ requests: 1, deliveries: 0, more: false });
    // The job path too (a second run after a restart).
    await store.db.deleteFrom('consumer_cursors').where('workspace_id', '=', ws).where('consumer', '=', REQUESTS_CURSOR).execute();
    await scheduleRequests(queue, clock, 1000);
    clock.advance(1001);
    await runJobs();
    expect(await sendJobs()).toBe(before);
    expect(inbox.to('ada@lovelace.dev')).toHaveLength(1);
    expect(await deliveries(surveyId)).toHaveLength(1);
    expect((await queue.counts(REQUESTS_QUEUE)).failed).toBe(0);
  });

  it('keeps to the contact limit: a second request within it is skipped', async () => {
    clock.advance(86_400_000);
    await ingest('track', { userId: 'u-ada', event: 'Onboarding Completed' });
    await rules();
    await settle();
    expect((await consumeRequests({ store, clock, queue }, ws)).deliveries).toBe(1);
    await runJobs();
    expect(inbox.to('ada@lovelace.dev')).toHaveLength(1);
    expect((await deliveries(surveyId))[0]).toMatchObject({ status: 'skipped', reason: 'contact-limit' });
  });

  it('stops a rule that the answer to its own survey, given from the e-mail, would trigger again', async () => {
    await putSettings({ contactLimitDays: 0, quietHours: null, defaultTimeZone: 'UTC' });
    const pulse = await createSurvey('Pulse');
    // A rule that asks again whenever the survey is answered, stored as an older version would have (the API refuses the cycle).
    const now = clock.now();
    const definition = { trigger: { kind: 'feedback', surveyId: pulse, completeOnly: true }, actions: [{ type: 'send_survey', surveyId: pulse }] };
    await store.db
      .insertInto('followup_rules')
      .values({ workspace_id: ws, id: 'rul_again', name: 'Ask again', enabled: 1, definition: JSON.stringify(definition), template: null, loop_detected_at: null, loop_detail: null, created_at: now, updated_at: now })
      .execute();
    await ingest('identify', { userId: 'u-cy', traits: { email: 'cy@example.org', name: 'Cy' } });
    // Cy answers the pulse survey unasked (a link): the rule fires and asks by e-mail.
    const link = await post(`/surveys/${pulse}/links`, { respondent: { kind: 'user_id', value: 'u-cy' } });
    const first = await t.app.inject({ method: 'POST', url: `/s/api/${pulse}/answers`, payload: { token: link.token, answers: { nps: 7 }, finished: true } });
    expect(first.statusCode, first.body).toBe(200);
    await rules();
    await settle();
    expect((await consumeRequests({ store, clock, queue }, ws)).deliveries).toBe(1);
    await runJobs();
    expect(inbox.to('cy@example.org')).toHaveLength(1);

    // Cy answers from the e-mail: the answer carries the rule's chain, and the rule is not run again.
    const nine = scoreLinks((inbox.to('cy@example.org')[0] as Received).raw)[9] as URL;
    const answered = await t.app.inject({ method: 'POST', url: `/s/api/${pulse}/answers`, payload: { token: nine.searchParams.get('t'), answers: { nps: 9 }, finished: true } });
    expect(answered.statusCode, answered.body).toBe(200);
    const out = await rules();
    expect(out.stopped).toEqual([{ ruleId: 'rul_again', reason: 'loop', chain: ['rul_again', 'rul_again'] }]);
    expect((await requests()).filter((r) => r.ruleId === 'rul_again')).toEqual([expect.objectContaining({ chain: ['rul_again'] })]);
    await settle();
    expect((await consumeRequests({ store, clock, queue }, ws)).deliveries).toBe(0);
    await runJobs();
    expect(inbox.to('cy@example.org')).toHaveLength(1);
  });
});
