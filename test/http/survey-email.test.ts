/**
 * Surveys by e-mail, end to end, against an in-process SMTP server: a trigger after
 * "Ticket Solved" (with a property filter) creates a delivery, the e-mail reaches the inbox
 * after the delay with score links that answer through the public API; contact limits,
 * sampling, quiet hours, a missing address, an SMTP outage and hostile text.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatcher, resolvePending } from '../../src/modules/customers/index.js';
import { SEND_MAX_ATTEMPTS, SEND_QUEUE } from '../../src/modules/feedback/deliveries/sender.js';
import { consumeTriggers, TRIGGERS_CURSOR } from '../../src/modules/feedback/deliveries/trigger.consumer.js';
import { registerFeedbackJobs } from '../../src/modules/feedback/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { seededRandom } from '../../src/platform/random.js';
import { awaitLogHorizon, JobQueue, Worker } from '../../src/store/index.js';
import { testDialects, type TestStore } from '../../src/store/testing.js';
import { createTestApp, createWriteKey, errorCode, seedAlpha, sendTracking, type Session, type TestApp } from '../support/app.js';
import { Inbox, type Received } from '../support/inbox.js';

const MINUTE = 60_000;
const PUBLIC = 'https://surveys.example.com';
const SECRET = 's3cr3t-P4ss';

/** Just enough MIME: headers, and each text part decoded (quoted-printable or base64). */
function parseMail(raw: string): { headers: string; subject: string; html: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`).slice(1, -1) : [raw];
  const out = { headers, subject: decodeWords(/^Subject: (.*)$/im.exec(headers)?.[1] ?? ''), html: '', text: '' };
  for (const part of parts) {
    const at = part.indexOf('\r\n\r\n');
    const head = part.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
    const body = part.slice(at + 4);
    const encoding = /content-transfer-encoding: *([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
    const decoded =
      encoding === 'quoted-printable'
        ? Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))), 'latin1').toString('utf8')
        : encoding === 'base64'
          ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
          : body;
    if (/content-type: *text\/html/i.test(head)) out.html = decoded;
    else if (/content-type: *text\/plain/i.test(head)) out.text = decoded;
  }
  return out;
}

function decodeWords(s: string): string {
  return s.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

const unescape = (s: string) => s.replace(/&amp;/g, '&');

describe.each(testDialects())('surveys by e-mail on %s', (dialect) => {
  const clock = new ManualClock(Date.UTC(2026, 2, 10, 10) + (dialect === 'postgres' ? 86_400_000 : 0));
  const inbox = new Inbox({ user: 'mailer', password: SECRET });
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: new Writable({ write: (chunk: Buffer, _e, cb) => (logLines.push(chunk.toString()), cb()) }) });
  let store: TestStore;
  let t: TestApp;
  let queue: JobQueue;
  let worker: Worker;
  let closeMail: () => void;
  let ws: string;
  let owner: Session;
  let writeKey: string;
  let smtpUrl: string;
  let seq = 0;

  const api = () => `/api/workspaces/${ws}`;
  const settle = () => awaitLogHorizon(store.db, dialect);
  const ingest = (type: 'track' | 'identify', body: Record<string, unknown>) => sendTracking(t.app, writeKey, type, { messageId: `m-${++seq}`, ...body });
  const resolve = async () => {
    await settle();
    await resolvePending({ store, clock, matcher: createMatcher() }, ws);
  };
  const consume = async () => {
    await settle();
    return consumeTriggers({ store, clock, queue }, ws);
  };
  const createSurvey = async (definition: Record<string, unknown>, name = 'After support') => {
    const created = await t.app.inject({ method: 'POST', url: `${api()}/surveys`, headers: owner.headers, payload: { name, definition } });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    const opened = await t.app.inject({ method: 'PATCH', url: `${api()}/surveys/${id}`, headers: owner.headers, payload: { status: 'active' } });
    expect(opened.statusCode, opened.body).toBe(200);
    return id;
  };
  const deliveries = async (surveyId: string, query = '') => {
    const res = await t.app.inject({ url: `${api()}/surveys/${surveyId}/deliveries${query}`, headers: owner.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { deliveries: { id: string; status: string; reason: string | null; sendAt: string; attempts: number; respondent: { kind: string; value: string } }[]; nextCursor: string | null };
  };
  const send = async (surveyId: string, body: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: `${api()}/surveys/${surveyId}/send`, headers: owner.headers, payload: { channel: 'email', ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; status: string; sendAt: string };
  };
  const putSettings = async (settings: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'PUT', url: `${api()}/feedback/settings`, headers: owner.headers, payload: settings });
    expect(res.statusCode, res.body).toBe(200);
  };
  const runJobs = () => worker.runOnce();

  const nps = {
    id: 'nps',
    type: 'nps',
    text: { en: 'How likely are you to recommend Acme?', fr: 'Quelle est la probabilité que vous recommandiez Acme ?' },
    required: true,
  };

  beforeAll(async () => {
    await inbox.start();
    smtpUrl = `smtp://mailer:${SECRET}@127.0.0.1:${inbox.port}`;
    t = await createTestApp({ dialect, clock, mail: { smtpUrl, mailFrom: 'surveys@acme.test' } });
    store = t.store;
    ({ ws, owner } = await seedAlpha(t));
    writeKey = await createWriteKey(t, ws, 'web');
    queue = new JobQueue(store, { clock });
    worker = new Worker(queue, { logger, random: seededRandom(1), backoff: { baseMs: 60_000, maxMs: 60 * MINUTE, jitter: 0 } });
    closeMail = registerFeedbackJobs(worker, queue, { store, clock, publicUrl: PUBLIC, smtpUrl, mailFrom: 'surveys@acme.test', random: seededRandom(7), logger });
    await putSettings({ contactLimitDays: 30, quietHours: { start: 21, end: 8 }, defaultTimeZone: 'UTC', linkLifetimeDays: 30, branding: { companyName: 'Acme', colour: '#2f6fed' } });
  });
  afterAll(async () => {
    closeMail?.();
    await t?.close();
    await inbox.stop();
  });

  let solvedSurvey: string;

  it('sends a triggered survey after “Ticket Solved”, after its delay, with score links that answer', async () => {
    solvedSurvey = await createSurvey({
      defaultLanguage: 'en',
      questions: [nps],
      triggers: [{ id: 'solved', event: 'Ticket Solved', where: [{ property: 'channel', op: 'eq', value: 'email' }, { property: 'ticket.priority', op: 'gte', value: 2 }], delayMinutes: 60 }],
      email: { subject: { en: 'How did we do?', fr: 'Comment avons-nous fait ?' } },
    });
    await ingest('identify', { userId: 'u-ada', traits: { email: 'ada@lovelace.dev', name: 'Ada', language: 'fr' } });
    await resolve();
    const eventAt = clock.now();
    await ingest('track', { userId: 'u-ada', event: 'Ticket Solved', properties: { channel: 'email', ticket: { priority: 3 } } });
    await ingest('track', { userId: 'u-bob', event: 'Ticket Solved', properties: { channel: 'chat', ticket: { priority: 3 } } });
    await ingest('track', { userId: 'u-cat', event: 'Ticket Solved', properties: { channel: 'email', ticket: { priority: 1 } } });
    await ingest('track', { userId: 'u-ada', event: 'Ticket Opened', properties: { channel: 'email' } });
    expect((await consume()).deliveries).toBe(1);

    const log = await deliveries(solvedSurvey);
    expect(log.deliveries).toEqual([expect.objectContaining({ status: 'pending', respondent: { kind: 'user_id', value: 'u-ada' }, sendAt: new Date(eventAt + 60 * MINUTE).toISOString() })]);

    await runJobs();
    clock.set(eventAt + 59 * MINUTE);
    await runJobs();
    expect(inbox.to('ada@lovelace.dev'), 'not before the delay').toEqual([]);
    clock.set(eventAt + 60 * MINUTE + 1);
    expect(await runJobs()).toBe(1);
    expect(inbox.to('ada@lovelace.dev')).toHaveLength(1);
    expect((await deliveries(solvedSurvey)).deliveries[0]).toMatchObject({ status: 'sent', attempts: 1, reason: null });

    const mail = parseMail((inbox.to('ada@lovelace.dev')[0] as Received).raw);
    expect(mail.subject).toBe('Comment avons-nous fait ?');
    expect(mail.headers).toMatch(/^From: Acme <surveys@acme\.test>$/m);
    expect(mail.headers).toMatch(/^Message-ID: <dlv_[^>]+@acme\.test>$/im);
    expect(mail.text).toContain('Quelle est la probabilité que vous recommandiez Acme ?');
    expect(mail.html).toContain('Bonjour Ada,');
    const links = [...mail.html.matchAll(/href="([^"]*score=(\d+))"/g)].map((m) => ({ url: unescape(m[1] as string), score: Number(m[2]) }));
    expect(links.map((l) => l.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const nine = new URL((links[9] as { url: string }).url);
    expect(`${nine.origin}${nine.pathname}`).toBe(`${PUBLIC}/s/${solvedSurvey}`);
    expect(mail.text).toContain(nine.toString());

    const token = nine.searchParams.get('t') as string;
    const answered = await t.app.inject({ method: 'POST', url: `/s/api/${solvedSurvey}/answers`, payload: { token, answers: { nps: Number(nine.searchParams.get('score')) } } });
    expect(answered.statusCode, answered.body).toBe(200);
    const view = await t.app.inject({ url: `/s/api/${solvedSurvey}?t=${encodeURIComponent(token)}` });
    expect((view.json() as { response: { answers: Record<string, unknown> }; survey: { language: string } }).response.answers).toEqual({ nps: 9 });
  });

  it('creates one delivery per event and trigger, even when the consumer reads the events again', async () => {
    const jobsBefore = (await queue.counts(SEND_QUEUE)).succeeded + (await queue.counts(SEND_QUEUE)).queued;
    await store.db.deleteFrom('consumer_cursors').where('workspace_id', '=', ws).where('consumer', '=', TRIGGERS_CURSOR).execute();
    const again = await consume();
    expect(again.events).toBeGreaterThanOrEqual(4);
    expect(again.deliveries).toBe(0);
    expect((await consume()).events).toBe(0);
    expect((await deliveries(solvedSurvey)).deliveries).toHaveLength(1);
    const jobsAfter = (await queue.counts(SEND_QUEUE)).succeeded + (await queue.counts(SEND_QUEUE)).queued;
    expect(jobsAfter).toBe(jobsBefore);
  });

  it('does not send a delivery twice when its job runs again', async () => {
    const [sent] = (await deliveries(solvedSurvey)).deliveries;
    await queue.enqueue(SEND_QUEUE, { workspaceId: ws, deliveryId: sent?.id }, { runAt: clock.now() });
    expect(await runJobs()).toBe(1);
    expect(inbox.to('ada@lovelace.dev')).toHaveLength(1);
  });

  it('skips a second survey within the contact limit, across the customer’s identifiers', async () => {
    const other = await createSurvey({ questions: [{ id: 'csat', type: 'csat', text: { en: 'How satisfied are you?' } }] }, 'Quarterly');
    const d = await send(other, { respondent: { kind: 'email', value: 'Ada@Lovelace.dev' } });
    expect(d.status).toBe('pending');
    expect(await runJobs()).toBe(1);
    expect(inbox.to('ada@lovelace.dev')).toHaveLength(1);
    expect((await deliveries(other)).deliveries[0]).toMatchObject({ id: d.id, status: 'skipped', reason: 'contact-limit' });
    expect((await deliveries(other, '?status=skipped')).deliveries).toHaveLength(1);
    expect((await deliveries(other, '?status=sent')).deliveries).toHaveLength(0);
  });

  it('defers an e-mail that falls in the customer’s quiet hours to their end', async () => {
    const quarterly = await createSurvey({ questions: [nps] }, 'Tokyo');
    await ingest('identify', { userId: 'u-kenji', traits: { email: 'kenji@example.jp', timezone: 'Asia/Tokyo' } });
    await resolve();
    // 13:00 UTC is 22:00 in Tokyo: quiet until 08:00 there, 23:00 UTC.
    const day = Date.UTC(2026, 2, 20) + (dialect === 'postgres' ? 86_400_000 : 0);
    clock.set(day + 13 * 60 * MINUTE);
    const d = await send(quarterly, { respondent: { kind: 'user_id', value: 'u-kenji' } });
    await runJobs();
    expect(inbox.to('kenji@example.jp')).toEqual([]);
    expect((await deliveries(quarterly)).deliveries[0]).toMatchObject({ id: d.id, status: 'pending', sendAt: new Date(day + 23 * 60 * MINUTE).toISOString() });
    clock.set(day + 23 * 60 * MINUTE - 1000);
    await runJobs();
    expect(inbox.to('kenji@example.jp')).toEqual([]);
    clock.set(day + 23 * 60 * MINUTE);
    await runJobs();
    expect(inbox.to('kenji@example.jp')).toHaveLength(1);
    expect((await deliveries(quarterly)).deliveries[0]).toMatchObject({ status: 'sent' });
    // The rest of the suite runs at noon, without quiet hours.
    clock.set(day + 36 * 60 * MINUTE);
    await putSettings({ contactLimitDays: 30, quietHours: null, defaultTimeZone: 'UTC', linkLifetimeDays: 30, branding: { companyName: 'Acme', colour: '#2f6fed' } });
  });

  it('samples out, and skips someone with no address', async () => {
    const sampled = await createSurvey(
      {
        questions: [nps],
        triggers: [
          { id: 'never', event: 'Order Delivered', sample: 0 },
          { id: 'always', event: 'Order Returned' },
        ],
      },
      'Orders',
    );
    await ingest('track', { userId: 'u-dan', event: 'Order Delivered', context: { traits: { email: 'dan@example.com' } } });
    await ingest('track', { anonymousId: 'anon-77', event: 'Order Returned' });
    expect((await consume()).deliveries).toBe(2);
    await runJobs();
    const log = (await deliveries(sampled)).deliveries;
    expect(log.map((d) => [d.respondent.value, d.status, d.reason]).sort()).toEqual([
      ['anon-77', 'skipped', 'no-address'],
      ['u-dan', 'skipped', 'sampled-out'],
    ]);
    expect(inbox.to('dan@example.com')).toEqual([]);
  });

  it('retries while the SMTP server is down and delivers when it is back', async () => {
    const survey = await createSurvey({ questions: [nps] }, 'Outage');
    await inbox.stop();
    const d = await send(survey, { respondent: { kind: 'email', value: 'cy@example.com' } });
    await runJobs();
    let row = (await deliveries(survey)).deliveries[0];
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.reason).toMatch(/^smtp: .*ECONNREFUSED/);
    clock.advance(61_000);
    await runJobs();
    expect((await deliveries(survey)).deliveries[0]).toMatchObject({ status: 'pending', attempts: 2 });
    await inbox.start();
    clock.advance(2 * 60_000 + 1);
    expect(await runJobs()).toBe(1);
    row = (await deliveries(survey)).deliveries[0];
    expect(row).toMatchObject({ id: d.id, status: 'sent', attempts: 3, reason: null });
    expect(inbox.to('cy@example.com')).toHaveLength(1);
  });

  it('fails the delivery after the last attempt, with a reason that holds no credentials', async () => {
    const survey = await createSurvey({ questions: [nps] }, 'Long outage');
    await inbox.stop();
    try {
      await send(survey, { respondent: { kind: 'email', value: 'dee@example.com' } });
      for (let i = 0; i < SEND_MAX_ATTEMPTS; i++) {
        await runJobs();
        clock.advance(61 * MINUTE);
      }
    } finally {
      await inbox.start();
    }
    const row = (await deliveries(survey)).deliveries[0];
    expect(row).toMatchObject({ status: 'failed', attempts: SEND_MAX_ATTEMPTS });
    expect(row?.reason).toMatch(/ECONNREFUSED/);
    const [job] = await queue.list({ queue: SEND_QUEUE, status: 'failed' });
    expect(job?.lastError).toMatch(/ECONNREFUSED/);
    const everything = JSON.stringify([row, job]) + logLines.join('');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('mailer:');
    expect(logLines.join('')).toContain('job failed for good');
    clock.advance(61 * MINUTE);
    expect(await runJobs()).toBe(0);
    expect(inbox.to('dee@example.com')).toEqual([]);
  });

  it('escapes hostile names and wording in the HTML', async () => {
    const hostile = await createSurvey(
      {
        questions: [{ id: 'nps', type: 'nps', text: { en: 'Rate <img src=x onerror=alert(1)> us' }, lowLabel: { en: '"><script>alert(2)</script>' } }],
        branding: { companyName: 'Acme </title><script>alert(3)</script>' },
        email: { intro: { en: '<a href="javascript:alert(4)">click</a>' } },
      },
      'Hostile',
    );
    await ingest('identify', { userId: 'u-eve', traits: { email: 'eve@example.com', name: '<b onmouseover=alert(5)>Eve</b>' } });
    await resolve();
    await send(hostile, { respondent: { kind: 'user_id', value: 'u-eve' } });
    await runJobs();
    const [received] = inbox.to('eve@example.com');
    expect(received).toBeDefined();
    const mail = parseMail((received as Received).raw);
    expect(mail.html).not.toMatch(/<script|<img src=x|<b onmouseover|<a href="javascript/i);
    expect(mail.html).toContain('Rate &lt;img src=x onerror=alert(1)&gt; us');
    expect(mail.html).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(mail.html).toContain('Acme &lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(mail.html).toContain('Hi &lt;b onmouseover=alert(5)&gt;Eve&lt;/b&gt;,');
    expect(mail.text).toContain('Rate <img src=x onerror=alert(1)> us');
  });

  it('sends to a customer by id, refuses a draft, and pages the delivery log', async () => {
    const customers = await t.app.inject({ url: `${api()}/customers?search=${encodeURIComponent('kenji@example.jp')}`, headers: owner.headers });
    expect(customers.statusCode, customers.body).toBe(200);
    const customerId = (customers.json() as { customers: { id: string }[] }).customers[0]?.id as string;
    expect(customerId).toBeDefined();
    const survey = await createSurvey({ questions: [nps] }, 'By customer');
    const d = await send(survey, { customerId, delayMinutes: 5 });
    expect(new Date(d.sendAt).getTime()).toBe(clock.now() + 5 * MINUTE);
    expect((await deliveries(survey)).deliveries[0]?.respondent).toEqual({ kind: 'email', value: 'kenji@example.jp' });
    const missing = await t.app.inject({ method: 'POST', url: `${api()}/surveys/${survey}/send`, headers: owner.headers, payload: { customerId: 'prf_missing' } });
    expect(errorCode(missing)).toBe('CUSTOMER_NOT_FOUND');
    const both = await t.app.inject({ method: 'POST', url: `${api()}/surveys/${survey}/send`, headers: owner.headers, payload: {} });
    expect(both.statusCode).toBe(400);

    const draft = await t.app.inject({ method: 'POST', url: `${api()}/surveys`, headers: owner.headers, payload: { name: 'Draft', definition: { questions: [nps] } } });
    const draftId = (draft.json() as { id: string }).id;
    const refused = await t.app.inject({ method: 'POST', url: `${api()}/surveys/${draftId}/send`, headers: owner.headers, payload: { respondent: { kind: 'email', value: 'x@example.com' } } });
    expect(errorCode(refused)).toBe('SURVEY_CLOSED');

    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await send(survey, { respondent: { kind: 'email', value: `page-${i}@example.com` }, delayMinutes: 60 });
    }
    const first = await deliveries(survey, '?limit=2');
    expect(first.deliveries).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await deliveries(survey, `?limit=2&cursor=${first.nextCursor}`);
    const all = [...first.deliveries, ...second.deliveries].map((d) => d.respondent.value);
    expect(all.slice(0, 3)).toEqual(['page-2@example.com', 'page-1@example.com', 'page-0@example.com']);
    expect(new Set(all).size).toBe(all.length);
  });
});
