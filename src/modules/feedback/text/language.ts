/**
 * A language guess from stop-word profiles (see stopwords.ts) with a few letter hints for short
 * texts. Pure and deterministic; "unknown" when the text is too short or nothing matches well.
 */
import { STOP_SETS, type StopWordLanguage } from './stopwords.js';
import { words } from './tokens.js';

export type Language = StopWordLanguage | 'unknown';

/** Letters or words that are nearly unique to one language: a small bonus each. */
const HINTS: Record<StopWordLanguage, RegExp> = {
  en: /\b(the|and|was|with|wasn't|didn't|i'm)\b/g,
  fr: /[çœ]|\b(très|était|c'est|j'ai|n'est|qu'il)\b|[èêâû]/g,
  de: /[ßäöü]|\b(nicht|und|sehr|ich)\b/g,
  es: /[ñ¿¡]|\b(muy|pero|está|también)\b|[áíóú]/g,
  nl: /\b(het|niet|heel|erg|mijn|werd|een)\b|ij/g,
};

/** At least this many words before a guess is made. */
export const MIN_WORDS = 3;

export function guessLanguage(text: string): Language {
  const tokens = words(text);
  if (tokens.length < MIN_WORDS) return 'unknown';
  const lower = text.toLowerCase();
  let best: Language = 'unknown';
  let bestScore = 0;
  let second = 0;
  for (const lang of Object.keys(STOP_SETS) as StopWordLanguage[]) {
    const set = STOP_SETS[lang];
    let hits = 0;
    for (const t of tokens) if (set.has(t)) hits++;
    const score = hits / tokens.length + 0.05 * (lower.match(HINTS[lang])?.length ?? 0);
    if (score > bestScore) {
      second = bestScore;
      bestScore = score;
      best = lang;
    } else if (score > second) {
      second = score;
    }
  }
  // Too little evidence, or a tie between two profiles: say so rather than guess.
  if (bestScore < 0.1 || bestScore - second < 0.02) return 'unknown';
  return best;
}
