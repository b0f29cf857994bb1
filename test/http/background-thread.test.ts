/**
 * A server's background jobs on their own thread, end to end: a tracked lead becomes a task on
 * the background thread, whose deadline and signed webhook follow, with the two threads writing
 * the same database through two connections; then the server stops cleanly.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../../src/modules/followup/notifications/signature.js';
import { createKey, createUser, createWorkspace, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer } from '../../src/server/run.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../../src/store/testing.js';

const SECRET = 'thread-test-secret-0123456789abcdef';

interface Received {
  body: string;
  valid: boolean;
}

async function receiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const header = (name: string) => req.headers[name] as string | undefined;
      received.push({ body, valid: verifyWebhook({ secret: SECRET, body, signature: header(SIGNATURE_HEADER), timestamp: header(TIMESTAMP_HEADER), nowSeconds: Math.floor(Date.now() / 1000) }) });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

describe.each(testDialects())('background jobs on their own thread on %s', (dialect) => {
  let database: TestDatabase | undefined;
  let hook: Server | undefined;
  afterEach(async () => {
    hook?.close();
    await database?.drop();
  });

  it('turns a tracked lead into a task, a deadline and a signed webhook, and stops cleanly', { timeout: 60_000 }, async () => {
    database = await createTestDatabase(dialect);
    const target = await receiver();
    hook = target.server;
    // On PostgreSQL the thread is not the default, but works the same when asked for.
    const config = loadConfig({ databaseUrl: database.url, port: 0, host: '127.0.0.1', notifyAllowPrivate: true, backgroundThread: true }, {});
    const server = await startServer(config, createLogger({ level: 'silent' }));
    try {
      expect(server.backgroundOn).toBe('thread');
      const deps = { store: server.store, clock: { now: () => Date.now() } };
      const owner = await createUser(deps, { email: 'owner@thread.test', name: 'Owner', password: 'correct horse battery staple' });
      const ws = await createWorkspace(deps, { name: 'Thread', ownerId: owner.id, actor: SYSTEM_ACTOR });
      const ctx = { workspaceId: ws.id, callerRole: 'owner' as const, actor: SYSTEM_ACTOR };
      const writeKey = (await createKey(deps, ctx, { kind: 'write', name: 'site' })).token;
      const secret = (await createKey(deps, ctx, { kind: 'secret', name: 'admin' })).token;
      const api = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${server.url}/api/workspaces/${ws.id}${path}`, {
          method,
          headers: { authorization: `Bearer ${secret}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        expect(res.status, `${method} ${path}`).toBeLessThan(300);
        return res.json() as Promise<Record<string, unknown>>;
      };
      const made = await api('POST', '/notification-targets', { kind: 'webhook', name: 'Receiver', url: target.url, secret: SECRET });
      await api('POST', '/followups/policies', { name: 'Leads', triggerKind: 'lead', firstContactMinutes: 5 });
      await api('POST', '/followups/rules', {
        name: 'Call new leads',
        definition: {
          trigger: { kind: 'event', event: 'Lead Created' },
          actions: [
            { type: 'create_task', title: 'Call the new lead', slaKind: 'lead' },
            { type: 'notify', target: { targetId: made.id } },
          ],
        },
      });

      const sent = await fetch(`${server.url}/v1/track`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'lead-1', event: 'Lead Created', properties: { email: 'lead@thread.example' } }),
      });
      expect(sent.status).toBe(200);

      for (let i = 0; i < 150 && target.received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(target.received).toHaveLength(1);
      expect(target.received[0]?.valid).toBe(true);
      const webhook = JSON.parse(target.received[0]?.body ?? '{}') as { taskId: string };
      const task = (await api('GET', `/tasks/${webhook.taskId}`)) as { task: { title: string } };
      expect(task.task.title).toBe('Call the new lead');
      // The deadline job the thread queued for the task's first contact.
      const deadlines = await server.store.db.selectFrom('jobs').select('status').where('queue', '=', 'followup.deadline').execute();
      expect(deadlines).toEqual([{ status: 'queued' }]);
    } finally {
      await server.stop();
    }
  });
});
