/**
 * Every import, from the dashboard's upload or from `emptychair import`, leaves one entry in
 * the workspace's audit log: what kind, from which source and file, and the row counts.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/store/testing.js';
import { createTestApp, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';
import { cli } from '../support/cli.js';

const built = fileURLToPath(new URL('../../dist/src/cli/commands/import.js', import.meta.url));

interface AuditEntry {
  action: string;
  actor: { type: string; id: string | null; label: string };
  target: { type: string; id: string | null } | null;
  details: Record<string, unknown>;
}

function multipart(fields: Record<string, string>, file: { name: string; content: string }) {
  const boundary = `----ec${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: text/csv\r\n\r\n${file.content}\r\n`);
  parts.push(`--${boundary}--\r\n`);
  return { payload: Buffer.from(parts.join('')), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(testDialects())('imports in the audit log on %s', (dialect) => {
  let t: TestApp;
  let ws: string;
  let ownerId: string;
  let owner: Session;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(built)) throw new Error('run `npm run build:server` first (npm test does)');
    t = await createTestApp({ dialect });
    const seeded = await seedWorkspace(t, 'Alpha', 'owner@alpha.test');
    ws = seeded.workspaceId;
    ownerId = seeded.ownerId;
    owner = await loginAs(t.app, seeded.ownerEmail);
    dir = mkdtempSync(join(tmpdir(), 'emptychair-audit-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  const upload = (fields: Record<string, string>, file: { name: string; content: string }) => {
    const body = multipart(fields, file);
    return t.app.inject({
      method: 'POST',
      url: `/api/workspaces/${ws}/imports`,
      headers: { ...owner.headers, 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const importEntries = async (): Promise<AuditEntry[]> => {
    const res = await t.app.inject({ url: `/api/workspaces/${ws}/audit?limit=100`, headers: owner.headers });
    expect(res.statusCode).toBe(200);
    return (res.json().entries as AuditEntry[]).filter((e) => e.action === 'import.run');
  };

  it('records an upload, with who, kind, source, file name and counts; a failed one too', async () => {
    const ok = await upload({ kind: 'contacts', source: 'crm' }, { name: 'people.csv', content: 'id,email\nc-1,a@example.com\nc-2,not-an-email\n' });
    expect(ok.statusCode, ok.body).toBe(201);
    const failed = await upload({ kind: 'tickets', source: 'support' }, { name: 'tickets.csv', content: 'Ticket ID,Subject\n1,Help\n' });
    expect(failed.statusCode).toBe(400);

    const [second, first] = await importEntries();
    expect(first).toMatchObject({
      actor: { type: 'user', id: ownerId, label: 'owner@alpha.test' },
      target: { type: 'import', id: ok.json().import.id },
      details: { kind: 'contact', source: 'crm', fileName: 'people.csv', format: 'csv', status: 'succeeded', rowsRead: 2, rowsImported: 1, rowsFailed: 1 },
    });
    expect(second).toMatchObject({
      actor: { type: 'user', label: 'owner@alpha.test' },
      details: { kind: 'ticket', source: 'support', fileName: 'tickets.csv', status: 'failed', rowsRead: 0, rowsImported: 0 },
    });
    expect(String(second?.details.error)).toMatch(/^no column for openedAt of ticket/);
  });

  it('records an import run from the command line', async () => {
    const file = join(dir, 'accounts.csv');
    writeFileSync(file, 'Account ID,Company Name\na-1,Acme\na-2,Globex\na-3,\n');
    const res = await cli(['import', 'accounts', file, '--source', 'billing', '--workspace', ws, '-d', t.store.url]);
    expect(res.code, res.stderr).toBe(0);
    const [latest] = await importEntries();
    expect(latest).toMatchObject({
      actor: { type: 'system', id: null, label: expect.stringMatching(/^cli\b/) },
      target: { type: 'import' },
      details: { kind: 'account', source: 'billing', fileName: 'accounts.csv', status: 'succeeded', rowsRead: 3, rowsImported: 2, rowsFailed: 1 },
    });
  });
});
