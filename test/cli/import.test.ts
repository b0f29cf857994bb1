/**
 * `emptychair import` as a person runs it: a child process on the built CLI, against a
 * fresh database of each dialect.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, createUser, createWorkspace } from '../../src/modules/workspaces/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { fromJson, migrateToLatest, openStore } from '../../src/store/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../../src/store/testing.js';
import { cli } from '../support/cli.js';

const built = fileURLToPath(new URL('../../dist/src/cli/commands/import.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/imports/', import.meta.url));


describe.each(testDialects())('emptychair import on %s', (dialect) => {
  let database: TestDatabase;
  let workspaceId: string;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(built)) throw new Error('run `npm run build:server` first (npm test does)');
    database = await createTestDatabase(dialect);
    dir = mkdtempSync(join(tmpdir(), 'emptychair-import-'));
    const store = openStore(database.url);
    try {
      await migrateToLatest(store);
      const deps = { store, clock: systemClock };
      const user = await createUser(deps, { email: 'cli@example.com', name: 'CLI', password: 'correct horse battery staple' });
      workspaceId = (await createWorkspace(deps, { name: 'CLI Co', ownerId: user.id, actor: SYSTEM_ACTOR })).id;
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  it('imports a file, prints the mapping and a summary, writes the error report, and exits 0 despite row errors', async () => {
    const report = join(dir, 'errors.csv');
    const res = await cli(['import', 'contacts', join(fixtures, 'contacts.csv'), '--source', 'crm', '--workspace', workspaceId, '--errors', report, '-d', database.url]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('mapping: externalId ← "Customer ID", email ← "E-mail Address", name ← "Full Name"');
    expect(res.stdout).toMatch(/imported 2 of 6 rows \(contact from crm\) in [\d.]+ s, [\d,]+ rows\/s; 4 failed \(import imp_[a-z0-9]+\)/);
    expect(res.stdout).toContain(`4 row errors written to ${report}`);
    const lines = readFileSync(report, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('line,field,value,reason');
    expect(lines[1]).toBe('4,email,not-an-email,not an e-mail address');
    expect(lines).toHaveLength(5);
  });

  it('takes --map-<field>, --column and --date-format, and re-import updates instead of duplicating', async () => {
    const file = join(dir, 'people.csv');
    writeFileSync(file, 'Ref,Mail,Joined\nx-1,one@example.com,31/12/2024\nx-2,two@example.com,01/02/2025\n');
    const args = ['import', 'contact', file, '--source', 'shop', '--workspace', workspaceId, '--map-external-id', 'Ref', '--column', 'email=Mail', '--map-createdAt=Joined', '--date-format', 'DD/MM/YYYY', '-d', database.url];
    const first = await cli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('imported 2 of 2 rows');
    writeFileSync(file, 'Ref,Mail,Joined\nx-1,uno@example.com,31/12/2024\n');
    expect((await cli(args)).code).toBe(0);
    const store = openStore(database.url);
    try {
      const rows = await store.db.selectFrom('source_records').selectAll().where('workspace_id', '=', workspaceId).where('source', '=', 'shop').orderBy('external_id').execute();
      expect(rows.map((r) => [r.external_id, fromJson<{ email: string; createdAt: number }>(r.data).email])).toEqual([
        ['x-1', 'uno@example.com'],
        ['x-2', 'two@example.com'],
      ]);
      expect(fromJson<{ createdAt: number }>(rows[1]!.data).createdAt).toBe(Date.UTC(2025, 1, 1));
    } finally {
      await store.close();
    }
  });

  it('answers fatal problems with one clear line and exit code 1', async () => {
    const csv = join(fixtures, 'contacts.csv');
    const map = join(dir, 'bad-map.json');
    writeFileSync(map, '{"email": "Mail"}');
    const cases: [string[], RegExp][] = [
      [['import', 'invoices', csv, '--source', 'crm', '--workspace', workspaceId], /^emptychair: unknown kind "invoices"/],
      [['import', 'contacts', csv, '--source', 'crm', '--workspace', workspaceId, '--map', map], /^emptychair: no column "Mail" \(for email\) in the file; its columns are "Customer ID", "E-mail Address"/],
      [['import', 'contacts', join(dir, 'missing.csv'), '--source', 'crm', '--workspace', workspaceId], /^emptychair: cannot read /],
      [['import', 'contacts', csv, '--source', 'crm', '--workspace', 'ws_nope'], /^emptychair: no workspace ws_nope$/],
      [['import', 'contacts', csv, '--source', 'crm', '--workspace', workspaceId, '--decimal', ';'], /^emptychair: --decimal: /],
      [['import', 'contacts', csv, '--source', 'crm', '--workspace', workspaceId, '--date-format', 'DD/QQ'], /^emptychair: unknown date format "DD\/QQ"/],
    ];
    for (const [args, message] of cases) {
      const res = await cli([...args, '-d', database.url]);
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringMatching(message)]);
    }
  });
});
