/**
 * File imports over HTTP on every dialect: a multipart upload streamed through the
 * importer, history, the error report, re-imports that update, and who may do what.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSONL_SAMPLE_LINES } from '../../src/modules/imports/importer.js';
import { fromJson } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { addTestMember, createTestApp, errorCode, loginAs, seedWorkspace, type Session, type TestApp } from '../support/app.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/imports/${name}`, import.meta.url));

/** A multipart/form-data body: fields first, then the file, as a browser's FormData sends them. */
function multipart(fields: Record<string, string>, file?: { name: string; content: Buffer | string; type?: string }) {
  const boundary = `----ec${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(testDialects())('file imports over HTTP on %s', (dialect) => {
  let t: TestApp;
  let ws: string;
  let other: string;
  let owner: Session;
  let viewer: Session;
  let agent: Session;

  const upload = (workspaceId: string, session: Session, fields: Record<string, string>, file?: { name: string; content: Buffer | string; type?: string }) => {
    const body = multipart(fields, file);
    return t.app.inject({
      method: 'POST',
      url: `/api/workspaces/${workspaceId}/imports`,
      headers: { ...session.headers, 'content-type': body.contentType },
      payload: body.payload,
    });
  };

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    ws = (await seedWorkspace(t, 'Alpha', 'owner@alpha.test')).workspaceId;
    other = (await seedWorkspace(t, 'Bravo', 'owner@bravo.test')).workspaceId;
    await addTestMember(t, ws, 'viewer@alpha.test', 'viewer');
    await addTestMember(t, ws, 'agent@alpha.test', 'agent');
    owner = await loginAs(t.app, 'owner@alpha.test');
    viewer = await loginAs(t.app, 'viewer@alpha.test');
    agent = await loginAs(t.app, 'agent@alpha.test');
  });
  afterAll(() => t.close());

  const records = (kind: string) =>
    t.store.db.selectFrom('source_records').selectAll().where('workspace_id', '=', ws).where('kind', '=', kind).orderBy('external_id').execute();

  it('imports a CSV with BOM, quotes, embedded newlines and CRLF; keeps good rows and reports bad ones by line', async () => {
    const res = await upload(ws, owner, { kind: 'contacts', source: 'crm' }, { name: 'contacts.csv', content: fixture('contacts.csv'), type: 'text/csv' });
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json().import;
    expect(view).toMatchObject({
      kind: 'contact',
      source: 'crm',
      fileName: 'contacts.csv',
      format: 'csv',
      status: 'succeeded',
      rowsRead: 6,
      rowsImported: 2,
      rowsFailed: 4,
      createdBy: 'owner@alpha.test',
      mapping: { externalId: 'Customer ID', email: 'E-mail Address', name: 'Full Name', country: 'Country', createdAt: 'Signup Date' },
    });
    expect(view.id).toMatch(/^imp_/);
    expect(Date.parse(view.finishedAt)).toBeGreaterThanOrEqual(Date.parse(view.startedAt));

    const rows = await records('contact');
    expect(rows.map((r) => r.external_id)).toEqual(['c-1', 'c-2']);
    const [ada, grace] = rows.map((r) => fromJson<Record<string, unknown>>(r.data));
    expect(ada).toMatchObject({ email: 'ada@example.com', name: 'Lovelace, Ada', country: 'GB', createdAt: Date.UTC(2025, 0, 15), phone: null });
    expect(grace).toMatchObject({ name: 'Grace "Amazing" Hopper', country: 'US', createdAt: Date.UTC(2025, 1, 1, 9, 30) });
    expect(Number(rows[0]?.occurred_at)).toBe(Date.UTC(2025, 0, 15));

    const csv = await t.app.inject({ url: `/api/workspaces/${ws}/imports/${view.id}/errors.csv`, headers: viewer.headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('line,field,value,reason');
    expect(lines.slice(1)).toEqual([
      '4,email,not-an-email,not an e-mail address',
      expect.stringMatching(/^7,createdAt,03\/04\/2025,ambiguous date .*--date-format DD\/MM\/YYYY or MM\/DD\/YYYY$/),
      '8,email,,"a contact needs an e-mail, a phone or a name"',
      '9,createdAt,2025-02-30,not a real calendar date or time',
    ]);
  });

  it('re-importing the same ids updates in place: no duplicates, imported_at kept, updated_at moved', async () => {
    const before = await records('contact');
    await new Promise((r) => setTimeout(r, 5));
    const csv = 'id,email,name\nc-1,ada@new.example,Ada King\nc-9,new@example.com,New Person\n';
    const res = await upload(ws, owner, { kind: 'contact', source: 'crm' }, { name: 'again.csv', content: csv });
    expect(res.json().import).toMatchObject({ rowsImported: 2, rowsFailed: 0 });
    const after = await records('contact');
    expect(after.map((r) => r.external_id)).toEqual(['c-1', 'c-2', 'c-9']);
    const ada = after[0]!;
    expect(fromJson<Record<string, unknown>>(ada.data)).toMatchObject({ email: 'ada@new.example', name: 'Ada King' });
    expect(Number(ada.imported_at)).toBe(Number(before[0]!.imported_at));
    expect(Number(ada.updated_at)).toBeGreaterThan(Number(before[0]!.updated_at));
    // The same id from another source is another record.
    await upload(ws, owner, { kind: 'contacts', source: 'support' }, { name: 'support.csv', content: 'id,email\nc-1,ada@support.example\n' });
    expect((await records('contact')).length).toBe(4);
  });

  it('a file that repeats an id keeps the last row (both dialects accept it)', async () => {
    const res = await upload(ws, owner, { kind: 'accounts', source: 'crm' }, { name: 'acc.csv', content: 'Account ID,Company Name\na-1,First\na-1,Second\n' });
    expect(res.json().import).toMatchObject({ rowsRead: 2, rowsImported: 2, rowsFailed: 0 });
    const rows = await records('account');
    expect(rows.map((r) => fromJson<{ name: string }>(r.data).name)).toEqual(['Second']);
  });

  it('imports JSONL with strict numbers and currencies, and an explicit mapping', async () => {
    const mapping = JSON.stringify({ externalId: 'order_id', customerId: 'customer', placedAt: 'order_date', total: 'amount' });
    const res = await upload(ws, owner, { kind: 'orders', source: 'billing', mapping }, { name: 'orders.jsonl', content: fixture('orders.jsonl') });
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json().import;
    expect(view).toMatchObject({ format: 'jsonl', rowsRead: 6, rowsImported: 2, rowsFailed: 4 });
    expect(view.mapping).toMatchObject({ externalId: 'order_id', currency: 'currency', status: 'status' });
    const rows = await records('order');
    expect(rows.map((r) => [r.external_id, fromJson<{ total: number; currency: string; status: string | null }>(r.data)])).toEqual([
      ['o-1', expect.objectContaining({ total: 12.5, currency: 'EUR', status: 'paid', customerId: 'c-1', placedAt: Date.UTC(2025, 4, 1) })],
      ['o-3', expect.objectContaining({ total: 99, currency: 'USD', status: null })],
    ]);
    const csv = await t.app.inject({ url: `/api/workspaces/${ws}/imports/${view.id}/errors.csv`, headers: owner.headers });
    const reasons = csv.body.trim().split('\n').slice(1);
    expect(reasons).toEqual([
      '2,total,"1,234.00","contains a comma: thousands separator or decimal mark? pass --decimal . or --decimal ,"',
      '3,,not json,not valid JSON',
      '5,total,$5,"currency symbol ""$"" needs --currency (an ISO 4217 code)"',
      '6,currency,XYZ,not an ISO 4217 currency code',
    ]);
  });

  it('JSONL: takes the columns from the keys of the first lines, not from the first line alone', async () => {
    const content = [
      'not json at all',
      { id: 'j-1', name: 'Only A Name' },
      { id: 'j-2', email: 'j2@example.com' },
      { id: 'j-3', name: 'Everything', email: 'j3@example.com', phone: '+44 20 7946 0000' },
    ]
      .map((l) => (typeof l === 'string' ? l : JSON.stringify(l)))
      .join('\n');
    const res = await upload(ws, owner, { kind: 'contacts', source: 'app' }, { name: 'people.jsonl', content });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().import).toMatchObject({
      rowsRead: 4,
      rowsImported: 3,
      rowsFailed: 1,
      errorsTotal: 1,
      mapping: { externalId: 'id', email: 'email', name: 'name', phone: 'phone' },
    });
    const rows = (await records('contact')).filter((r) => r.source === 'app').map((r) => fromJson<Record<string, unknown>>(r.data));
    expect(rows.map((r) => [r.name, r.email, r.phone])).toEqual([
      ['Only A Name', null, null],
      [null, 'j2@example.com', null],
      ['Everything', 'j3@example.com', '+44 20 7946 0000'],
    ]);
  });

  it('JSONL: notes keys that look like a field but first appear after the lines that chose the columns', async () => {
    const n = JSONL_SAMPLE_LINES;
    const lines = Array.from({ length: n + 5 }, (_, k) => {
      const i = k + 1;
      const extra = i === n + 2 ? { phone: '+1 555 0100', favourite_colour: 'teal' } : i === n + 4 ? { 'E-mail': 'other@example.com' } : {};
      return JSON.stringify({ id: `late-${i}`, email: `p${i}@example.com`, ...extra });
    });
    const res = await upload(ws, owner, { kind: 'contacts', source: 'late' }, { name: 'late.jsonl', content: lines.join('\n') });
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json().import;
    expect(view).toMatchObject({ rowsRead: n + 5, rowsImported: n + 5, rowsFailed: 0, errorsTotal: 2, mapping: { externalId: 'id', email: 'email' } });
    expect(view.mapping).not.toHaveProperty('phone');
    const csv = await t.app.inject({ url: `/api/workspaces/${ws}/imports/${view.id}/errors.csv`, headers: owner.headers });
    expect(csv.body.trim().split('\n').slice(1)).toEqual([
      `${n + 2},phone,phone,"key ""phone"" looks like phone but first appears after line ${n}, the part of the file that chose the columns: ` +
        `its values were not imported (map it explicitly, e.g. {""phone"": ""phone""}, and import again)"`,
      `${n + 4},email,E-mail,"key ""E-mail"" looks like email, which this import reads from ""email""; ""E-mail"" first appears after line ${n} ` +
        `and its values were not imported"`,
    ]);
    // Mapped explicitly, the late key is read; a mapped key that no line has is noted.
    const mapping = JSON.stringify({ phone: 'phone', company: 'employer_name' });
    const again = await upload(ws, owner, { kind: 'contacts', source: 'late', mapping }, { name: 'late.jsonl', content: lines.join('\n') });
    expect(again.statusCode, again.body).toBe(201);
    const second = again.json().import;
    expect(second).toMatchObject({ rowsImported: n + 5, errorsTotal: 2, mapping: { phone: 'phone', company: 'employer_name' } });
    const withPhone = (await records('contact')).filter((r) => r.source === 'late' && fromJson<{ phone: string | null }>(r.data).phone !== null);
    expect(withPhone.map((r) => r.external_id)).toEqual([`late-${n + 2}`]);
    const notes = await t.app.inject({ url: `/api/workspaces/${ws}/imports/${second.id}/errors.csv`, headers: owner.headers });
    expect(notes.body.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${n + 4},email,E-mail,`)),
      '0,company,employer_name,"no line of the file has the key ""employer_name"" (mapped to company)"',
    ]);
  });

  it('reads "1.234,50" and "$5" when told the decimal mark and the default currency', async () => {
    const csv = 'Order ID;Customer ID;Order Date;Amount\no-10;c-1;01/02/2025;1.234,50\no-11;c-1;13/02/2025;$5\n';
    const res = await upload(
      ws,
      owner,
      { kind: 'orders', source: 'shop', delimiter: ';', decimal: ',', currency: 'usd', dateFormat: 'DD/MM/YYYY' },
      { name: 'eu.csv', content: csv },
    );
    expect(res.json().import, res.body).toMatchObject({ rowsImported: 2, rowsFailed: 0 });
    const rows = (await records('order')).filter((r) => r.source === 'shop').map((r) => fromJson<{ total: number; currency: string; placedAt: number }>(r.data));
    expect(rows).toEqual([
      expect.objectContaining({ total: 1234.5, currency: 'USD', placedAt: Date.UTC(2025, 1, 1) }),
      expect.objectContaining({ total: 5, currency: 'USD', placedAt: Date.UTC(2025, 1, 13) }),
    ]);
  });

  it('takes the currency from a header such as "Amount (EUR)"', async () => {
    const res = await upload(ws, owner, { kind: 'subscriptions', source: 'billing' }, {
      name: 'subs.csv',
      content: 'Subscription ID,Customer ID,Plan,MRR (EUR),Status,Start Date,Cancelled At\ns-1,c-1,Pro,49.00,Active,2025-01-01,\ns-2,c-2,Basic,9,Canceled,2025-03-01,2025-02-01\n',
    });
    expect(res.json().import).toMatchObject({ rowsImported: 1, rowsFailed: 1 });
    const [sub] = (await records('subscription')).map((r) => fromJson<Record<string, unknown>>(r.data));
    expect(sub).toMatchObject({ plan: 'Pro', mrr: 49, currency: 'EUR', status: 'active', startedAt: Date.UTC(2025, 0, 1), canceledAt: null });
  });

  it('refuses a mapping that names an unknown column, listing the columns, and records the failure', async () => {
    const res = await upload(ws, owner, { kind: 'contacts', source: 'crm', mapping: '{"email":"Mail"}' }, { name: 'x.csv', content: 'id,E-mail\n1,a@b.co\n' });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('IMPORT_INVALID_MAPPING');
    expect(res.json().error.message).toBe('no column "Mail" (for email) in the file; its columns are "id", "E-mail"');
    expect(res.json().error.details.headers).toEqual(['id', 'E-mail']);
    const missing = await upload(ws, owner, { kind: 'tickets', source: 'support' }, { name: 't.csv', content: 'Ticket ID,Subject\n1,Help\n' });
    expect(errorCode(missing)).toBe('IMPORT_INVALID_MAPPING');
    expect(missing.json().error.message).toMatch(/^no column for openedAt of ticket/);
    const list = await t.app.inject({ url: `/api/workspaces/${ws}/imports?limit=2`, headers: viewer.headers });
    expect(list.json().imports).toEqual([
      expect.objectContaining({ kind: 'ticket', status: 'failed', fileName: 't.csv' }),
      expect.objectContaining({ kind: 'contact', status: 'failed', fileName: 'x.csv' }),
    ]);
  });

  it('refuses what is not a CSV or JSONL file, unknown kinds and non-multipart bodies', async () => {
    const xlsx = await upload(ws, owner, { kind: 'contacts', source: 'crm' }, { name: 'report.xlsx', content: Buffer.from('PK\x03\x04binary') });
    expect(xlsx.statusCode).toBe(400);
    expect(errorCode(xlsx)).toBe('IMPORT_FILE_INVALID');
    expect(xlsx.json().error.message).toContain('only CSV (.csv) or JSONL');
    const binary = await upload(ws, owner, { kind: 'contacts', source: 'crm' }, { name: 'renamed.csv', content: Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 1]) });
    expect(errorCode(binary)).toBe('IMPORT_FILE_INVALID');
    const kind = await upload(ws, owner, { kind: 'invoices', source: 'crm' }, { name: 'a.csv', content: 'id\n1\n' });
    expect(errorCode(kind)).toBe('VALIDATION_FAILED');
    expect(kind.json().error.message).toMatch(/^kind: /);
    const json = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/imports`, headers: owner.headers, payload: { kind: 'contacts' } });
    expect(json.statusCode).toBe(415);
    const broken = await upload(ws, owner, { kind: 'contacts', source: 'crm' }, { name: 'b.csv', content: 'id,email\n1,"a@b.co\n' });
    expect(errorCode(broken)).toBe('IMPORT_FILE_INVALID');
  });

  it('lists history newest first, shows one import, and hides other workspaces’ imports', async () => {
    const list = await t.app.inject({ url: `/api/workspaces/${ws}/imports`, headers: viewer.headers });
    expect(list.statusCode).toBe(200);
    const imports = list.json().imports as { id: string; startedAt: string }[];
    expect(imports.length).toBeGreaterThanOrEqual(8);
    const times = imports.map((i) => Date.parse(i.startedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const one = await t.app.inject({ url: `/api/workspaces/${ws}/imports/${imports[0]!.id}`, headers: viewer.headers });
    expect(one.json().import).toEqual(imports[0]);
    const foreign = await t.app.inject({ url: `/api/workspaces/${other}/imports/${imports[0]!.id}`, headers: owner.headers });
    expect(foreign.statusCode).toBe(404);
    const bravo = await loginAs(t.app, 'owner@bravo.test');
    const hidden = await t.app.inject({ url: `/api/workspaces/${other}/imports/${imports[0]!.id}`, headers: bravo.headers });
    expect(errorCode(hidden)).toBe('IMPORT_NOT_FOUND');
    const errors = await t.app.inject({ url: `/api/workspaces/${other}/imports/${imports[0]!.id}/errors.csv`, headers: bravo.headers });
    expect(errors.statusCode).toBe(404);
  });

  it('lets viewers read history but only managers and up import', async () => {
    for (const session of [viewer, agent]) {
      const res = await upload(ws, session, { kind: 'contacts', source: 'crm' }, { name: 'a.csv', content: 'id,email\nz,z@z.co\n' });
      expect(res.statusCode).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
    }
    expect((await records('contact')).some((r) => r.external_id === 'z')).toBe(false);
  });
});
