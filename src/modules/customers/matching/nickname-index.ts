/**
 * Lookups over the nickname table: whether two given names are one through a nickname,
 * and the formal names to block a name under. Pure: no I/O.
 */
import { NICKNAMES } from './nicknames.js';

/** name → the formal names it stands for (a formal name stands for itself). */
const FORMAL = new Map<string, Set<string>>();
const add = (name: string, formal: string) => {
  let set = FORMAL.get(name);
  if (!set) FORMAL.set(name, (set = new Set()));
  set.add(formal);
};
for (const [formal, nicks] of Object.entries(NICKNAMES)) {
  add(formal, formal);
  for (const n of nicks) add(n, formal);
}

/** The formal names a given name stands for, empty when the table does not know it. */
export function formalNames(name: string): ReadonlySet<string> | undefined {
  return FORMAL.get(name);
}

/**
 * The formal name two different given names share through the table ("bob", "robert" →
 * "robert"; "bobby", "rob" → "robert"), or undefined.
 */
export function sharedFormalName(a: string, b: string): string | undefined {
  const fa = FORMAL.get(a);
  const fb = FORMAL.get(b);
  if (!fa || !fb) return undefined;
  for (const f of fa) if (fb.has(f)) return f;
  return undefined;
}

/**
 * The names to block a given name under: the formal names it stands for (sorted), or the
 * name itself when the table does not know it. Bob, Bobby and Robert all give ["robert"].
 */
export function blockingNames(name: string): string[] {
  const f = FORMAL.get(name);
  return f ? [...f].sort() : [name];
}

/** How many nickname → formal-name pairs the table holds. */
export function nicknamePairs(): number {
  let n = 0;
  for (const nicks of Object.values(NICKNAMES)) n += nicks.length;
  return n;
}
