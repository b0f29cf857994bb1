/** One comment, fully read: sentiment, language guess and themes. Pure. */
import { z } from 'zod';
import { guessLanguage } from './language.js';
import { sentimentOf } from './sentiment.js';
import './sentiment.en.js';
import { compileThemes, keyPhrases, themesOf, type ThemeDictionary } from './themes.js';

export const ZTextAnalysis = z.object({
  text: z.string(),
  sentiment: z.object({ score: z.number().min(-1).max(1), label: z.enum(['negative', 'neutral', 'positive']) }),
  language: z.string(),
  themes: z.array(z.string()),
  phrases: z.array(z.string()),
});
export type TextAnalysis = z.infer<typeof ZTextAnalysis>;

/** Comments longer than this are read up to here (a 1 MB paste is not a comment). */
export const MAX_ANALYSED_CHARS = 5000;

export function analyzer(dictionary?: ThemeDictionary): (text: string) => TextAnalysis {
  const themes = compileThemes(dictionary);
  return (text) => {
    const read = text.length > MAX_ANALYSED_CHARS ? text.slice(0, MAX_ANALYSED_CHARS) : text;
    const language = guessLanguage(read);
    return { text, sentiment: sentimentOf(read, language), language, themes: themesOf(read, themes), phrases: keyPhrases(read, language) };
  };
}

export const analyzeText = analyzer();
