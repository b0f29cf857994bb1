/**
 * Temporary files for `emptychair dedupe` (part of the I/O side of matching/): a working
 * directory that is removed however the run ends, and sorted runs of scored pairs that are
 * merged back in order without loading them.
 *
 * A run record is [weight f64, left u32, right u32, payload bytes u32, payload]; runs are
 * each sorted strongest first (weight descending, then left, then right), as clustering
 * applies merges.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../platform/errors.js';

/** A directory in os.tmpdir() (or `base`) for one run, removed by remove(), on exit, and on SIGINT or SIGTERM. */
export class WorkDir {
  readonly path: string;
  private removed = false;
  private readonly onExit = () => this.remove();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.remove();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  constructor(base?: string) {
    try {
      this.path = mkdtempSync(join(base ?? tmpdir(), 'emptychair-dedupe-'));
    } catch (e) {
      throw new AppError('DEDUPE_INPUT_INVALID', `cannot create a temporary directory in ${base ?? tmpdir()}: ${e instanceof Error ? e.message : String(e)}`);
    }
    process.on('exit', this.onExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }
  file(name: string): string {
    return join(this.path, name);
  }
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    rmSync(this.path, { recursive: true, force: true });
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

/** Appends to a file through a buffer. */
export class FileWriter {
  private readonly fd: number;
  private buf: Uint8Array;
  private used = 0;
  /** Bytes written so far (buffered included). */
  position = 0;
  /** Writes of `bufferBytes` or more go straight to the file. */
  constructor(
    readonly path: string,
    bufferBytes = 1 << 20,
  ) {
    this.fd = openSync(path, 'w');
    this.buf = new Uint8Array(bufferBytes);
  }
  write(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.buf.length) this.flush();
    if (bytes.length > this.buf.length) writeAll(this.fd, bytes);
    else {
      this.buf.set(bytes, this.used);
      this.used += bytes.length;
    }
    this.position += bytes.length;
  }
  flush(): void {
    if (this.used > 0) writeAll(this.fd, this.buf.subarray(0, this.used));
    this.used = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Reads whole files into one buffer, reused (and grown) from file to file. */
export class FileReader {
  private buf = new Uint8Array(0);
  /** The file's bytes; valid until the next read. */
  read(path: string): Uint8Array {
    const size = statSync(path).size;
    if (this.buf.length < size) this.buf = new Uint8Array(Math.ceil((size * 1.25) / 4) * 4);
    const fd = openSync(path, 'r');
    try {
      let got = 0;
      while (got < size) {
        const n = readSync(fd, this.buf, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      return this.buf.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
const RUN_HEADER = 20;

/** Sorted runs of pairs in one file. */
export class RunWriter {
  private readonly out: FileWriter;
  readonly runs: [number, number][] = [];
  private readonly header = new DataView(new ArrayBuffer(RUN_HEADER));
  count = 0;
  constructor(path: string) {
    this.out = new FileWriter(path);
  }
  /** Write one run: pairs[k] for k in `order` (already sorted), with optional payloads. */
  run(count: number, at: (k: number) => { weight: number; left: number; right: number; payload?: string }): void {
    const start = this.out.position;
    for (let k = 0; k < count; k++) {
      const r = at(k);
      const payload = r.payload === undefined ? undefined : utf8.encode(r.payload);
      this.header.setFloat64(0, r.weight, true);
      this.header.setUint32(8, r.left, true);
      this.header.setUint32(12, r.right, true);
      this.header.setUint32(16, payload?.length ?? 0, true);
      this.out.write(new Uint8Array(this.header.buffer));
      if (payload) this.out.write(payload);
    }
    this.count += count;
    if (this.out.position > start) this.runs.push([start, this.out.position]);
  }
  close(): void {
    this.out.close();
  }
}

export interface RunRecord {
  weight: number;
  left: number;
  right: number;
  payload: string | undefined;
}

class RunCursor {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private bufStart = 0;
  private bufEnd = 0;
  private pos: number;
  current: RunRecord = { weight: 0, left: 0, right: 0, payload: undefined };
  constructor(
    private readonly fd: number,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }
  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.bufEnd) return;
    if (bytes > this.buf.length) {
      this.buf = new Uint8Array(bytes);
      this.view = new DataView(this.buf.buffer);
    }
    const len = Math.min(this.buf.length, this.end - this.pos);
    let got = 0;
    while (got < len) {
      const n = readSync(this.fd, this.buf, got, len - got, this.pos + got);
      if (n === 0) break;
      got += n;
    }
    this.bufStart = this.pos;
    this.bufEnd = this.pos + got;
  }
  next(): boolean {
    if (this.pos >= this.end) return false;
    this.ensure(RUN_HEADER);
    let at = this.pos - this.bufStart;
    const weight = this.view.getFloat64(at, true);
    const left = this.view.getUint32(at + 8, true);
    const right = this.view.getUint32(at + 12, true);
    const length = this.view.getUint32(at + 16, true);
    this.pos += RUN_HEADER;
    let payload: string | undefined;
    if (length > 0) {
      this.ensure(length);
      at = this.pos - this.bufStart;
      payload = utf8Decoder.decode(this.buf.subarray(at, at + length));
      this.pos += length;
    }
    this.current = { weight, left, right, payload };
    return true;
  }
}

const before = (a: RunRecord, b: RunRecord) => (a.weight !== b.weight ? a.weight > b.weight : a.left !== b.left ? a.left < b.left : a.right < b.right);

/** Every record of the runs of `path`, strongest first (a k-way merge). */
export function* mergeRuns(path: string, runs: readonly [number, number][]): Generator<RunRecord> {
  const fd = openSync(path, 'r');
  try {
    const heap: RunCursor[] = [];
    const up = (k: number) => {
      while (k > 0) {
        const p = (k - 1) >> 1;
        if (!before((heap[k] as RunCursor).current, (heap[p] as RunCursor).current)) break;
        [heap[k], heap[p]] = [heap[p] as RunCursor, heap[k] as RunCursor];
        k = p;
      }
    };
    const down = (k: number) => {
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < heap.length && before((heap[l] as RunCursor).current, (heap[m] as RunCursor).current)) m = l;
        if (r < heap.length && before((heap[r] as RunCursor).current, (heap[m] as RunCursor).current)) m = r;
        if (m === k) return;
        [heap[k], heap[m]] = [heap[m] as RunCursor, heap[k] as RunCursor];
        k = m;
      }
    };
    for (const [start, end] of runs) {
      const c = new RunCursor(fd, start, end);
      if (c.next()) {
        heap.push(c);
        up(heap.length - 1);
      }
    }
    while (heap.length > 0) {
      const top = heap[0] as RunCursor;
      yield top.current;
      if (!top.next()) {
        const last = heap.pop() as RunCursor;
        if (heap.length === 0) break;
        heap[0] = last;
      }
      down(0);
    }
  } finally {
    closeSync(fd);
  }
}

/** Read a file front to back in pieces of whole `recordBytes` records. */
export function* readRecords(path: string, recordBytes: number, pieceBytes = 1 << 20): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    const size = Math.max(recordBytes, pieceBytes - (pieceBytes % recordBytes));
    const buf = new Uint8Array(size);
    let pos = 0;
    for (;;) {
      let got = 0;
      while (got < size) {
        const n = readSync(fd, buf, got, size - got, pos + got);
        if (n === 0) break;
        got += n;
      }
      pos += got;
      const whole = got - (got % recordBytes);
      if (whole > 0) yield buf.subarray(0, whole);
      if (got < size) return;
    }
  } finally {
    closeSync(fd);
  }
}

/** The blocks (see codec.ts) of a file one at a time, each as its own bytes. */
export function* readBlocks(path: string): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    const header = new Uint32Array(4);
    const headerBytes = new Uint8Array(header.buffer);
    let pos = 0;
    for (;;) {
      if (readSync(fd, headerBytes, 0, 16, pos) < 16) return;
      const size = (4 + (header[2] as number) + (((header[3] as number) + 3) >> 2)) * 4;
      const block = new Uint8Array(size);
      let got = 0;
      while (got < size) {
        const n = readSync(fd, block, got, size - got, pos + got);
        if (n === 0) throw new Error(`${path}: truncated`);
        got += n;
      }
      pos += size;
      yield block;
    }
  } finally {
    closeSync(fd);
  }
}
