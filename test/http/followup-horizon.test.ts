/**
 * Issue 6 through the product: the rule consumer follows the event log by the transaction
 * horizon (store/log-horizon.ts). A tracked lead becomes a task as soon as it has committed, the
 * clock standing still (there is no settle window to wait out), and a lead whose transaction
 * stays open for longer than the old window (5 s) is neither skipped nor overtaken by a lead
 * that committed meanwhile: both become tasks, once each, when it commits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeFollowups } from '../../src/modules/followup/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { newId } from '../../src/platform/ids.js';
import { awaitLogHorizon, JobQueue, openStore } from '../../src/store/index.js';
import { testDialects } from '../../src/store/testing.js';
import { basicAuth, type Session, type TestApp } from '../support/app.js';
import { createFollowupFixture } from '../support/followup.js';

const DAY = 86_400_000;
const LEAD = 'Lead Created';

describe.each(testDialects())('follow-up rules and the transaction horizon on %s', (dialect) => {
  // Ids only grow within a process: the PostgreSQL run starts after the SQLite run's clock.
  const clock = new ManualClock(Date.UTC(2026, 11, 7, 9) + (dialect === 'postgres' ? 30 * DAY : 0));
  let t: TestApp;
  let ws: string;
  let owner: Session;
  let writeKey: string;
  let queue: JobQueue;
  let seq = 0;

  const post = async (path: string, payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}${path}`, headers: owner.headers, payload });
    expect(res.statusCode, res.body).toBe(201);
  };
  const track = async (userId: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/track', headers: { authorization: basicAuth(writeKey) }, payload: { userId, event: LEAD, messageId: `m-${++seq}` } });
    expect(res.statusCode, res.body).toBe(200);
  };
  /** The rule consumer's work, as its job does it, with the clock where it stands. */
  const consume = () => consumeFollowups({ store: t.store, clock, queue }, ws);
  const tasked = async () => (await t.store.db.selectFrom('followup_tasks').select('respondent_value').where('workspace_id', '=', ws).execute()).map((r) => r.respondent_value).sort();

  beforeAll(async () => {
    ({ t, queue, ws, owner, writeKey } = await createFollowupFixture(dialect, clock));
    await post('/followups/policies', { name: 'Leads', triggerKind: 'lead', firstContactMinutes: 60 });
    await post('/followups/rules', { name: 'Call new leads', definition: { trigger: { kind: 'event', event: LEAD }, actions: [{ type: 'create_task', title: 'Call the new lead', slaKind: 'lead' }] } });
  });
  afterAll(() => t.close());

  it('makes a tracked lead a task as soon as it has committed, the clock standing still', async () => {
    await track('u-now');
    // Only a transaction that took an xid before the lead's (another suite's, on a shared server) holds it back.
    await awaitLogHorizon(t.store.db, dialect);
    const out = await consume();
    expect(out.tasks).toHaveLength(1);
    expect(await tasked()).toEqual(['u-now']);
  });

  it('neither skips nor overtakes a lead whose transaction stays open longer than the old settle window', async () => {
    // Caught up first: the task facts the last run appended are read over.
    await awaitLogHorizon(t.store.db, dialect);
    await consume();
    // A: a writer (another process) that took its ids, then is slow to commit. On SQLite, one
    // writer at a time: A on a second connection blocks every other write, so B only on PostgreSQL.
    const other = dialect === 'sqlite' ? openStore(t.store.url) : undefined;
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    let wroteA: () => void = () => {};
    const written = new Promise<void>((r) => (wroteA = r));
    clock.advance(1);
    const now = clock.now();
    const id = newId('evt', now);
    const a = (other ?? t.store).db.transaction().execute(async (trx) => {
      await trx
        .insertInto('events')
        .values({ workspace_id: ws, id, message_id: `m-slow`, type: 'track', name: LEAD, user_id: 'u-slow', anonymous_id: null, group_id: null, previous_id: null, profile_id: null, source: 'key', properties: '{}', traits: null, context: '{}', integrations: '{}', timestamp: now, original_timestamp: now, sent_at: null, received_at: now })
        .execute();
      wroteA();
      await held;
    });
    try {
      await Promise.race([written, a]);
      clock.advance(1000);
      const overtaker = dialect === 'postgres';
      // On SQLite the consumer's transaction takes the write lock as it begins: it cannot run
      // while A is open (it waits for A's commit), so only PostgreSQL can try to read past A.
      if (overtaker) {
        await track('u-fast'); // B: received after A, committed before it
        expect((await consume()).read).toBe(0);
        // Past the settle window readers used to trust, A still open: nothing is read past it.
        clock.advance(60_000);
        expect((await consume()).read).toBe(0);
      }
      expect(await tasked()).toEqual(['u-now']);

      release();
      await a;
      await awaitLogHorizon(t.store.db, dialect);
      const out = await consume();
      expect(out.tasks).toHaveLength(overtaker ? 2 : 1);
      expect(await tasked()).toEqual(overtaker ? ['u-fast', 'u-now', 'u-slow'] : ['u-now', 'u-slow']);
      // Once each: nothing is left to read.
      expect((await consume()).read).toBe(0);
    } finally {
      release();
      await a.catch(() => undefined);
      await other?.close();
    }
  });
});
