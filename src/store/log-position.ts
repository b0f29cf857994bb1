/**
 * A reader's position in an append-only log (the outbox, the event store): the (tx, id) of the
 * last row it has taken. Rows are read in (tx, id) order, where `tx` is the id of the transaction
 * that wrote the row (PostgreSQL; 0 on SQLite and for rows written before migration 0017).
 *
 * A position is stored as a string in `consumer_cursors`: the bare id when tx is 0, so that
 * every cursor written before transaction ids existed (and every SQLite cursor) means what it
 * meant, else `tx:id`. '' is the start of the log.
 */
export interface LogPosition {
  tx: number;
  id: string;
}

const TX_PREFIX = /^(\d+):/;

export function encodePosition(p: LogPosition): string {
  return p.tx === 0 ? p.id : `${p.tx}:${p.id}`;
}

export function decodePosition(s: string): LogPosition {
  const m = TX_PREFIX.exec(s);
  return m ? { tx: Number(m[1]), id: s.slice(m[0].length) } : { tx: 0, id: s };
}

/** Negative when `a` comes before `b` in the log, 0 when equal, positive after. */
export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.tx !== b.tx) return a.tx < b.tx ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
