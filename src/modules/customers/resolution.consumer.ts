/**
 * Identity resolution as a subscriber: it follows two logs per workspace, the event store
 * (every stored event is the fact "event stored") and the outbox's `records.upserted`
 * facts (imports, the demo), and places each observation on a profile. Cursors move in the
 * transaction that applied the work, so a crash repeats nothing and loses nothing.
 *
 * Work is cut into short transactions (a time slice), because on SQLite a transaction holds
 * the one connection that ingestion also needs.
 */
import type { Clock } from '../../platform/clock.js';
import {
  fromJson,
  RECORDS_UPSERTED,
  readCursor,
  followFacts,
  inChunks,
  registerFollower,
  scheduleFollower,
  startFollower,
  writeCursor,
  type JobQueue,
  type RecordsUpserted,
  type Store,
  type Worker,
  internalTransaction,
} from '../../store/index.js';
import { eventsAfter } from '../ingest/index.js';
import { lockGraph, resolve, type GraphContext } from './graph.js';
import { readIdentitySettings } from './identity.settings.js';
import type { Matcher } from './matcher.js';
import { MatcherCache } from './model.service.js';
import { observeEvent, observeRecord, type Observation, type ObservationOptions } from './observation.js';

export const RESOLVE_QUEUE = 'customers.resolve';
const EVENTS_CURSOR = 'customers.events';
const RECORDS_CURSOR = 'customers.records';

export interface ResolutionDeps {
  store: Store;
  clock: Clock;
  /** A fixed matcher; when absent, each workspace's trained model (or the priors). */
  matcher?: Matcher;
}

const trainedMatchers = new MatcherCache();

export interface SliceOptions {
  /** Stop taking new items after this long, then commit (default 25 ms). */
  sliceMs?: number;
  /** Most items read per slice (default 500). */
  batch?: number;
}

const obj = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

interface Pending {
  position: string;
  observations: () => Promise<Observation[]>;
}

/** What a reader found: the items, and whether it stopped at its limit (more may be waiting). */
interface Read {
  items: Pending[];
  full: boolean;
}

/**
 * One transaction's worth of a log: returns how many items were applied, and whether more may
 * be waiting (the read was full, or the time slice ended before its last item).
 */
async function applySlice(
  deps: ResolutionDeps,
  workspaceId: string,
  cursorName: string,
  read: (db: GraphContext['db'], after: string, options: ObservationOptions, limit: number) => Promise<Read>,
  slice: Required<SliceOptions>,
  seen: NonNullable<GraphContext['seen']>,
): Promise<{ items: number; observations: number; more: boolean }> {
  const { store, clock } = deps;
  return internalTransaction(store, async (trx) => {
    await lockGraph(trx, store.dialect.name, workspaceId);
    const matcher = deps.matcher ?? (await trainedMatchers.get(trx, workspaceId));
    const settings = await readIdentitySettings(trx, workspaceId);
    const options: ObservationOptions = { defaultCountry: settings.defaultCountry, ...(settings.userIdSource ? { userIdSource: settings.userIdSource } : {}) };
    const after = await readCursor(trx, workspaceId, cursorName);
    const { items, full } = await read(trx, after, options, slice.batch);
    if (items.length === 0) return { items: 0, observations: 0, more: false };
    const started = performance.now();
    let applied = 0;
    let observed = 0;
    let position = after;
    for (const item of items) {
      const ctx: GraphContext = { db: trx, workspaceId, now: clock.now(), settings, matcher, actor: 'system', seen };
      for (const obs of await item.observations()) {
        await resolve(ctx, obs);
        observed++;
      }
      position = item.position;
      applied++;
      if (performance.now() - started > slice.sliceMs) break;
    }
    await writeCursor(trx, workspaceId, cursorName, position, clock.now());
    return { items: applied, observations: observed, more: full || applied < items.length };
  });
}

/** Events after the cursor, below the transaction horizon (see ingest's event log). */
function eventReader(deps: ResolutionDeps, workspaceId: string) {
  return async (db: GraphContext['db'], after: string, options: ObservationOptions, limit: number): Promise<Read> => {
    const { events } = await eventsAfter(db, deps.store.dialect.name, workspaceId, after, { limit });
    const items = events.map((e) => ({
      position: e.position,
      observations: async () => [
        observeEvent(
          {
            type: e.type,
            userId: e.userId,
            anonymousId: e.anonymousId,
            previousId: e.previousId,
            traits: e.traits,
            contextTraits: e.contextTraits,
            source: `events:${e.source}`,
            at: e.timestamp,
          },
          options,
        ),
      ],
    }));
    return { items, full: events.length >= limit };
  };
}

/** Records placed per item: a slice can end inside a fact of a thousand (an import), not only after it. */
const RECORDS_PER_ITEM = 50;
/** A records cursor inside a fact: `<position before the fact>#<records of it placed>`. */
const WITHIN = '#';

function cursorWithin(after: string): { base: string; done: number } {
  const i = after.lastIndexOf(WITHIN);
  return i < 0 ? { base: after, done: 0 } : { base: after.slice(0, i), done: Number(after.slice(i + 1)) || 0 };
}

/**
 * `records.upserted` facts after the cursor: each names a batch of silo records, taken
 * RECORDS_PER_ITEM at a time, so that a fact of an import's thousand records does not make one
 * long transaction (on SQLite it holds the connection ingestion needs).
 */
function recordReader(deps: ResolutionDeps, workspaceId: string) {
  return async (db: GraphContext['db'], after: string, options: ObservationOptions, limit: number): Promise<Read> => {
    const { base, done } = cursorWithin(after);
    // A fact names up to a thousand records: a few facts make a slice.
    const factLimit = Math.max(1, Math.floor(limit / 100));
    const { facts, position } = await followFacts(db, deps.store.dialect.name, workspaceId, { after: base, topics: [RECORDS_UPSERTED], limit: factLimit });
    // Only facts of other topics were read over: one item that moves the cursor past them.
    if (facts.length === 0) return { items: position === base ? [] : [{ position, observations: async () => [] }], full: false };
    const items: Pending[] = [];
    let before = base;
    facts.forEach((f, n) => {
      const p = f.payload as RecordsUpserted;
      const from = n === 0 ? done : 0;
      // The fact's records are read together (500 a statement) when its first item is placed.
      let records: Promise<Map<string, RecordRow>> | undefined;
      const read = () => (records ??= readRecords(db, workspaceId, p, p.externalIds.slice(from)));
      for (let i = from; i < p.externalIds.length; i += RECORDS_PER_ITEM) {
        const end = Math.min(i + RECORDS_PER_ITEM, p.externalIds.length);
        const ids = p.externalIds.slice(i, end);
        items.push({ position: end === p.externalIds.length ? f.position : `${before}${WITHIN}${end}`, observations: async () => observeRecords(p, ids, await read(), options) });
      }
      // A fact naming no record (or none left) still moves the cursor past it.
      if (items.at(-1)?.position !== f.position) items.push({ position: f.position, observations: async () => [] });
      before = f.position;
    });
    return { items, full: facts.length >= factLimit };
  };
}

type RecordRow = { external_id: string; data: unknown; occurred_at: number | string | bigint; updated_at: number | string | bigint };

async function readRecords(db: GraphContext['db'], workspaceId: string, p: RecordsUpserted, externalIds: readonly string[]): Promise<Map<string, RecordRow>> {
  const rows = await inChunks(externalIds, (chunk) =>
    db.selectFrom('source_records').select(['external_id', 'data', 'occurred_at', 'updated_at']).where('workspace_id', '=', workspaceId).where('source', '=', p.source).where('kind', '=', p.kind).where('external_id', 'in', chunk).execute(),
  );
  return new Map(rows.map((r) => [r.external_id, r]));
}

/** The observations of some of a fact's records, in the fact's order (a record since deleted has none). */
function observeRecords(p: RecordsUpserted, externalIds: readonly string[], records: ReadonlyMap<string, RecordRow>, options: ObservationOptions): Observation[] {
  const out: Observation[] = [];
  for (const id of externalIds) {
    const r = records.get(id);
    const obs = r && observeRecord({ source: p.source, kind: p.kind, externalId: r.external_id, data: obj(fromJson(r.data)) ?? {}, occurredAt: Number(r.occurred_at), updatedAt: Number(r.updated_at) }, options);
    if (obs) out.push(obs);
  }
  return out;
}

/**
 * Apply what is waiting in one workspace, slice by slice, for at most `budgetMs`.
 * Returns the number of items applied and whether any are left.
 */
export async function resolvePending(
  deps: ResolutionDeps,
  workspaceId: string,
  options: SliceOptions & { budgetMs?: number; onProgress?: (observations: number) => void } = {},
): Promise<{ applied: number; observations: number; more: boolean }> {
  const slice = { sliceMs: options.sliceMs ?? 25, batch: options.batch ?? 500 };
  const deadline = performance.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  let applied = 0;
  let observations = 0;
  const seen: NonNullable<GraphContext['seen']> = new Map();
  for (const [cursor, reader] of [
    [RECORDS_CURSOR, recordReader(deps, workspaceId)],
    [EVENTS_CURSOR, eventReader(deps, workspaceId)],
  ] as const) {
    for (;;) {
      if (performance.now() > deadline) return { applied, observations, more: true };
      const n = await applySlice(deps, workspaceId, cursor, reader, slice, seen).catch((err: unknown) => {
        // A rolled-back slice may have cached placements that never committed.
        seen.clear();
        throw err;
      });
      applied += n.items;
      observations += n.observations;
      if (n.items > 0) options.onProgress?.(observations);
      // Caught up: what arrives from now on waits for the follower's next pass, which gathers
      // a busy moment's commits into one slice instead of chasing them a few at a time.
      if (!n.more) break;
      // Let ingestion's commits in between slices.
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  return { applied, observations, more: false };
}

/** At start-up: start following unless a run is already queued or running (one chain of runs). */
export const startResolution = (queue: JobQueue, clock: Clock): Promise<void> => startFollower(queue, clock, RESOLVE_QUEUE);

/** Schedule the next run; the key names the second, so processes schedule it once. */
export const scheduleResolution = (queue: JobQueue, clock: Clock, delayMs: number): Promise<void> => scheduleFollower(queue, clock, RESOLVE_QUEUE, delayMs);

/**
 * One job follows the logs for about a minute, then schedules its successor (store/jobs/follower):
 * new data is placed as soon as it is committed, and the jobs table gains one row a minute.
 */
export function registerResolution(worker: Worker, queue: JobQueue, deps: ResolutionDeps): void {
  registerFollower(worker, { store: deps.store, clock: deps.clock, queue }, RESOLVE_QUEUE, (workspaceId) => resolvePending(deps, workspaceId, { budgetMs: 2000 }), { idleMs: 500, gatherMs: 100 });
}
