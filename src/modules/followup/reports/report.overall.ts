/**
 * The overall speed to first contact of a range, wall time only (median and 90th percentile of
 * the contacted tasks): what a summary such as insight's home dashboard shows, without the speed
 * report's working-time calendar maths per task and its groupings.
 */
import type { FollowupDeps } from '../deps.js';
import { Durations } from './report.maths.js';
import type { DurationStats } from './report.schema.js';
import { contactTimes } from './report.store.js';

export async function firstContactSpeed(deps: Pick<FollowupDeps, 'store'>, workspaceId: string, range: { from: number; to: number }): Promise<DurationStats> {
  const wall = new Durations();
  for (const t of await contactTimes(deps.store.db, { workspaceId, from: range.from, to: range.to })) wall.add(t.contactedAt - t.startedAt);
  return wall.stats();
}
