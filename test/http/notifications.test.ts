/**
 * Notifications end to end, against real local receivers: signed webhooks checked by a receiver
 * that recomputes the HMAC itself, retries with backoff, a hung target that times out without
 * holding up another, refusals, the dead-letter list and its replay, cut-off answers, URL checks,
 * secrets kept out of answers, errors and logs, the Slack payload, and e-mail over SMTP.
 */
import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueNotification, registerNotificationJobs, type NotificationMessage } from '../../src/modules/followup/index.js';
import { Limiter } from '../../src/modules/followup/notifications/limiter.js';
import { notificationRoutes } from '../../src/modules/followup/notifications/notification.routes.js';
import { verifyWebhook } from '../../src/modules/followup/notifications/signature.js';
import type { NotificationOptions } from '../../src/modules/followup/notifications/options.js';
import { createUser, createWorkspace, registerAuth, SYSTEM_ACTOR, workspacesModule } from '../../src/modules/workspaces/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { seededRandom } from '../../src/platform/random.js';
import { registerErrorMapper } from '../../src/server/error-mapper.js';
import { JobQueue, Worker } from '../../src/store/index.js';
import { createTestStore, testDialects, type TestStore } from '../../src/store/testing.js';
import { addTestMember, errorCode, loginAs, TEST_PASSWORD, type Session, type TestApp } from '../support/app.js';

const HOUR = 3_600_000;
const TIMEOUT_MS = 400;
const SMTP_PASSWORD = 'smtp-Pa55-word';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A local HTTP receiver: records every request, answers with the handler of the moment. */
class Receiver {
  readonly seen: Seen[] = [];
  handler: Handler = (_req, res) => res.end('ok');
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.seen.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
        this.handler(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** An answer scripted per request: the statuses in turn, then the last one again. */
const statuses =
  (...codes: number[]): Handler =>
  (_req, res) => {
    const code = codes.length > 1 ? (codes.shift() as number) : (codes[0] as number);
    res.statusCode = code;
    res.end(code < 300 ? 'ok' : `status ${code}`);
  };

interface Mail {
  to: string[];
  raw: string;
}

describe.each(testDialects())('notifications on %s', (dialect) => {
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 9) + (dialect === 'postgres' ? 86_400_000 : 0));
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(chunk.toString('utf8'));
        cb();
      },
    }),
  });
  const receiver = new Receiver();
  const other = new Receiver();
  const mails: Mail[] = [];
  let smtp: SMTPServer;
  let store: TestStore;
  let app: FastifyInstance;
  let queue: JobQueue;
  let worker: Worker;
  let closeMail: () => void;
  let ws: string;
  let ownerId: string;
  let owner: Session;
  let viewer: Session;
  const options: NotificationOptions = { allowPrivateTargets: true, timeoutMs: TIMEOUT_MS, maxAttempts: 4, limiter: new Limiter(4), random: seededRandom(7), logger };

  const targets = () => `/api/workspaces/${ws}/notification-targets`;
  const createTarget = async (payload: Record<string, unknown>) => {
    const res = await app.inject({ method: 'POST', url: targets(), headers: owner.headers, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; url: string | null; secret: string | null; signed: boolean };
  };
  const message = (over: Partial<NotificationMessage> = {}): NotificationMessage => ({
    event: 'task.created',
    title: 'New task: call back Ada',
    text: 'Ada Lovelace answered 2 on NPS: "nobody called back".',
    url: 'https://ec.example.com/app/tasks/tsk_1',
    data: { taskId: 'tsk_1', score: 2 },
    taskId: 'tsk_1',
    ...over,
  });
  const notify = (targetId: string, over: Partial<NotificationMessage> = {}) =>
    store.db.transaction().execute((trx) => enqueueNotification(trx, ws, targetId, message(over), clock.now()));
  const log = async (query = '') => {
    const res = await app.inject({ url: `/api/workspaces/${ws}/notifications${query}`, headers: viewer.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      notifications: { id: string; status: string; attempts: number; lastStatus: number | null; lastError: string | null; nextAttemptAt: string | null; taskId: string | null; deliveredAt: string | null }[];
      nextCursor: string | null;
    };
  };
  const one = async (id: string) => {
    let cursor: string | null = null;
    do {
      const page = await log(cursor ? `?cursor=${cursor}` : '');
      const hit = page.notifications.find((n) => n.id === id);
      if (hit) return hit;
      cursor = page.nextCursor;
    } while (cursor);
    throw new Error(`notification ${id} not in the log`);
  };
  /** Run due jobs, moving the clock to each next attempt, until nothing is due within `horizon`. */
  const runUntilSettled = async (horizon = 24 * HOUR) => {
    const end = clock.now() + horizon;
    for (let i = 0; i < 50; i++) {
      await worker.runOnce();
      const next = await store.db.selectFrom('jobs').select('run_at').where('status', '=', 'queued').orderBy('run_at').executeTakeFirst();
      if (!next || Number(next.run_at) > end) return;
      clock.set(Math.max(clock.now(), Number(next.run_at)));
    }
  };

  beforeAll(async () => {
    await receiver.start();
    await other.start();
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _s, cb) => (auth.username === 'mailer' && auth.password === SMTP_PASSWORD ? cb(null, { user: 'mailer' }) : cb(new Error('Invalid username or password'))),
      onRcptTo: (address, _s, cb) => (address.address.endsWith('@refused.test') ? cb(Object.assign(new Error('no such mailbox'), { responseCode: 550 })) : cb()),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const smtpUrl = `smtp://mailer:${SMTP_PASSWORD}@127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

    store = await createTestStore(dialect);
    const deps = { store, clock, smtpUrl, mailFrom: 'Empty Chair <alerts@ec.example.com>', publicUrl: 'https://ec.example.com', logger, notifications: options };
    // The app's own assembly, with the notification options a test needs (local http receivers).
    app = Fastify({ loggerInstance: logger as FastifyBaseLogger }).withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorMapper(app);
    await app.register(cookie);
    registerAuth(app, deps);
    await app.register(workspacesModule(deps, { secureCookies: false }));
    await app.register(notificationRoutes(deps));
    await app.ready();

    queue = new JobQueue(store, { clock });
    worker = new Worker(queue, { concurrency: 4, onlyRegisteredQueues: true, random: seededRandom(3) });
    closeMail = registerNotificationJobs(worker, queue, deps);

    const user = await createUser({ store, clock }, { email: 'owner@alpha.test', name: 'Owner', password: TEST_PASSWORD });
    ownerId = user.id;
    ws = (await createWorkspace({ store, clock }, { name: 'Alpha', ownerId: user.id, actor: SYSTEM_ACTOR })).id;
    owner = await loginAs(app, 'owner@alpha.test');
    const t = { app, store, clock, close: async () => undefined } satisfies TestApp;
    await addTestMember(t, ws, 'viewer@alpha.test', 'viewer');
    viewer = await loginAs(app, 'viewer@alpha.test');
  });

  afterAll(async () => {
    closeMail?.();
    await app?.close();
    await store?.destroy();
    await receiver.stop();
    await other.stop();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  it('signs a webhook so that a receiver can verify it, and logs it as delivered for its task', async () => {
    receiver.handler = statuses(200);
    const target = await createTarget({ kind: 'webhook', name: 'Ops hook', url: `${receiver.url}/hooks/ec` });
    expect(target.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    const id = await notify(target.id);
    expect((await one(id)).status).toBe('pending');
    const before = receiver.seen.length;
    expect(await worker.runOnce()).toBe(1);

    const req = receiver.seen[before] as Seen;
    expect(req.path).toBe('/hooks/ec');
    const timestamp = req.headers['x-emptychair-timestamp'] as string;
    expect(Number(timestamp)).toBe(Math.floor(clock.now() / 1000));
    // The receiver's own check, written from the documentation, not with our helper.
    const expected = `sha256=${createHmac('sha256', target.secret as string).update(`${timestamp}.${req.body}`).digest('hex')}`;
    expect(req.headers['x-emptychair-signature']).toBe(expected);
    expect(req.headers['x-emptychair-event']).toBe('task.created');
    expect(req.headers['x-emptychair-delivery']).toBe(id);
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      id,
      event: 'task.created',
      createdAt: new Date(clock.now()).toISOString(),
      workspaceId: ws,
      taskId: 'tsk_1',
      title: 'New task: call back Ada',
      text: 'Ada Lovelace answered 2 on NPS: "nobody called back".',
      url: 'https://ec.example.com/app/tasks/tsk_1',
      data: { taskId: 'tsk_1', score: 2 },
    });
    // The documented check: right signature within five minutes; a changed body or an old request fails.
    const nowSeconds = Math.floor(clock.now() / 1000);
    const check = { secret: target.secret as string, signature: expected, timestamp, nowSeconds };
    expect(verifyWebhook({ ...check, body: req.body })).toBe(true);
    expect(verifyWebhook({ ...check, body: req.body.replace('call back', 'ignore') })).toBe(false);
    expect(verifyWebhook({ ...check, body: req.body, nowSeconds: nowSeconds + 301 })).toBe(false);

    const forTask = await log('?taskId=tsk_1');
    expect(forTask.notifications.map((n) => n.id)).toContain(id);
    expect(await one(id)).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200, lastError: null, taskId: 'tsk_1', deliveredAt: new Date(clock.now()).toISOString() });
    expect((await log('?taskId=tsk_other')).notifications).toEqual([]);
  });

  it('commits a notification with the caller’s transaction, or not at all', async () => {
    const target = await createTarget({ kind: 'webhook', name: 'Atomic', url: `${receiver.url}/atomic` });
    const jobsBefore = (await queue.list({ limit: 1000 })).length;
    await expect(
      store.db.transaction().execute(async (trx) => {
        await enqueueNotification(trx, ws, target.id, message({ taskId: 'tsk_rolled_back' }), clock.now());
        throw new Error('the task could not be saved');
      }),
    ).rejects.toThrow('the task could not be saved');
    expect((await log('?taskId=tsk_rolled_back')).notifications).toEqual([]);
    expect((await queue.list({ limit: 1000 })).length).toBe(jobsBefore);
    await expect(notify('ntg_missing')).rejects.toMatchObject({ code: 'TARGET_NOT_FOUND' });
  });

  it('retries a receiver that answers 500 twice, with growing delays, then delivers', async () => {
    receiver.handler = statuses(500, 500, 200);
    const target = await createTarget({ kind: 'webhook', name: 'Flaky', url: `${receiver.url}/flaky` });
    const id = await notify(target.id);
    const start = clock.now();
    await worker.runOnce();
    const first = await one(id);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500: status 500' });
    const firstDelay = Date.parse(first.nextAttemptAt as string) - start;
    // The job queue's backoff: 5 s for the first retry, with up to half of it jitter.
    expect(firstDelay).toBeGreaterThanOrEqual(2_500);
    expect(firstDelay).toBeLessThanOrEqual(5_000);
    // Not before its time.
    expect(await worker.runOnce()).toBe(0);
    clock.set(Date.parse(first.nextAttemptAt as string));
    await worker.runOnce();
    const second = await one(id);
    expect(second).toMatchObject({ status: 'pending', attempts: 2, lastStatus: 500 });
    const secondDelay = Date.parse(second.nextAttemptAt as string) - clock.now();
    expect(secondDelay).toBeGreaterThanOrEqual(5_000);
    expect(secondDelay).toBeLessThanOrEqual(10_000);
    clock.set(Date.parse(second.nextAttemptAt as string));
    await worker.runOnce();
    expect(await one(id)).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200, lastError: null, nextAttemptAt: null });
    const deliveries = receiver.seen.filter((s) => s.path === '/flaky');
    expect(deliveries).toHaveLength(3);
    // Every retry is the same delivery, so a receiver can drop duplicates.
    expect(new Set(deliveries.map((d) => d.headers['x-emptychair-delivery']))).toEqual(new Set([id]));
  });

  it('times out a hung receiver without holding up a delivery to another target', async () => {
    const hung = new Receiver();
    await hung.start();
    hung.handler = () => undefined; // never answers
    try {
      other.handler = statuses(200);
      const slow = await createTarget({ kind: 'webhook', name: 'Hung', url: `${hung.url}/never` });
      const fast = await createTarget({ kind: 'webhook', name: 'Fast', url: `${other.url}/fast` });
      const hungId = await notify(slow.id);
      const fastId = await notify(fast.id);
      const started = Date.now();
      const run = worker.runOnce();
      // The healthy target is served while the hung one is still waiting.
      const seenFast = await waitFor(() => other.seen.find((s) => s.path === '/fast'));
      expect(seenFast.at - started).toBeLessThan(TIMEOUT_MS);
      await run;
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_500);
      expect(await one(fastId)).toMatchObject({ status: 'delivered' });
      const h = await one(hungId);
      expect(h).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
      expect(h.lastError).toMatch(/^timeout: no complete answer within 400 ms/);
    } finally {
      await hung.stop();
    }
    // Leave no retries of the hung one for later tests.
    await store.db.updateTable('jobs').set({ status: 'succeeded' }).where('status', '=', 'queued').execute();
  });

  it('fails at once on a 410, and sends nothing more', async () => {
    receiver.handler = statuses(410);
    const target = await createTarget({ kind: 'webhook', name: 'Gone', url: `${receiver.url}/gone` });
    const id = await notify(target.id);
    await runUntilSettled();
    expect(await one(id)).toMatchObject({ status: 'failed', attempts: 1, lastStatus: 410, nextAttemptAt: null });
    expect(receiver.seen.filter((s) => s.path === '/gone')).toHaveLength(1);
    expect((await log('?status=failed')).notifications.map((n) => n.id)).toContain(id);
  });

  it('puts a notification on the dead-letter list when its attempts are spent, and replays it', async () => {
    receiver.handler = statuses(503);
    const target = await createTarget({ kind: 'webhook', name: 'Down', url: `${receiver.url}/down` });
    const id = await notify(target.id);
    await runUntilSettled();
    expect(await one(id)).toMatchObject({ status: 'dead', attempts: 4, lastStatus: 503, nextAttemptAt: null });
    expect(receiver.seen.filter((s) => s.path === '/down')).toHaveLength(4);
    const dead = await log('?status=dead');
    expect(dead.notifications.map((n) => n.id)).toEqual([id]);

    const replayUrl = `/api/workspaces/${ws}/notifications/${id}/replay`;
    const byViewer = await app.inject({ method: 'POST', url: replayUrl, headers: viewer.headers });
    expect(byViewer.statusCode).toBe(403);
    receiver.handler = statuses(200);
    const replay = await app.inject({ method: 'POST', url: replayUrl, headers: owner.headers });
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json()).toMatchObject({ id, status: 'pending', attempts: 0 });
    await runUntilSettled();
    expect(await one(id)).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
    expect((await log('?status=dead')).notifications).toEqual([]);

    const again = await app.inject({ method: 'POST', url: replayUrl, headers: owner.headers });
    expect(errorCode(again)).toBe('NOTIFICATION_NOT_REPLAYABLE');
    const missing = await app.inject({ method: 'POST', url: `/api/workspaces/${ws}/notifications/ntf_missing/replay`, headers: owner.headers });
    expect(errorCode(missing)).toBe('NOTIFICATION_NOT_FOUND');
  });

  it('reads at most 64 KiB of an answer, even an endless one, and keeps a short error', async () => {
    let written = 0;
    let closed = false;
    receiver.handler = (req, res) => {
      res.statusCode = req.url === '/endless-500' ? 500 : 200;
      const chunk = 'x'.repeat(16 * 1024);
      const pump = () => {
        while (!closed && res.write(chunk)) {
          written += chunk.length;
          if (written > 50 * 1024 * 1024) return res.end();
        }
        if (!closed) res.once('drain', pump);
      };
      res.on('close', () => (closed = true));
      pump();
    };
    const ok = await createTarget({ kind: 'webhook', name: 'Chatty', url: `${receiver.url}/endless` });
    const okId = await notify(ok.id);
    const started = Date.now();
    await worker.runOnce();
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    expect(await one(okId)).toMatchObject({ status: 'delivered', lastStatus: 200 });
    await waitFor(() => closed || undefined);
    expect(written).toBeLessThan(5 * 1024 * 1024);

    closed = false;
    written = 0;
    const bad = await createTarget({ kind: 'webhook', name: 'Chatty and broken', url: `${receiver.url}/endless-500` });
    const badId = await notify(bad.id);
    await worker.runOnce();
    const n = await one(badId);
    expect(n).toMatchObject({ status: 'pending', lastStatus: 500 });
    expect(n.lastError).toMatch(/^HTTP 500 \(answer cut off after 65536 bytes\): x+…$/);
    expect((n.lastError as string).length).toBeLessThanOrEqual(500);
    await store.db.updateTable('jobs').set({ status: 'succeeded' }).where('status', '=', 'queued').execute();
  });

  it('refuses bad target URLs with the path of the fault', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ kind: 'webhook', name: 'x', url: 'ftp://files.example.com/in' }, /must be https/],
      [{ kind: 'webhook', name: 'x', url: 'http://hooks.example.com/in' }, /must be https/],
      [{ kind: 'webhook', name: 'x', url: 'https://bob:hunter2-pass@hooks.example.com/in' }, /credentials/],
      [{ kind: 'slack', name: 'x', url: 'not a url' }, /not an absolute URL/],
      [{ kind: 'webhook', name: 'x', url: `https://hooks.example.com/${'a'.repeat(2100)}` }, /./],
    ];
    for (const [payload, message] of cases) {
      const res = await app.inject({ method: 'POST', url: targets(), headers: owner.headers, payload });
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json() as { error: { code: string; message: string; details: { issues: { path: string; message: string }[] } } };
      expect(['TARGET_URL_INVALID', 'VALIDATION_FAILED']).toContain(body.error.code);
      expect(body.error.details.issues[0]?.path).toBe('body.url');
      expect(body.error.message).toMatch(message);
      expect(res.body).not.toContain('hunter2-pass');
    }
    const email = await app.inject({ method: 'POST', url: targets(), headers: owner.headers, payload: { kind: 'email', name: 'x', address: 'not-an-address' } });
    expect((email.json() as { error: { details: { issues: { path: string }[] } } }).error.details.issues[0]?.path).toBe('body.address');
    const byViewer = await app.inject({ method: 'POST', url: targets(), headers: viewer.headers, payload: { kind: 'webhook', name: 'x', url: 'https://hooks.example.com/in' } });
    expect(byViewer.statusCode).toBe(403);
  });

  it('refuses private addresses when the server does, at creation and when a name resolves to one', async () => {
    const strict = Fastify().withTypeProvider<ZodTypeProvider>();
    strict.setValidatorCompiler(validatorCompiler);
    strict.setSerializerCompiler(serializerCompiler);
    registerErrorMapper(strict);
    await strict.register(cookie);
    const deps = { store, clock, notifications: { ...options, allowPrivateTargets: false } };
    registerAuth(strict, deps);
    await strict.register(notificationRoutes(deps));
    await strict.ready();
    try {
      for (const url of ['https://10.1.2.3/hook', 'https://[::1]/hook', 'https://169.254.169.254/latest/meta-data', 'http://localhost:8080/hook', 'https://intranet/hook']) {
        const res = await strict.inject({ method: 'POST', url: targets(), headers: owner.headers, payload: { kind: 'webhook', name: 'x', url } });
        expect(errorCode(res), url).toBe('TARGET_URL_INVALID');
        expect(res.body).toMatch(/body\.url/);
      }
      // A target accepted earlier whose name now resolves to this machine is refused when sending.
      receiver.handler = statuses(200);
      const port = new URL(receiver.url).port;
      const local = await createTarget({ kind: 'webhook', name: 'Named local', url: `http://localhost:${port}/by-name` });
      const tested = await strict.inject({ method: 'POST', url: `${targets()}/${local.id}/test`, headers: owner.headers });
      expect(tested.statusCode, tested.body).toBe(200);
      expect(tested.json()).toMatchObject({ ok: false, notification: { status: 'failed', lastError: expect.stringMatching(/private address/) } });
      expect(receiver.seen.filter((s) => s.path === '/by-name')).toHaveLength(0);
      // The same target from a server that allows private targets is reached, by name.
      const allowed = await app.inject({ method: 'POST', url: `${targets()}/${local.id}/test`, headers: owner.headers });
      expect(allowed.json()).toMatchObject({ ok: true, notification: { status: 'delivered', lastStatus: 200 } });
      expect(receiver.seen.filter((s) => s.path === '/by-name')).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });

  it('shows secrets and credentials once, at creation, and never in answers, errors or logs afterwards', async () => {
    const secret = 'my-own-signing-secret-0123456789';
    // A receiver that echoes everything it got, headers included, in a refusal.
    receiver.handler = (req, res, body) => {
      res.statusCode = 400;
      res.end(`bad request; you sent ${JSON.stringify(req.headers)} to ${req.url} with ${body.slice(0, 50)}`);
    };
    const created = await createTarget({ kind: 'webhook', name: 'Echo', url: `${receiver.url}/echo?token=tok-SECRET-42&tenant=acme`, secret });
    expect(created.secret).toBe(secret);
    expect(created.url).toContain('tok-SECRET-42');
    const slack = await createTarget({ kind: 'slack', name: 'Slack', url: `${receiver.url}/services/T0001/B0002/slackPathSecret99` });

    const id = await notify(created.id);
    await worker.runOnce();
    const n = await one(id);
    expect(n).toMatchObject({ status: 'failed', lastStatus: 400 });
    expect(n.lastError).toContain('bad request');
    const signature = (receiver.seen.at(-1)?.headers['x-emptychair-signature'] as string).slice('sha256='.length);

    const list = await app.inject({ url: targets(), headers: viewer.headers });
    const get = await app.inject({ url: `${targets()}/${created.id}`, headers: viewer.headers });
    const getSlack = await app.inject({ url: `${targets()}/${slack.id}`, headers: viewer.headers });
    expect(get.json()).toMatchObject({ url: `${receiver.url}/echo?token=***&tenant=acme`, signed: true });
    expect(getSlack.json()).toMatchObject({ url: `${receiver.url}/services/T0001/B0002/***` });
    const renamed = await app.inject({ method: 'PATCH', url: `${targets()}/${created.id}`, headers: owner.headers, payload: { name: 'Echo 2' } });
    expect(renamed.json()).toMatchObject({ name: 'Echo 2', secret: null });
    const logRes = await app.inject({ url: `/api/workspaces/${ws}/notifications?limit=200`, headers: viewer.headers });
    const audit = await store.db.selectFrom('audit_log').select('details').where('workspace_id', '=', ws).execute();
    for (const text of [list.body, get.body, getSlack.body, renamed.body, logRes.body, JSON.stringify(audit), logLines.join('')]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('tok-SECRET-42');
      expect(text).not.toContain('slackPathSecret99');
      expect(text).not.toContain(signature);
      expect(text).not.toContain(SMTP_PASSWORD);
    }
    expect(logLines.join('')).toContain(created.id); // the delivery was logged, just not its secrets

    const rotated = await app.inject({ method: 'PATCH', url: `${targets()}/${created.id}`, headers: owner.headers, payload: { rotateSecret: true } });
    const newSecret = (rotated.json() as { secret: string }).secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    const after = await app.inject({ url: `${targets()}/${created.id}`, headers: owner.headers });
    expect(after.body).not.toContain(newSecret);
  });

  it('posts a Slack incoming-webhook message: fallback text and blocks, with <, > and & escaped', async () => {
    receiver.handler = statuses(200);
    const slack = await createTarget({ kind: 'slack', name: 'Slack #support', url: `${receiver.url}/services/T1/B2/xyz123abc` });
    expect(slack.signed).toBe(false);
    const id = await notify(slack.id, { title: 'SLA breached: <Ada> & co', text: 'First reply due 10:00, now 10:05.' });
    await worker.runOnce();
    expect(await one(id)).toMatchObject({ status: 'delivered' });
    const req = receiver.seen.find((s) => s.path === '/services/T1/B2/xyz123abc') as Seen;
    expect(req.headers['x-emptychair-signature']).toBeUndefined();
    expect(JSON.parse(req.body)).toEqual({
      text: 'SLA breached: &lt;Ada&gt; &amp; co — First reply due 10:00, now 10:05. <https://ec.example.com/app/tasks/tsk_1|Open>',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*SLA breached: &lt;Ada&gt; &amp; co*\nFirst reply due 10:00, now 10:05.' } },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Empty Chair' }, url: 'https://ec.example.com/app/tasks/tsk_1' }] },
      ],
    });
  });

  it('sends e-mail over SMTP, and fails at once for a recipient the server refuses', async () => {
    const target = await createTarget({ kind: 'email', name: 'Support lead', address: 'lead@alpha.test' });
    expect(target).toMatchObject({ url: null, secret: null });
    const id = await notify(target.id, { title: 'New task: call back Ada' });
    await worker.runOnce();
    expect(await one(id)).toMatchObject({ status: 'delivered', attempts: 1 });
    const mail = mails.find((m) => m.to.includes('lead@alpha.test')) as Mail;
    expect(mail.raw).toMatch(/^Subject: New task: call back Ada\r?$/m);
    expect(mail.raw).toMatch(/^From: Empty Chair <alerts@ec\.example\.com>\r?$/m);
    expect(mail.raw.toLowerCase()).toContain(`x-emptychair-delivery: ${id}`);
    expect(mail.raw).toContain('https://ec.example.com/app/tasks/tsk_1');

    // A member of the workspace as the target ("user:<id>"): their login address.
    const toOwner = await notify(`user:${ownerId}`, { title: 'Assigned to you: call back Ada' });
    await worker.runOnce();
    expect(await one(toOwner)).toMatchObject({ status: 'delivered' });
    expect(mails.find((m) => m.to.includes('owner@alpha.test'))?.raw).toMatch(/^Subject: Assigned to you: call back Ada\r?$/m);
    await expect(notify('user:usr_not_a_member')).rejects.toMatchObject({ code: 'TARGET_NOT_FOUND' });

    const refused = await createTarget({ kind: 'email', name: 'Nobody', address: 'nobody@refused.test' });
    const refusedId = await notify(refused.id);
    await worker.runOnce();
    const r = await one(refusedId);
    expect(r).toMatchObject({ status: 'failed', attempts: 1 });
    expect(r.lastError).toMatch(/550/);
    expect(r.lastError).not.toContain(SMTP_PASSWORD);
  });

  it('sends a test message now and says how it went; lists, disables and deletes targets', async () => {
    receiver.handler = (req, res) => {
      res.statusCode = req.url === '/test-gone' ? 410 : 204;
      res.end();
    };
    const good = await createTarget({ kind: 'webhook', name: 'Testable', url: `${receiver.url}/test-ok` });
    const gone = await createTarget({ kind: 'webhook', name: 'Gone soon', url: `${receiver.url}/test-gone` });
    const ok = await app.inject({ method: 'POST', url: `${targets()}/${good.id}/test`, headers: owner.headers });
    expect(ok.json()).toMatchObject({ ok: true, notification: { status: 'delivered', event: 'notification.test', lastStatus: 204 } });
    const bad = await app.inject({ method: 'POST', url: `${targets()}/${gone.id}/test`, headers: owner.headers });
    expect(bad.json()).toMatchObject({ ok: false, notification: { status: 'failed', lastStatus: 410 } });
    const byViewer = await app.inject({ method: 'POST', url: `${targets()}/${good.id}/test`, headers: viewer.headers });
    expect(byViewer.statusCode).toBe(403);

    const disabled = await app.inject({ method: 'PATCH', url: `${targets()}/${good.id}`, headers: owner.headers, payload: { enabled: false } });
    expect(disabled.json()).toMatchObject({ enabled: false });
    const muted = await notify(good.id);
    expect(await one(muted)).toMatchObject({ status: 'failed', lastError: 'the target is disabled' });

    const waiting = await notify(gone.id);
    const del = await app.inject({ method: 'DELETE', url: `${targets()}/${gone.id}`, headers: owner.headers });
    expect(del.statusCode).toBe(204);
    await worker.runOnce();
    expect(await one(waiting)).toMatchObject({ status: 'failed', lastError: 'the target was deleted' });
    const missing = await app.inject({ url: `${targets()}/${gone.id}`, headers: viewer.headers });
    expect(errorCode(missing)).toBe('TARGET_NOT_FOUND');
    const names = ((await app.inject({ url: targets(), headers: viewer.headers })).json() as { targets: { name: string }[] }).targets.map((t) => t.name);
    expect(names).toContain('Testable');
    expect(names).not.toContain('Gone soon');
  });

  it('pages the delivery log newest first', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await log(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.notifications.length).toBeLessThanOrEqual(3);
      all.push(...page.notifications.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all.length).toBeGreaterThan(10);
    expect([...all].sort().reverse()).toEqual(all);
    expect(new Set(all).size).toBe(all.length);
  });
});

async function waitFor<T>(probe: () => T | undefined, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
