/**
 * Daily rollups and per-source totals, computed from the rows a commit newly stores
 * (never from retried duplicates), so dashboards never scan raw events. Pure.
 */
import { utcDay } from './skew.js';

export interface RollupInput {
  workspace_id: string;
  type: string;
  name: string | null;
  source: string;
  timestamp: number;
  received_at: number;
}

export interface DailyCount {
  workspace_id: string;
  day: string;
  type: string;
  name: string;
  source: string;
  count: number;
}

export interface SourceTotal {
  workspace_id: string;
  source: string;
  events: number;
  last_event_at: number;
}

const SEP = '\u0001';

const DAY_MS = 86_400_000;

/** utcDay, remembering the last day seen: a commit's events almost all fall on one or two days. */
function dayOf(): (ms: number) => string {
  let from = 0;
  let to = 0;
  let day = '';
  return (ms) => {
    if (ms >= from && ms < to) return day;
    day = utcDay(ms);
    from = Math.floor(ms / DAY_MS) * DAY_MS;
    to = from + DAY_MS;
    // Outside the years 0001–9999 utcDay clamps: do not remember those.
    if (day !== utcDay(from) || day !== utcDay(to - 1)) to = from;
    return day;
  };
}

/** Sorted by key, so concurrent writers on PostgreSQL take row locks in one order. */
export function dailyCounts(rows: readonly RollupInput[]): DailyCount[] {
  const byKey = new Map<string, DailyCount>();
  const dayFor = dayOf();
  for (const r of rows) {
    const day = dayFor(r.timestamp);
    const name = r.name ?? '';
    const key = r.workspace_id + SEP + day + SEP + r.type + SEP + name + SEP + r.source;
    const hit = byKey.get(key);
    if (hit) hit.count++;
    else byKey.set(key, { workspace_id: r.workspace_id, day, type: r.type, name, source: r.source, count: 1 });
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

export function sourceTotals(rows: readonly RollupInput[]): SourceTotal[] {
  const byKey = new Map<string, SourceTotal>();
  for (const r of rows) {
    const key = r.workspace_id + SEP + r.source;
    const hit = byKey.get(key);
    if (hit) {
      hit.events++;
      hit.last_event_at = Math.max(hit.last_event_at, r.received_at);
    } else {
      byKey.set(key, { workspace_id: r.workspace_id, source: r.source, events: 1, last_event_at: r.received_at });
    }
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}
