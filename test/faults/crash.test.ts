/**
 * `kill -9` in the middle of writes: the database must open cleanly, migrations
 * must re-run as no-ops, and every write the writer saw committed must be there.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openStore } from '../../src/store/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../../src/store/testing.js';

const writer = fileURLToPath(new URL('./crash-writer.mjs', import.meta.url));
const built = fileURLToPath(new URL('../../dist/src/store/index.js', import.meta.url));

describe.each(testDialects())('crash safety on %s', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
  });

  it('keeps every acknowledged write after kill -9 and re-runs migrations as no-ops', async () => {
    if (!existsSync(built)) throw new Error('run `npm run build:server` first (npm test does)');
    database = await createTestDatabase(dialect);
    const setup = openStore(database.url);
    await migrateToLatest(setup);
    await setup.db.insertInto('workspaces').values({ id: 'ws_crash', name: 'Crash', created_at: 0 }).execute();
    await setup.close();

    const child = spawn(process.execPath, [writer, database.url, 'ws_crash'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged: string[] = [];
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${code}`))));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (/^r\d+$/.test(line)) acknowledged.push(line);
        if (acknowledged.length >= 300 && !child.killed) child.kill('SIGKILL');
      });
    });
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    const store = openStore(database.url);
    try {
      expect((await migrateToLatest(store)).applied).toEqual([]);
      if (dialect === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
        expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
      }
      const rows = await store.db.selectFrom('source_records').select('external_id').where('workspace_id', '=', 'ws_crash').execute();
      const stored = new Set(rows.map((r) => r.external_id));
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      // The store is writable again.
      await store.db.insertInto('workspaces').values({ id: 'ws_after', name: 'After', created_at: 1 }).execute();
    } finally {
      await store.close();
    }
  });
});
