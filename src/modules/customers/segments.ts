/**
 * Segments: customers picked by their traits (`plan = pro`, `country = FR`, several ANDed), as
 * SQL that other modules embed in their own queries, so that filtering, counting and paging stay
 * in the database. A customer is a tree of the merge forest: any of its profiles may hold a
 * trait, and per key the newest observation wins (ties: any of the newest values).
 *
 * Other modules hold identifiers (a survey's respondent), not profile ids; `segmentIdentifiers`
 * answers "every identifier (kind, graph key) of every customer in the segment", to be matched
 * against `identityKeyOf(kind, value)` of their own rows. Merges and unmerges only move
 * `root_id`, so an identifier answers for whichever customer holds it at query time.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import { normaliseEmail } from './identifiers.js';

/** `trait = value`: the value as text (`pro`, `42`, `true`). */
export interface TraitCondition {
  key: string;
  value: string;
}

/** The identity graph's key for an identifier as given (e-mail addresses normalised). */
export const identityKeyOf = (kind: string, value: string): string => (kind === 'email' ? (normaliseEmail(value) ?? value) : value);

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * The stored JSON texts a condition's value matches: the string itself, and the number or
 * boolean it spells (`42` matches the trait 42 and "42"), in canonical JSON only.
 */
export function traitValueTexts(value: string): string[] {
  const out = [JSON.stringify(value)];
  if (JSON_NUMBER.test(value) && JSON.stringify(Number(value)) === value) out.push(value);
  if (value === 'true' || value === 'false') out.push(value);
  return out;
}

/** The root ids (customer ids) whose newest value of `c.key` is one of `c.value`'s texts. */
function customersWith(db: Kysely<Database>, workspaceId: string, c: TraitCondition) {
  const texts = traitValueTexts(c.value);
  return db
    .selectFrom('profile_traits as t')
    .innerJoin('profiles as p', (j) => j.onRef('p.workspace_id', '=', 't.workspace_id').onRef('p.id', '=', 't.profile_id'))
    .select('p.root_id')
    .where('t.workspace_id', '=', workspaceId)
    .where('t.key', '=', c.key)
    .where('t.value', 'in', texts)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('profiles as p2')
            // CROSS JOIN: SQLite then keeps this order (the customer's profiles by root, their
            // trait by key), where without statistics it walked every trait of the key per row.
            .crossJoin('profile_traits as t2')
            .whereRef('t2.workspace_id', '=', 'p2.workspace_id')
            .whereRef('t2.profile_id', '=', 'p2.id')
            .select(sql.lit(1).as('one'))
            .where('p2.workspace_id', '=', workspaceId)
            .whereRef('p2.root_id', '=', 'p.root_id')
            .where('t2.key', '=', c.key)
            .whereRef('t2.observed_at', '>', 't.observed_at')
            .where('t2.value', 'not in', texts),
        ),
      ),
    );
}

/**
 * Every identifier (kind, value as the graph keys it) of every customer meeting all the
 * conditions, as a subquery: `(kind, key) in (segmentIdentifiers(…))`. With no conditions,
 * every identifier. Read with the indexes of migration 0012 (`profile_traits` by key and value).
 */
export function segmentIdentifiers(db: Kysely<Database>, workspaceId: string, conditions: readonly TraitCondition[]) {
  let q = db
    .selectFrom('profiles as m')
    // CROSS JOIN keeps SQLite on the segment's profiles (by root) and then their identities,
    // rather than every identity of the workspace checked against the list.
    .crossJoin('identities as i')
    .whereRef('i.workspace_id', '=', 'm.workspace_id')
    .whereRef('i.profile_id', '=', 'm.id')
    .select(['i.kind', 'i.value'])
    .where('m.workspace_id', '=', workspaceId);
  for (const c of conditions) q = q.where('m.root_id', 'in', customersWith(db, workspaceId, c));
  return q;
}

/**
 * A segment evaluated once: the identifier keys of its customers, grouped by kind. A report
 * that reads several tables for one segment (the home page: answers, then billing items)
 * evaluates it here once and matches each table's identifiers against the lists (`inValues`),
 * rather than embedding the subquery in every statement, which runs it again each time.
 */
export interface SegmentMembers {
  conditions: readonly TraitCondition[];
  /** kind → identifier keys, as `identityKeyOf` gives them. */
  byKind: ReadonlyMap<string, readonly string[]>;
}

export async function segmentMembers(db: Kysely<Database>, workspaceId: string, conditions: readonly TraitCondition[]): Promise<SegmentMembers> {
  const byKind = new Map<string, string[]>();
  for (const { kind, value } of await segmentIdentifiers(db, workspaceId, conditions).execute()) {
    const list = byKind.get(kind);
    if (list) list.push(value);
    else byKind.set(kind, [value]);
  }
  return { conditions, byKind };
}
