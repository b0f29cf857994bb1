/**
 * Score two prepared records with a model: the match probability, the total evidence in
 * bits, and each field's level, evidence and a label a person can read ("first name:
 * nickname (Bob/Robert)"). Also the decision against thresholds, with one guard the
 * independence assumption needs: e-mail, phone and address are often shared by a
 * household, so when dates of birth clearly differ, or first names do and the dates of
 * birth do not vouch for them, contact details alone never merge two records without a
 * person saying so. Pure: no I/O.
 */
import { compareInto, F_DOB, F_FIRST, FIRST, newVector } from './compare.js';
import { COMPARISONS, DEFAULT_THRESHOLDS, fromLogit2, logit2, weightTable, type ComparisonField, type MatchModel } from './model.js';
import { sharedFormalName } from './nickname-index.js';
import type { Prepared } from './prepare.js';

export interface FieldEvidence {
  field: ComparisonField;
  /** Index into the comparison's levels; -1 when a record lacks the field. */
  level: number;
  label: string;
  /** log2(m/u), 0 when not compared. */
  weight: number;
}

export interface PairScore {
  probability: number;
  /** Total evidence in bits: log2 of the Bayes factor, prior excluded. */
  weight: number;
  fields: FieldEvidence[];
  /** Why these look like two people despite the score (names or dates of birth clearly differ). */
  conflict?: string;
}

export type Decision = 'merge' | 'review' | 'apart';

/**
 * Whether a comparison vector carries a conflict that forbids merging without review:
 * dates of birth clearly different (not swapped, not one digit off), or first names
 * clearly different without the same date of birth to vouch for a misspelling.
 */
export function hasConflict(levels: Int8Array): boolean {
  return levels[F_DOB] === 3 || (levels[F_FIRST] === FIRST.different && levels[F_DOB] !== 0);
}

/** The total evidence of a comparison vector in bits (prior excluded). */
export function vectorWeight(levels: Int8Array, table: Float64Array[]): number {
  let w = 0;
  for (let f = 0; f < levels.length; f++) {
    const l = levels[f] as number;
    if (l >= 0) w += (table[f] as Float64Array)[l] as number;
  }
  return w;
}

/** merge / review / apart for a probability and a conflict flag. */
export function decide(probability: number, conflict: boolean, thresholds = DEFAULT_THRESHOLDS): Decision {
  if (probability >= thresholds.merge && !conflict) return 'merge';
  if (probability >= thresholds.review) return 'review';
  return 'apart';
}

const title = (s: string) => s.replace(/(^|[ -])([a-z])/g, (_, p: string, c: string) => p + c.toUpperCase());

function valuesOf(field: ComparisonField, a: Prepared, b: Prepared, swapped: boolean): [string | undefined, string | undefined] {
  switch (field) {
    case 'firstName':
      return [a.first && title(a.first), (swapped ? b.last : b.first) && title((swapped ? b.last : b.first) as string)];
    case 'lastName':
      return [a.last && title(a.last), (swapped ? b.first : b.last) && title((swapped ? b.first : b.last) as string)];
    case 'birthDate':
      return [a.dob, b.dob];
    case 'email':
      return [a.email, b.email];
    case 'phone':
      return [a.phone, b.phone];
    case 'address': {
      const show = (p: Prepared) => p.address ?? p.postcode ?? p.city;
      return [show(a), show(b)];
    }
  }
}

function label(field: ComparisonField, level: number, a: Prepared, b: Prepared, swapped: boolean): string {
  const c = COMPARISONS.find((x) => x.field === field) as (typeof COMPARISONS)[number];
  if (level < 0) return `${c.label}: not on both records`;
  const [va, vb] = valuesOf(field, a, b, swapped);
  let what: string = c.levels[level] as string;
  if (field === 'firstName' && what === 'nickname') {
    const formal = sharedFormalName(a.first as string, (swapped ? b.last : b.first) as string);
    if (formal && formal !== a.first && formal !== (swapped ? b.last : b.first)) what = `nickname of ${title(formal)}`;
  }
  if (field === 'address' && level >= 2 && level <= 3) {
    const v = level === 2 ? a.postcode : a.city;
    return `${c.label}: ${what} (${level === 3 && v ? title(v) : v})`;
  }
  const shown = va === vb ? `${va}` : `${va}/${vb}`;
  const suffix = swapped && (field === 'firstName' || field === 'lastName') ? ', first and last swapped' : '';
  return `${c.label}: ${what} (${shown}${suffix})`;
}

/** Score a pair of records with the model's evidence for every field. */
export function scorePair(a: Prepared, b: Prepared, model: MatchModel): PairScore {
  const levels = newVector();
  const swapped = compareInto(a, b, levels);
  const table = weightTable(model);
  const fields: FieldEvidence[] = COMPARISONS.map((c, f) => {
    const level = levels[f] as number;
    const weight = level >= 0 ? ((table[f] as Float64Array)[level] as number) : 0;
    return { field: c.field, level, label: label(c.field, level, a, b, swapped), weight };
  });
  const weight = vectorWeight(levels, table);
  const probability = fromLogit2(logit2(model.prior) + weight);
  const score: PairScore = { probability, weight, fields };
  if (hasConflict(levels)) {
    const why = levels[F_DOB] === 3 ? fields[F_DOB] : fields[F_FIRST];
    score.conflict = why?.label ?? 'names or dates of birth differ';
  }
  return score;
}

/** The decision for a scored pair: a conflict caps it at review. */
export function decidePair(score: PairScore, thresholds = DEFAULT_THRESHOLDS): Decision {
  return decide(score.probability, score.conflict !== undefined, thresholds);
}

/** Labels of the fields that were compared, strongest evidence first: "first name: nickname (Bob/Robert); …". */
export function explain(score: PairScore): string {
  return score.fields
    .filter((f) => f.level >= 0)
    .sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight))
    .map((f) => `${f.label} ${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(1)}`)
    .join('; ');
}
