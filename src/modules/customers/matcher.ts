/**
 * What the identity graph needs from probabilistic matching, as an interface: the graph
 * is tested with the real matcher (matching/), but does not care how it scores.
 */
import type { PersonFields } from './matching/types.js';

export interface FieldComparison {
  field: string;
  level: string;
  label: string;
  weight: number;
}

export interface MatchResult {
  /** Posterior probability that the two are one person. */
  probability: number;
  /** log2 Bayes factor: the sum of the field weights. */
  weight: number;
  fields: FieldComparison[];
  /** Why these look like two people despite the score: never merged without a person. */
  conflict?: string;
}

export interface Matcher {
  /** Blocking keys: leaves that share one are compared. */
  keys(features: PersonFields): string[];
  compare(a: PersonFields, b: PersonFields): MatchResult;
  /** A phonetic key for a name token (fuzzy search). */
  phonetic(token: string): string;
}

/** Whether a leaf says enough about a person to be compared at all (a name and one more field). */
export function comparable(f: PersonFields): boolean {
  const named = Boolean(f.lastName || f.name || f.firstName);
  const more = Boolean(f.email || f.phone || f.birthDate || f.address || f.postcode || f.city);
  return named && more;
}
