/**
 * Sentiment of a customer comment: a score in [−1, 1] and a label. One analyser per language in a
 * registry; English is registered by sentiment.en.ts. A language without its own analyser is read
 * with the English one (short comments such as "Great!" have no language guess at all).
 */
export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export interface Sentiment {
  score: number;
  label: SentimentLabel;
}
/** Scores a text in [−1, 1]. Must be pure and deterministic. */
export type SentimentAnalyser = (text: string) => number;

/** |score| below this is neutral. */
export const NEUTRAL_BAND = 0.1;

const analysers = new Map<string, SentimentAnalyser>();

/** Add or replace the analyser for a language code (ISO 639-1, e.g. "fr"). */
export function registerSentimentAnalyser(language: string, analyser: SentimentAnalyser): void {
  analysers.set(language, analyser);
}

export function sentimentLanguages(): string[] {
  return [...analysers.keys()].sort();
}

export function labelOf(score: number): SentimentLabel {
  if (score >= NEUTRAL_BAND) return 'positive';
  if (score <= -NEUTRAL_BAND) return 'negative';
  return 'neutral';
}

const round = (x: number) => Math.round(x * 1000) / 1000;
export const clamp1 = (x: number) => Math.max(-1, Math.min(1, x));

export function sentimentOf(text: string, language = 'en'): Sentiment {
  const analyser = analysers.get(language) ?? analysers.get('en');
  if (!analyser) throw new Error('no sentiment analyser registered for English');
  const score = round(clamp1(analyser(text)));
  return { score: score === 0 ? 0 : score, label: labelOf(score) };
}
