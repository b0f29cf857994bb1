/**
 * The contract between probabilistic matching (pure, in this folder) and its two users:
 * the identity graph (incremental, one new profile against its blocked candidates) and
 * `emptychair dedupe` (a whole file at once). Pure: no I/O.
 */

/** What one record says about a person; any field may be missing. */
export interface PersonFields {
  firstName?: string | null;
  lastName?: string | null;
  /** A full name, when the source does not split it ("Ann Lee", "LEE, Ann"). */
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  /** A date of birth as written (ISO, d/m/y, m/d/y …). */
  birthDate?: string | null;
  /** Street address as written. */
  address?: string | null;
  postcode?: string | null;
  city?: string | null;
  /** ISO 3166 alpha-2; also the region for reading national phone numbers. */
  country?: string | null;
}
