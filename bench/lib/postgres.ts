import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';

/** The server to benchmark on: EMPTYCHAIR_BENCH_PG or EMPTYCHAIR_TEST_PG (a URL, or 1), else the local default. */
export function pgServerUrl(env = process.env): string | undefined {
  for (const v of [env.EMPTYCHAIR_BENCH_PG, env.EMPTYCHAIR_TEST_PG]) {
    if (v === undefined || v === '') continue;
    if (v === '0' || v === 'false') return undefined;
    return /^postgres(ql)?:\/\//.test(v) ? v : DEFAULT_PG;
  }
  return DEFAULT_PG;
}

/** Whether the server answers; the reason when it does not. */
export async function pgReachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The PostgreSQL server to measure on, or undefined (with the reason printed) when it is
 * disabled or does not answer: every benchmark skips PostgreSQL the same way.
 */
export async function pgServerOrSkip(): Promise<string | undefined> {
  const server = pgServerUrl();
  const unreachable = server ? await pgReachable(server) : 'disabled by EMPTYCHAIR_BENCH_PG=0';
  if (!server || unreachable) {
    console.log(`(PostgreSQL skipped: ${unreachable})`);
    return undefined;
  }
  return server;
}

export interface TempDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the server, dropped afterwards. */
export async function createTempDatabase(serverUrl: string): Promise<TempDatabase> {
  const name = `ec_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // Not `with (force)` at once: a closed pg pool resolves before its backends have
  // exited, and a backend terminated by force sends an error that an ended pool's
  // client still emits, crashing the process. Wait for them to go instead.
  const drop = async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        return await admin(`drop database if exists ${name}`);
      } catch (error) {
        if ((error as { code?: string }).code !== OBJECT_IN_USE) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await admin(`drop database if exists ${name} with (force)`);
  };
  return { url: url.toString(), drop };
}

const OBJECT_IN_USE = '55006';

/**
 * CPU time, in ms, used so far by this machine's PostgreSQL processes (every process named
 * `postgres`: backends, WAL writer, checkpointer), from /proc; undefined where there is no /proc.
 * The difference over a run is the database's share of the machine when the server is local,
 * as on the benchmark machines, where it competes with the server for the same cores.
 * Backends that exit during the run take their time with them, so it can only undercount.
 */
export function localPostgresCpuMs(): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of entries) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th of the line.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ: 100 on Linux on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
