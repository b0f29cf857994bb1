/** The identity graph's matcher: Fellegi–Sunter scoring (matching/) with a workspace's model. */
import { blockingKeys } from './matching/blocking.js';
import { DEFAULT_MODEL, type MatchModel } from './matching/model.js';
import { nysiis } from './matching/phonetic.js';
import { prepare } from './matching/prepare.js';
import { scorePair } from './matching/score.js';
import type { PersonFields } from './matching/types.js';
import type { Matcher } from './matcher.js';

const PREPARED_CACHE = 20_000;

export function createMatcher(options: { model?: MatchModel; defaultCountry?: string } = {}): Matcher {
  const model = options.model ?? DEFAULT_MODEL;
  // Preparing (phone parsing, phonetic keys) costs more than scoring: a leaf is compared with
  // many newcomers, so its prepared form is kept (bounded, oldest out first).
  const prepared = new Map<string, ReturnType<typeof prepare>>();
  const prep = (f: PersonFields) => {
    const key = JSON.stringify(f);
    let p = prepared.get(key);
    if (!p) {
      p = prepare(f, options.defaultCountry ? { defaultCountry: options.defaultCountry } : {});
      prepared.set(key, p);
      if (prepared.size > PREPARED_CACHE) prepared.delete(prepared.keys().next().value as string);
    }
    return p;
  };
  return {
    keys: (f) => blockingKeys(prep(f)),
    compare: (a, b) => {
      const s = scorePair(prep(a), prep(b), model);
      return {
        probability: s.probability,
        weight: s.weight,
        fields: s.fields.filter((f) => f.level >= 0).map((f) => ({ field: f.field, level: String(f.level), label: f.label, weight: Math.round(f.weight * 100) / 100 })),
        ...(s.conflict ? { conflict: s.conflict } : {}),
      };
    },
    phonetic: (token) => nysiis(token),
  };
}
