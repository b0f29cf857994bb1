/**
 * Identity resolution as a subscriber: it follows two logs per workspace, the event store
 * (every stored event is the fact "event stored") and the outbox's `records.upserted`
 * facts (imports, the demo, task timelines), read by resolution.readers.ts, and places each
 * observation on a profile. Cursors move in the transaction that applied the work, so a crash
 * repeats nothing and loses nothing.
 *
 * Work is cut into short transactions (a time slice), because on SQLite a transaction holds
 * the one connection that ingestion also needs.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../../platform/clock.js';
import { readCursor, registerFollower, yieldToForeground, scheduleFollower, startFollower, writeCursor, type JobQueue, type Store, type Worker, internalTransaction } from '../../store/index.js';
import { prefetchIdentifiers, lockGraph, resolve, type GraphContext } from './graph.js';
import { PendingPlacements } from './graph.pending.js';
import { readIdentitySettings } from './identity.settings.js';
import type { Matcher } from './matcher.js';
import { MatcherCache } from './model.service.js';
import type { Observation, ObservationOptions } from './observation.js';
import { eventReader, recordReader, type Item, type Reader } from './resolution.readers.js';

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
/** Items (and at most about this many observations) whose identifiers are read with one statement per identifier kind before they are placed. */
const LOOKUP_ITEMS = 50;
const LOOKUP_OBSERVATIONS = 500;

export interface SliceOptions {
  /** Stop taking new items after this long, then commit (default 25 ms). */
  sliceMs?: number;
  /** Most items read per slice (default 500). */
  batch?: number;
}

/** The items from `from` on to place together: at most LOOKUP_ITEMS, or about LOOKUP_OBSERVATIONS observations. */
async function nextChunk(items: readonly Item[], from: number): Promise<{ chunk: { item: Item; observations: Observation[] }[]; next: number }> {
  const chunk: { item: Item; observations: Observation[] }[] = [];
  let count = 0;
  let next = from;
  while (next < items.length && chunk.length < LOOKUP_ITEMS && count < LOOKUP_OBSERVATIONS) {
    const item = items[next++] as Item;
    const observations = await item.observations();
    chunk.push({ item, observations });
    count += observations.length;
  }
  return { chunk, next };
}

/**
 * One transaction's worth of a log: returns how many items were applied, and whether more may
 * be waiting (the read was full, or the time slice ended before its last item).
 */
async function applySlice(
  deps: ResolutionDeps,
  workspaceId: string,
  cursorName: string,
  read: Reader,
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
    // New people's rows wait here and are written together, before the cursor moves (graph.pending.ts).
    const pending = new PendingPlacements();
    // Items a chunk at a time: what the workspace holds of the chunk's identifiers is one read for all of it.
    slicing: for (let from = 0; from < items.length; ) {
      const { chunk, next } = await nextChunk(items, from);
      from = next;
      const absent = await prefetchIdentifiers(trx, workspaceId, chunk.flatMap((c) => c.observations), seen);
      for (const { item, observations } of chunk) {
        const ctx: GraphContext = { db: trx, workspaceId, now: clock.now(), settings, matcher, actor: 'system', seen, absent, pending };
        for (const obs of observations) {
          await resolve(ctx, obs);
          observed++;
        }
        position = item.position;
        applied++;
        if (performance.now() - started > slice.sliceMs) break slicing;
      }
    }
    await pending.flush(trx, workspaceId);
    await writeCursor(trx, workspaceId, cursorName, position, clock.now());
    return { items: applied, observations: observed, more: full || applied < items.length };
  });
}

/**
 * Apply what is waiting in one workspace, slice by slice, for at most `budgetMs`.
 * Returns the number of items applied and whether any are left.
 */
export async function resolvePending(
  deps: ResolutionDeps,
  workspaceId: string,
  options: SliceOptions & {
    budgetMs?: number;
    onProgress?: (observations: number) => void;
    /** Runs between slices (default: one turn of the event loop). */
    between?: () => Promise<void>;
  } = {},
): Promise<{ applied: number; observations: number; more: boolean }> {
  const slice = { sliceMs: options.sliceMs ?? 25, batch: options.batch ?? 500 };
  const deadline = performance.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  let applied = 0;
  let observations = 0;
  const seen: NonNullable<GraphContext['seen']> = new Map();
  // Records, then events, as before; but under a budget each log may take only an equal share of
  // what is left of it, so that a steady flow into one (a task record a lead) does not starve the
  // other. Without a budget (the CLI, tests) the order is fixed: every record, then every event.
  const logs: [cursor: string, read: Reader][] = [
    [RECORDS_CURSOR, recordReader(deps.store.dialect.name, workspaceId)],
    [EVENTS_CURSOR, eventReader(deps.store.dialect.name, workspaceId)],
  ];
  // Let ingestion's commits in between slices; in the background, let busy foreground work go first.
  const between = options.between ?? (() => nextTurn());
  let cut = false;
  for (const [i, [cursor, reader]] of logs.entries()) {
    const share = performance.now() + (deadline - performance.now()) / (logs.length - i);
    for (;;) {
      if (performance.now() > share) {
        cut = true;
        break;
      }
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
      await between();
    }
  }
  return { applied, observations, more: cut };
}

/** At start-up: start following unless a run is already queued or running (one chain of runs). */
export const startResolution = (queue: JobQueue, clock: Clock): Promise<void> => startFollower(queue, clock, RESOLVE_QUEUE);

/** Schedule the next run; the key names the second, so processes schedule it once. */
export const scheduleResolution = (queue: JobQueue, clock: Clock, delayMs: number): Promise<void> => scheduleFollower(queue, clock, RESOLVE_QUEUE, delayMs);

/**
 * One job follows the logs for about a minute, then schedules its successor (store/jobs/follower):
 * new data is placed as soon as it is committed, and the jobs table gains one row a minute.
 * Between slices it yields to the process's foreground work (store/jobs/yield): resolution is
 * throughput work, and under a load that fills the process, a lead's task and webhook come first.
 */
export function registerResolution(worker: Worker, queue: JobQueue, deps: ResolutionDeps): void {
  registerFollower(worker, { store: deps.store, clock: deps.clock, queue }, RESOLVE_QUEUE, (workspaceId) => resolvePending(deps, workspaceId, { budgetMs: 2000, between: yieldToForeground }), { idleMs: 500, gatherMs: 100 });
}
