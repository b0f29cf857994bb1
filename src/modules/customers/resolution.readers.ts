/**
 * What identity resolution reads, as items with a position: the event store (every stored event
 * is the fact "event stored") and the outbox's `records.upserted` facts (imports, the demo, task
 * timelines). The consumer (resolution.consumer.ts) places an item's observations and moves the
 * log's cursor to its position in the same transaction.
 */
import { eventsAfter } from '../ingest/index.js';
import { fromJson, followFacts, inChunks, RECORDS_UPSERTED, type DialectName, type RecordsUpserted, type StoredFact } from '../../store/index.js';
import type { GraphContext } from './graph.js';
import { observeEvent, observeRecord, type Observation, type ObservationOptions } from './observation.js';

const obj = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** One item of a log: the cursor's position after it, and its observations (read when it is placed). */
export interface Item {
  position: string;
  observations: () => Promise<Observation[]>;
}

/** What a reader found: the items, and whether it stopped at its limit (more may be waiting). */
export interface Read {
  items: Item[];
  full: boolean;
}

/** Reads a log's items after the cursor, at most about `limit`. */
export type Reader = (db: GraphContext['db'], after: string, options: ObservationOptions, limit: number) => Promise<Read>;

/** Events after the cursor, below the transaction horizon (see ingest's event log). */
export function eventReader(dialect: DialectName, workspaceId: string): Reader {
  return async (db, after, options, limit) => {
    const { events } = await eventsAfter(db, dialect, workspaceId, after, { limit });
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
/** Records read per statement, ahead of the first item that needs them. */
const RECORDS_PER_READ = 500;
/** A records cursor inside a fact: `<position before the fact>#<records of it placed>`. */
const WITHIN = '#';

function cursorWithin(after: string): { base: string; done: number } {
  const i = after.lastIndexOf(WITHIN);
  return i < 0 ? { base: after, done: 0 } : { base: after.slice(0, i), done: Number(after.slice(i + 1)) || 0 };
}

/**
 * `records.upserted` facts after the cursor, as items of up to RECORDS_PER_ITEM records each, so
 * that a fact of an import's thousand records does not make one long transaction (on SQLite it
 * holds the connection ingestion needs). A fact names one record (a task's timeline) to a
 * thousand (an import): a few facts are read, then as many more as the slice's budget of records
 * (`limit`) leaves room for at their average size, so that small facts still make full slices.
 */
export function recordReader(dialect: DialectName, workspaceId: string): Reader {
  return async (db, after, options, limit) => {
    const { base, done } = cursorWithin(after);
    const facts: StoredFact[] = [];
    let position = base;
    let records = 0;
    let full: boolean;
    for (let want = Math.max(1, Math.floor(limit / 100)); ; ) {
      const read = await followFacts(db, dialect, workspaceId, { after: position, topics: [RECORDS_UPSERTED], limit: want });
      position = read.position;
      for (const f of read.facts) records += (f.payload as RecordsUpserted).externalIds.length - (facts.push(f) === 1 ? done : 0);
      full = read.facts.length >= want;
      if (!full || records >= limit) break;
      want = Math.max(1, Math.floor((limit - records) / Math.max(1, records / facts.length)));
    }
    // Only facts of other topics were read over: one item that moves the cursor past them.
    if (facts.length === 0) return { items: position === base ? [] : [{ position, observations: async () => [] }], full: false };
    const wanted: WantedRecord[] = [];
    const ahead = new RecordsAhead(db, workspaceId, wanted);
    const items: Item[] = [];
    let before = base;
    facts.forEach((f, n) => {
      const p = f.payload as RecordsUpserted;
      for (let i = n === 0 ? done : 0; i < p.externalIds.length; i += RECORDS_PER_ITEM) {
        const end = Math.min(i + RECORDS_PER_ITEM, p.externalIds.length);
        const from = wanted.length;
        for (const externalId of p.externalIds.slice(i, end)) wanted.push({ source: p.source, kind: p.kind, externalId });
        const to = wanted.length;
        items.push({ position: end === p.externalIds.length ? f.position : `${before}${WITHIN}${end}`, observations: async () => observeRecords(wanted.slice(from, to), await ahead.through(to), options) });
      }
      // A fact naming no record (or none left) still moves the cursor past it.
      if (items.at(-1)?.position !== f.position) items.push({ position: f.position, observations: async () => [] });
      before = f.position;
    });
    return { items, full };
  };
}

type RecordRow = { external_id: string; data: unknown; occurred_at: number | string | bigint; updated_at: number | string | bigint };
type WantedRecord = { source: string; kind: string; externalId: string };
const recordKey = (source: string, kind: string, externalId: string) => `${source}\u0000${kind}\u0000${externalId}`;

/**
 * The records a slice's items will place, read RECORDS_PER_READ a statement (per source and
 * kind) when the first item that needs them is placed: a slice that ends early reads little more
 * than it placed, and a thousand one-record facts cost two statements, not a thousand.
 */
class RecordsAhead {
  private readonly rows = new Map<string, RecordRow>();
  private read = 0;

  constructor(
    private readonly db: GraphContext['db'],
    private readonly workspaceId: string,
    private readonly wanted: readonly WantedRecord[],
  ) {}

  /** The rows of every wanted record before `end` (a record since deleted is absent). */
  async through(end: number): Promise<ReadonlyMap<string, RecordRow>> {
    while (this.read < end) {
      const window = this.wanted.slice(this.read, Math.max(end, this.read + RECORDS_PER_READ));
      this.read += window.length;
      const groups = new Map<string, WantedRecord[]>();
      for (const w of window) {
        const key = `${w.source}\u0000${w.kind}`;
        const group = groups.get(key);
        if (group) group.push(w);
        else groups.set(key, [w]);
      }
      for (const group of groups.values()) {
        const { source, kind } = group[0] as WantedRecord;
        const rows = await inChunks(group.map((w) => w.externalId), (chunk) =>
          this.db.selectFrom('source_records').select(['external_id', 'data', 'occurred_at', 'updated_at']).where('workspace_id', '=', this.workspaceId).where('source', '=', source).where('kind', '=', kind).where('external_id', 'in', chunk).execute(),
        );
        for (const r of rows) this.rows.set(recordKey(source, kind, r.external_id), r);
      }
    }
    return this.rows;
  }
}

/** The observations of some records, in order (a record since deleted has none). */
function observeRecords(wanted: readonly WantedRecord[], rows: ReadonlyMap<string, RecordRow>, options: ObservationOptions): Observation[] {
  const out: Observation[] = [];
  for (const w of wanted) {
    const r = rows.get(recordKey(w.source, w.kind, w.externalId));
    const obs = r && observeRecord({ source: w.source, kind: w.kind, externalId: r.external_id, data: obj(fromJson(r.data)) ?? {}, occurredAt: Number(r.occurred_at), updatedAt: Number(r.updated_at) }, options);
    if (obs) out.push(obs);
  }
  return out;
}

