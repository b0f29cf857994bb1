/**
 * How our SQLite connections take turns to write. A server has two connections that write, one
 * per thread (server/background-thread.ts), and SQLite lets one of them write at a time.
 *
 * - A lock shared by the threads of the process (WriteLock, on a SharedArrayBuffer) is taken
 *   before every write: for a whole transaction, from its BEGIN to its COMMIT or ROLLBACK, or for
 *   one statement outside a transaction. Waiting for it is asynchronous (Atomics.waitAsync): the
 *   event loop goes on serving requests, and the waiter is woken the moment the lock is
 *   released. SQLite's own busy handler would instead sleep inside the statement (1, 2, 5, 10 …
 *   ms at a time), freezing its thread; polling from JavaScript instead burnt a fifth of a core
 *   on refused statements at 1 000 new leads a second.
 * - Transactions BEGIN IMMEDIATE, taking SQLite's write lock at the start: a deferred one that
 *   read first would fail with SQLITE_BUSY at its first write if another connection (another
 *   process: the CLI beside a server) committed meanwhile.
 * - Against other processes SQLite's busy timeout still applies.
 */
import { threadId } from 'node:worker_threads';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
} from 'kysely';

/** How long a write waits for the other thread before it fails (as SQLite's busy timeout would). */
export const LOCK_TIMEOUT_MS = 5_000;

type WaitAsync = (cell: Int32Array, index: number, value: number, timeoutMs: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** The write lock of one database file, shared by the threads of a process. The cell holds the holder's threadId + 1, or 0. */
export class WriteLock {
  private readonly cell: Int32Array;
  private readonly me = threadId + 1;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.cell = new Int32Array(buffer);
  }

  /** Take the lock if it is free, without waiting (true), as most writes find it. */
  tryAcquire(): boolean {
    return Atomics.compareExchange(this.cell, 0, 0, this.me) === 0;
  }

  async acquire(): Promise<void> {
    const deadline = performance.now() + LOCK_TIMEOUT_MS;
    for (;;) {
      const holder = Atomics.compareExchange(this.cell, 0, 0, this.me);
      if (holder === 0) return;
      const left = deadline - performance.now();
      if (left <= 0) throw Object.assign(new Error('database is locked: another thread held the write lock too long'), { code: 'SQLITE_BUSY' });
      const wait = waitAsync(this.cell, 0, holder, left);
      if (wait.async) await wait.value;
    }
  }

  release(): void {
    Atomics.store(this.cell, 0, 0);
    Atomics.notify(this.cell, 0);
  }

  /** A thread ended: if it held the lock (it died inside a transaction), free it. */
  releaseIfHeldBy(endedThreadId: number): void {
    if (Atomics.compareExchange(this.cell, 0, endedThreadId + 1, 0) === endedThreadId + 1) Atomics.notify(this.cell, 0);
  }
}

/** Selects read, and pragmas (a commit's synchronous setting, say) write no rows; anything else may write. */
const mayWrite = (query: CompiledQuery): boolean => !SelectQueryNode.is(query.query) && !/^\s*pragma\b/i.test(query.sql);

/** One thread's connection: statements outside a transaction that may write take the lock for their run. */
class LockingConnection implements DatabaseConnection {
  /** Inside a transaction of ours: the lock is held already. */
  holding = false;

  constructor(
    private readonly inner: DatabaseConnection,
    private readonly lock: WriteLock,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.holding || !mayWrite(query)) return this.inner.executeQuery<R>(query);
    if (!this.lock.tryAcquire()) await this.lock.acquire();
    try {
      return await this.inner.executeQuery<R>(query);
    } finally {
      this.lock.release();
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class LockingDriver extends SqliteDriver {
  private readonly wrapped = new WeakMap<DatabaseConnection, LockingConnection>();

  constructor(
    config: SqliteDialectConfig,
    private readonly lock: WriteLock,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    let connection = this.wrapped.get(inner);
    if (!connection) this.wrapped.set(inner, (connection = new LockingConnection(inner, this.lock)));
    return connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as LockingConnection;
    if (!this.lock.tryAcquire()) await this.lock.acquire();
    c.holding = true;
    try {
      await c.executeQuery(CompiledQuery.raw('begin immediate'));
    } catch (error) {
      this.releaseFor(c);
      throw error;
    }
  }

  /** Released only once committed: after a failed COMMIT, Kysely rolls back, and that releases it. */
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection);
    this.releaseFor(connection as LockingConnection);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } finally {
      this.releaseFor(connection as LockingConnection);
    }
  }

  private releaseFor(connection: LockingConnection): void {
    if (!connection.holding) return;
    connection.holding = false;
    this.lock.release();
  }
}

/** Kysely's SQLite dialect with the locking above. */
export class LockingSqliteDialect extends SqliteDialect {
  constructor(
    private readonly settings: SqliteDialectConfig,
    private readonly lock: WriteLock,
  ) {
    super(settings);
  }

  override createDriver(): Driver {
    return new LockingDriver(this.settings, this.lock);
  }
}
