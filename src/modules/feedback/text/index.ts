/** Text analytics on customer comments: sentiment, language guess and themes. Pure, in-process. */
import './sentiment.en.js';

export { labelOf, NEUTRAL_BAND, registerSentimentAnalyser, sentimentLanguages, sentimentOf } from './sentiment.js';
export type { Sentiment, SentimentAnalyser, SentimentLabel } from './sentiment.js';
export { guessLanguage, MIN_WORDS, type Language } from './language.js';
export { clusterThemes, compileThemes, DEFAULT_THEMES, keyPhrases, themesOf, type ClusterInput, type ThemeCluster, type ThemeDictionary } from './themes.js';
export { analyzer, analyzeText, MAX_ANALYSED_CHARS, ZTextAnalysis, type TextAnalysis } from './analyze.js';
