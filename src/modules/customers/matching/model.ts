/**
 * The Fellegi–Sunter model: for each compared field, the levels of agreement it can show,
 * and for each level m (its probability among records of one person) and u (among
 * records of different people). A level's evidence is log2(m/u) bits; the prior λ is the
 * probability that two records picked at random are one person. Pure: no I/O.
 */
import { z } from 'zod';

/** The comparisons, in a fixed order, with their levels from strongest agreement to none. */
export const COMPARISONS = [
  { field: 'firstName', label: 'first name', levels: ['exact', 'nickname', 'one typo', 'similar', 'initial', 'different'] },
  { field: 'lastName', label: 'last name', levels: ['exact', 'one typo', 'similar', 'different'] },
  { field: 'birthDate', label: 'date of birth', levels: ['exact', 'day and month swapped', 'one digit off', 'different'] },
  { field: 'email', label: 'e-mail', levels: ['exact', 'same name at another domain', 'similar', 'different'] },
  { field: 'phone', label: 'phone', levels: ['exact', 'one digit off', 'different'] },
  { field: 'address', label: 'address', levels: ['exact', 'similar', 'same postcode', 'same city', 'different'] },
] as const;

export type ComparisonField = (typeof COMPARISONS)[number]['field'];
export const FIELD_COUNT = COMPARISONS.length;
export const LEVEL_COUNTS: readonly number[] = COMPARISONS.map((c) => c.levels.length);
/** The compared fields, in COMPARISONS order. Each comparison's last level means "both present and different". */
export const FIELD_NAMES = COMPARISONS.map((c) => c.field) as ComparisonField[];

const ZProbabilities = z.array(z.number().gt(0).max(1));
const ZLevels = z.object({ m: ZProbabilities, u: ZProbabilities });

export const ZMatchModel = z
  .object({
    version: z.literal(1),
    /** λ: the probability that two records picked at random are one person. */
    prior: z.number().gt(0).lt(1),
    comparisons: z.object({
      firstName: ZLevels,
      lastName: ZLevels,
      birthDate: ZLevels,
      email: ZLevels,
      phone: ZLevels,
      address: ZLevels,
    }),
    /** How the model was estimated, when it was. */
    trained: z
      .object({ records: z.number().int().nonnegative(), pairs: z.number().int().nonnegative(), iterations: z.number().int().nonnegative(), converged: z.boolean() })
      .optional(),
  })
  .superRefine((model, ctx) => {
    for (const c of COMPARISONS) {
      const { m, u } = model.comparisons[c.field];
      if (m.length !== c.levels.length || u.length !== c.levels.length) {
        ctx.addIssue({ code: 'custom', path: ['comparisons', c.field], message: `${c.field} needs ${c.levels.length} levels (${c.levels.join(', ')})` });
      }
    }
  });
export type MatchModel = z.infer<typeof ZMatchModel>;

/**
 * Priors usable before any training, chosen from published linkage studies of person
 * registers and checked against the synthetic generator:
 * - u of an exact match is about how often two different people share the value: one in
 *   a hundred for a first name, one in five hundred for a family name, one in 25 000 for a
 *   date of birth (70 years of birthdays), one in a million for an e-mail or phone.
 * - m says how often one person's two records show the level: names agree exactly in
 *   about 80–85 % of pairs, a nickname or typo in most of the rest; e-mail and phone
 *   change more often (a person has several).
 * - λ = 1e-6: about one pair in a million is one person, which fits a base of some
 *   hundreds of thousands of people with a few per cent duplicates.
 * Train on the data (trainModel) as soon as there are a few thousand records.
 */
export const DEFAULT_MODEL: MatchModel = {
  version: 1,
  prior: 1e-6,
  comparisons: {
    firstName: { m: [0.78, 0.07, 0.07, 0.03, 0.02, 0.03], u: [0.01, 0.0005, 0.002, 0.01, 0.003, 0.9745] },
    lastName: { m: [0.85, 0.08, 0.04, 0.03], u: [0.002, 0.0005, 0.005, 0.9925] },
    birthDate: { m: [0.86, 0.04, 0.06, 0.04], u: [0.00004, 0.00003, 0.0006, 0.99933] },
    email: { m: [0.55, 0.05, 0.05, 0.35], u: [0.000001, 0.00001, 0.0001, 0.999889] },
    phone: { m: [0.6, 0.05, 0.35], u: [0.000001, 0.00001, 0.999989] },
    address: { m: [0.6, 0.15, 0.05, 0.05, 0.15], u: [0.00001, 0.0001, 0.001, 0.02, 0.97889] },
  },
};

/**
 * Match probabilities at or above `merge` join two records without asking; from `review`
 * up to `merge` a person is asked; below `review` they stay apart. A pair whose names or
 * dates of birth conflict is never merged without asking (see score.ts).
 */
export const DEFAULT_THRESHOLDS: { merge: number; review: number } = { merge: 0.99, review: 0.5 };

/** log2 odds of a probability. */
export const logit2 = (p: number): number => Math.log2(p / (1 - p));
/** Probability of log2 odds. */
export const fromLogit2 = (w: number): number => (w > 60 ? 1 : w < -60 ? 0 : 1 / (1 + 2 ** -w));

/** The evidence of each level, log2(m/u), per comparison in COMPARISONS order. */
export function weightTable(model: MatchModel): Float64Array[] {
  let t = TABLES.get(model);
  if (!t) {
    t = COMPARISONS.map((c) => {
      const { m, u } = model.comparisons[c.field];
      return Float64Array.from(m, (mi, i) => Math.log2(mi / (u[i] as number)));
    });
    TABLES.set(model, t);
  }
  return t;
}
const TABLES = new WeakMap<MatchModel, Float64Array[]>();
