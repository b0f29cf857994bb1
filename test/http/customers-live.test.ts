/**
 * The whole path on a running server: an event sent to the tracking API becomes a customer
 * through the outbox-following job, with no call in between; the server still stops promptly
 * while that job is following the logs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createKey, createUser, createWorkspace, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer } from '../../src/server/run.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../../src/store/testing.js';

describe.each(testDialects())('customers from live events on %s', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
  });

  it('resolves an identify into a searchable customer within seconds, and stops cleanly', { timeout: 60_000 }, async () => {
    database = await createTestDatabase(dialect);
    const config = loadConfig({ databaseUrl: database.url, port: 0, host: '127.0.0.1' }, {});
    const server = await startServer(config, createLogger({ level: 'silent' }));
    try {
      // The default: a thread of its own for the jobs on SQLite, the main thread on PostgreSQL.
      expect(server.backgroundOn).toBe(dialect === 'sqlite' ? 'thread' : 'main thread');
      const deps = { store: server.store, clock: { now: () => Date.now() } };
      const owner = await createUser(deps, { email: 'owner@live.test', name: 'Owner', password: 'correct horse battery staple' });
      const ws = await createWorkspace(deps, { name: 'Live', ownerId: owner.id, actor: SYSTEM_ACTOR });
      const ctx = { workspaceId: ws.id, callerRole: 'owner' as const, actor: SYSTEM_ACTOR };
      const writeKey = (await createKey(deps, ctx, { kind: 'write', name: 'site' })).token;
      const secret = (await createKey(deps, ctx, { kind: 'secret', name: 'reader', role: 'viewer' })).token;

      const sent = await fetch(`${server.url}/v1/identify`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'live-1', traits: { name: 'Ada Lovelace', email: 'ada@engine.example' } }),
      });
      expect(sent.status).toBe(200);

      let customers: { name: string; email: string }[] = [];
      for (let i = 0; i < 100 && customers.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const res = await fetch(`${server.url}/api/workspaces/${ws.id}/customers?search=lovelace`, { headers: { authorization: `Bearer ${secret}` } });
        customers = ((await res.json()) as { customers: typeof customers }).customers;
      }
      expect(customers).toEqual([expect.objectContaining({ name: 'Ada Lovelace', email: 'ada@engine.example' })]);
    } finally {
      await server.stop();
    }
  });
});
