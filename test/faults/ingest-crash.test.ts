/**
 * `kill -9` of a server under sustained /v1/batch load, then a restart on the same database:
 * every message whose request was answered 200 is stored exactly once, retries of the
 * unanswered requests store nothing twice, and the rollups agree with the events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/platform/clock.js';
import { createKey, SYSTEM_ACTOR } from '../../src/modules/workspaces/index.js';
import { migrateToLatest, openStore } from '../../src/store/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../../src/store/testing.js';

const serverScript = fileURLToPath(new URL('./ingest-server.mjs', import.meta.url));
const built = fileURLToPath(new URL('../../dist/src/server/app.js', import.meta.url));

function startServer(dbUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [serverScript, dbUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`server exited ${code} before listening`)));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\S+)\n/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
  });
}

const batchOf = (r: number) => ({
  batch: Array.from({ length: 20 }, (_, i) => ({
    type: 'track',
    userId: `u${(r + i) % 13}`,
    event: i % 2 ? 'Viewed' : 'Bought',
    messageId: `r${r}-m${i}`,
    properties: { r, i, pad: 'x'.repeat(100) },
  })),
});

describe.each(testDialects())('ingest crash safety on %s', (dialect) => {
  let database: TestDatabase | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    child?.kill('SIGKILL');
    await database?.drop();
  });

  it('keeps every acknowledged message exactly once across kill -9 and retries', async () => {
    if (!existsSync(built)) throw new Error('run `npm run build:server` first (npm test does)');
    database = await createTestDatabase(dialect);
    const setup = openStore(database.url);
    await migrateToLatest(setup);
    await setup.db.insertInto('workspaces').values({ id: 'ws_crash', name: 'Crash', created_at: 0 }).execute();
    const { token } = await createKey({ store: setup, clock: systemClock }, { workspaceId: 'ws_crash', callerRole: 'owner', actor: SYSTEM_ACTOR }, { kind: 'write', name: 'crash' });
    await setup.close();
    const auth = `Basic ${Buffer.from(`${token}:`).toString('base64')}`;
    const post = (url: string, r: number) =>
      fetch(`${url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(batchOf(r)) });

    const first = await startServer(database.url);
    child = first.child;
    first.child.removeAllListeners('exit');
    const acknowledged = new Set<number>();
    const sent = new Set<number>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const r = next++;
        sent.add(r);
        try {
          const res = await post(first.url, r);
          if (res.status === 200) acknowledged.add(r);
          else throw new Error(`unexpected ${res.status} ${await res.text()}`);
        } catch (error) {
          if (!killed) throw error;
        }
        if (acknowledged.size >= 150 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once('exit', r)));
    expect(acknowledged.size).toBeGreaterThanOrEqual(150);

    // Restart, and retry everything that was sent, answered or not, as a client would.
    const second = await startServer(database.url);
    child = second.child;
    for (const r of sent) {
      const res = await post(second.url, r);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { accepted: number; duplicates: number };
      if (acknowledged.has(r)) expect(body).toMatchObject({ accepted: 0, duplicates: 20 });
    }
    second.child.kill('SIGKILL');

    const store = openStore(database.url);
    try {
      const rows = await store.db.selectFrom('events').select('message_id').where('workspace_id', '=', 'ws_crash').execute();
      const ids = rows.map((r) => r.message_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(sent.size * 20);
      const stored = new Set(ids);
      const lost = [...acknowledged].flatMap((r) => batchOf(r).batch.map((m) => m.messageId)).filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      const counts = await store.db.selectFrom('event_daily_counts').select('count').where('workspace_id', '=', 'ws_crash').execute();
      expect(counts.reduce((s, c) => s + Number(c.count), 0)).toBe(ids.length);
    } finally {
      await store.close();
    }
  });
});
