/**
 * Prepared records crossing a worker boundary compactly: the fields that repeat across a
 * file (names, their keys, dates, cities) as codes into a dictionary the worker
 * grows and the main thread mirrors, so equal values share one string on the main thread
 * without it hashing anything; the rest as one flat array of strings. Pure: no I/O.
 */
import type { Prepared } from './prepare.js';
import type { PersonFields } from './types.js';

export const PERSON_KEYS = ['firstName', 'lastName', 'name', 'email', 'phone', 'birthDate', 'address', 'postcode', 'city', 'country'] as const satisfies readonly (keyof PersonFields)[];
export type PersonKey = (typeof PERSON_KEYS)[number];

const CODED = ['first', 'last', 'firstKey', 'lastKey', 'dob', 'city'] as const satisfies readonly (keyof Prepared)[];
const PLAIN = ['email', 'phone', 'address', 'postcode'] as const satisfies readonly (keyof Prepared)[];

export interface EncodedBatch {
  /** CODED.length codes per record; -1 when missing. */
  codes: Int32Array;
  /** PLAIN.length strings per record; '' when missing. */
  plain: string[];
  /** Dictionary entries new in this batch, in code order. */
  added: string[];
}

/** The worker side: one dictionary per worker, grown batch by batch. */
export class Encoder {
  private readonly dict = new Map<string, number>();
  encode(records: readonly Prepared[]): EncodedBatch {
    const codes = new Int32Array(records.length * CODED.length);
    const plain: string[] = [];
    const added: string[] = [];
    let c = 0;
    for (const p of records) {
      for (const k of CODED) {
        const v = p[k];
        if (v === undefined) {
          codes[c++] = -1;
          continue;
        }
        let code = this.dict.get(v);
        if (code === undefined) {
          code = this.dict.size;
          this.dict.set(v, code);
          added.push(v);
        }
        codes[c++] = code;
      }
      for (const k of PLAIN) plain.push(p[k] ?? '');
    }
    return { codes, plain, added };
  }
}

/** The main-thread side: the mirror of one worker's dictionary. */
export class Decoder {
  private readonly strings: string[] = [];
  decode(batch: EncodedBatch): Prepared[] {
    for (const s of batch.added) this.strings.push(s);
    const n = batch.plain.length / PLAIN.length;
    const out: Prepared[] = new Array(n);
    const s = this.strings;
    const codes = batch.codes;
    for (let i = 0; i < n; i++) {
      const c = i * CODED.length;
      const q = i * PLAIN.length;
      const email = batch.plain[q] as string;
      const phone = batch.plain[q + 1] as string;
      const address = batch.plain[q + 2] as string;
      const postcode = batch.plain[q + 3] as string;
      const at = (code: number) => (code >= 0 ? s[code] : undefined);
      // One literal with every field (undefined when missing): every record shares one
      // object shape, all fields in-object, which keeps a million records compact and
      // property reads monomorphic.
      const p: Prepared = {
        first: at(codes[c] as number),
        last: at(codes[c + 1] as number),
        firstKey: at(codes[c + 2] as number),
        lastKey: at(codes[c + 3] as number),
        dob: at(codes[c + 4] as number),
        email: email === '' ? undefined : email,
        phone: phone === '' ? undefined : phone,
        address: address === '' ? undefined : address,
        postcode: postcode === '' ? undefined : postcode,
        city: at(codes[c + 5] as number),
      };
      out[i] = p;
    }
    return out;
  }
}
