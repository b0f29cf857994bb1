/**
 * Prepared records in a compact binary form, for crossing a worker boundary and for the
 * temporary files of `emptychair dedupe`. A chunk of records becomes one *block* of all
 * its records in file order (for the training sample and the ids of the output) and, per
 * partition, one block of the records that have a blocking key in that partition (for
 * blocking and scoring one partition at a time). Pure: no I/O.
 *
 * A block is 32-bit words: a header [base ordinal, records, binary words, text bytes],
 * the binary part, then the text (UTF-8, padded to a whole word). Each record's fields are
 * one stretch of the text, cut by their lengths in UTF-16 units, so a block's text is
 * decoded once. The base ordinal is the chunk's first record number in the file; workers
 * write 0 there and the reader of the results, which knows the order, patches it.
 * - all-records entry: [text start, 6 words of 11 lengths (two per word), byte start of its text];
 * - partition entry: [record in chunk, key count, key hashes (rule order)…, text start, 6 length words].
 */
import { blockingKeys, hash32 } from './blocking.js';
import type { Prepared } from './prepare.js';
import type { PersonFields } from './types.js';

export const PERSON_KEYS = ['firstName', 'lastName', 'name', 'email', 'phone', 'birthDate', 'address', 'postcode', 'city', 'country'] as const satisfies readonly (keyof PersonFields)[];
export type PersonKey = (typeof PERSON_KEYS)[number];

const FIELDS = ['first', 'last', 'firstKey', 'lastKey', 'dob', 'email', 'phone', 'address', 'postcode', 'city'] as const satisfies readonly (keyof Prepared)[];
/** The record id is the 11th stretch of text. */
const ID = FIELDS.length;
const LENGTH_WORDS = 6;
const HEADER_WORDS = 4;
/** A field longer than this (UTF-16 units) is cut: no name, e-mail or address is. */
const MAX_FIELD = 0xffff;

/** The partition a key hash belongs to. */
export const partitionOf = (hash: number, partitions: number): number => hash % partitions;

export interface EncodedChunk {
  records: number;
  /** The all-records block, then each partition's block (empty when it has none), back to back. */
  bytes: Uint8Array;
  /** Byte offsets: [all-records block, partition 0, …, partition P − 1, end]. */
  offsets: Int32Array;
}

const utf8 = new TextEncoder();

class BlockBuilder {
  words = new Uint32Array(256);
  used = 0;
  text = new Uint8Array(4096);
  textBytes = 0;
  /** Text length so far in UTF-16 units. */
  textLength = 0;
  records = 0;
  /** Room for `n` more words. */
  reserve(n: number): void {
    if (this.used + n <= this.words.length) return;
    const grown = new Uint32Array(Math.max(this.words.length * 2, this.used + n));
    grown.set(this.words.subarray(0, this.used));
    this.words = grown;
  }
  push(word: number): void {
    this.words[this.used++] = word;
  }
  /** Append a record (see RecordText): its text start, length words and text. */
  addText(r: RecordText): void {
    this.reserve(1 + LENGTH_WORDS);
    this.words[this.used++] = this.textLength;
    this.words.set(r.lengths, this.used);
    this.used += LENGTH_WORDS;
    if (this.textBytes + r.bytes.length > this.text.length) {
      const grown = new Uint8Array(Math.max(this.text.length * 2, this.textBytes + r.bytes.length));
      grown.set(this.text.subarray(0, this.textBytes));
      this.text = grown;
    }
    this.text.set(r.bytes, this.textBytes);
    this.textBytes += r.bytes.length;
    this.textLength += r.length;
  }
  reset(): void {
    this.used = 0;
    this.textBytes = 0;
    this.textLength = 0;
    this.records = 0;
  }
  /** Bytes the block takes (none when it has no records). */
  get size(): number {
    return this.records === 0 ? 0 : (HEADER_WORDS + this.used + ((this.textBytes + 3) >> 2)) * 4;
  }
  /** Write the block at `offset` (whole words) of `out`. */
  writeTo(out: Uint8Array, offset: number): void {
    if (this.records === 0) return;
    const words = new Uint32Array(out.buffer, out.byteOffset + offset, HEADER_WORDS + this.used);
    words[0] = 0;
    words[1] = this.records;
    words[2] = this.used;
    words[3] = this.textBytes;
    words.set(this.words.subarray(0, this.used), HEADER_WORDS);
    out.set(this.text.subarray(0, this.textBytes), offset + (HEADER_WORDS + this.used) * 4);
  }
}

/** One record's fields as one text: UTF-8 bytes, their length in UTF-16 units, and the fields' lengths (two to a word). */
class RecordText {
  readonly lengths = new Uint32Array(LENGTH_WORDS);
  private buf = new Uint8Array(1024);
  bytes = this.buf.subarray(0, 0);
  length = 0;
  set(p: Prepared, id: string | undefined): void {
    let s = '';
    for (let f = 0; f <= ID; f++) {
      let v = f === ID ? id : p[FIELDS[f] as (typeof FIELDS)[number]];
      if (v === undefined) v = '';
      if (v.length > MAX_FIELD) v = v.slice(0, MAX_FIELD);
      s += v;
      const w = f >> 1;
      this.lengths[w] = f & 1 ? (this.lengths[w] as number) | (v.length << 16) : v.length;
    }
    this.length = s.length;
    if (s.length * 3 > this.buf.length) this.buf = new Uint8Array(s.length * 3);
    const { written } = utf8.encodeInto(s, this.buf);
    this.bytes = this.buf.subarray(0, written);
  }
}

/**
 * Encodes chunks of prepared records (and their ids, when the file has an id column) for
 * `partitions` partitions. One per worker: its buffers are reused from chunk to chunk, so
 * a chunk leaves no garbage but the block it returns.
 */
export class ChunkEncoder {
  private readonly all = new BlockBuilder();
  private readonly parts: BlockBuilder[];
  private readonly text = new RecordText();
  private readonly hashes = new Uint32Array(64);
  private readonly seen = new Int32Array(64);
  constructor(private readonly partitions: number) {
    this.parts = Array.from({ length: partitions }, () => new BlockBuilder());
  }
  private readonly spare: ArrayBuffer[] = [];
  /** Take back the bytes of a chunk that has been used, to encode a later one into. */
  reuse(buffer: ArrayBuffer): void {
    if (this.spare.length < 4) this.spare.push(buffer);
  }
  encode(records: readonly Prepared[], ids: readonly string[] | undefined): EncodedChunk {
    const { all, parts, text, hashes, seen, partitions } = this;
    all.reset();
    for (const b of parts) b.reset();
    for (let k = 0; k < records.length; k++) {
      const p = records[k] as Prepared;
      text.set(p, ids ? (ids[k] as string) : undefined);
      const byteStart = all.textBytes;
      all.addText(text);
      all.reserve(1);
      all.push(byteStart);
      all.records++;
      const keys = blockingKeys(p);
      const nKeys = Math.min(keys.length, hashes.length);
      for (let x = 0; x < nKeys; x++) hashes[x] = hash32(keys[x] as string);
      let distinct = 0;
      for (let x = 0; x < nKeys; x++) {
        const q = partitionOf(hashes[x] as number, partitions);
        let again = false;
        for (let y = 0; y < distinct; y++) if (seen[y] === q) again = true;
        if (again) continue;
        seen[distinct++] = q;
        const part = parts[q] as BlockBuilder;
        part.reserve(2 + nKeys);
        part.push(k);
        part.push(nKeys);
        for (let y = 0; y < nKeys; y++) part.push(hashes[y] as number);
        part.addText(text);
        part.records++;
      }
    }
    const blocks = [all, ...parts];
    const offsets = new Int32Array(blocks.length + 1);
    let total = 0;
    blocks.forEach((b, i) => {
      offsets[i] = total;
      total += b.size;
    });
    offsets[blocks.length] = total;
    let buffer: ArrayBuffer | undefined;
    while (this.spare.length > 0 && !buffer) {
      const b = this.spare.pop() as ArrayBuffer;
      if (b.byteLength >= total) buffer = b;
    }
    // Room to spare, so that the buffer can be reused for chunks a little larger.
    const bytes = new Uint8Array(buffer ?? new ArrayBuffer(Math.ceil((total * 1.25) / 4) * 4), 0, total);
    blocks.forEach((b, i) => b.writeTo(bytes, offsets[i] as number));
    return { records: records.length, bytes, offsets };
  }
}

/** Set the base ordinal of the block starting at `offset` of `bytes` (a whole-word offset). */
export function setBase(bytes: Uint8Array, offset: number, base: number): void {
  new DataView(bytes.buffer, bytes.byteOffset + offset, 4).setUint32(0, base, true);
}

const utf8Decoder = new TextDecoder();

/** One block, read in place: its records' text decoded on first use. */
export class Block {
  readonly base: number;
  readonly records: number;
  /** The binary part. */
  readonly words: Uint32Array;
  /** Bytes the whole block takes. */
  readonly size: number;
  private readonly textBytes: Uint8Array;
  private decoded: string | undefined;
  constructor(bytes: Uint8Array, offset: number) {
    const header = new Uint32Array(bytes.buffer, bytes.byteOffset + offset, HEADER_WORDS);
    this.base = header[0] as number;
    this.records = header[1] as number;
    const binWords = header[2] as number;
    const textBytes = header[3] as number;
    this.words = new Uint32Array(bytes.buffer, bytes.byteOffset + offset + HEADER_WORDS * 4, binWords);
    const textAt = offset + (HEADER_WORDS + binWords) * 4;
    this.textBytes = bytes.subarray(textAt, textAt + textBytes);
    this.size = (HEADER_WORDS + binWords + ((textBytes + 3) >> 2)) * 4;
  }
  get text(): string {
    this.decoded ??= utf8Decoder.decode(this.textBytes);
    return this.decoded;
  }
  /** The record whose text start word is at `at` in `words`. */
  record(at: number): Prepared {
    return recordOf(this.text, this.words[at] as number, this.words, at + 1);
  }
  /**
   * The text of all-records entry `k` (fields and id) decoded on its own, so that what is
   * kept of it does not keep the whole block's text alive; fields by recordOf(text, 0, lengths).
   */
  ownText(k: number): { text: string; lengths: Uint32Array } {
    const at = k * ALL_ENTRY_WORDS;
    const w = this.words;
    const start = w[at + 1 + LENGTH_WORDS] as number;
    const end = k + 1 < this.records ? (w[at + ALL_ENTRY_WORDS + 1 + LENGTH_WORDS] as number) : this.textBytes.length;
    return { text: utf8Decoder.decode(this.textBytes.subarray(start, end)), lengths: w.subarray(at + 1, at + 1 + LENGTH_WORDS) };
  }
  /** The id of the record whose text start word is at `at`. */
  id(at: number): string {
    const w = this.words;
    let pos = w[at] as number;
    for (let f = 0; f < ID; f++) {
      const word = w[at + 1 + (f >> 1)] as number;
      pos += f & 1 ? word >>> 16 : word & 0xffff;
    }
    const word = w[at + 1 + (ID >> 1)] as number;
    const len = ID & 1 ? word >>> 16 : word & 0xffff;
    return this.text.slice(pos, pos + len);
  }
}

/** Words per all-records entry: text start, lengths, byte start of its text. */
export const ALL_ENTRY_WORDS = 1 + LENGTH_WORDS + 1;
/** Words of a record's field lengths. */
export { LENGTH_WORDS };
/** Words of a partition entry's text start and lengths (after its keys). */
export const TEXT_WORDS = 1 + LENGTH_WORDS;

/** The record whose text starts at `start` of `text`, with field lengths in lengths[at …]. */
export function recordOf(text: string, start: number, lengths: Uint32Array, at: number): Prepared {
  let pos = start;
  const field = (f: number): string | undefined => {
    const word = lengths[at + (f >> 1)] as number;
    const len = f & 1 ? word >>> 16 : word & 0xffff;
    const from = pos;
    pos += len;
    return len === 0 ? undefined : text.slice(from, from + len);
  };
  // Every field in one literal: one object shape for every record (see prepare.ts).
  return {
    first: field(0),
    last: field(1),
    firstKey: field(2),
    lastKey: field(3),
    dob: field(4),
    email: field(5),
    phone: field(6),
    address: field(7),
    postcode: field(8),
    city: field(9),
  };
}

/** The blocks of a buffer of back-to-back blocks (a temporary file, or part of one). */
export function* blocksOf(bytes: Uint8Array): Generator<Block> {
  if (bytes.byteOffset % 4 !== 0) {
    // A small Buffer may start anywhere in a shared pool: copy once to align the words.
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    bytes = copy;
  }
  let offset = 0;
  while (offset < bytes.length) {
    const block = new Block(bytes, offset);
    yield block;
    offset += block.size;
  }
}
