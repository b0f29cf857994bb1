/**
 * Where the follow-up HTTP tests start: workspace Alpha on a fresh app, its owner logged in, a
 * write key for the tracking API (rules fire on tracked events) and a job queue on the test's
 * clock (the rule consumer puts its deadline and notice jobs there).
 */
import type { ManualClock } from '../../src/platform/clock.js';
import { JobQueue, type DialectName } from '../../src/store/index.js';
import { createTestApp, createWriteKey, seedAlpha, type Session, type TestApp } from './app.js';

export interface FollowupFixture {
  t: TestApp;
  queue: JobQueue;
  ws: string;
  owner: Session;
  writeKey: string;
}

export async function createFollowupFixture(dialect: DialectName, clock: ManualClock): Promise<FollowupFixture> {
  const t = await createTestApp({ dialect, clock });
  const queue = new JobQueue(t.store, { clock });
  const { ws, owner } = await seedAlpha(t);
  const writeKey = await createWriteKey(t, ws);
  return { t, queue, ws, owner, writeKey };
}
