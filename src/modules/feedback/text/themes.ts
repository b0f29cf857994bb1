/**
 * Themes: key phrases per comment (runs of content words between stop words and punctuation)
 * mapped to named themes by an editable dictionary, and a clustering of a set of comments into
 * themes with counts, top phrases and example quotes. Pure and deterministic.
 */
import { STOP_SETS, type StopWordLanguage } from './stopwords.js';
import { words } from './tokens.js';

/** Theme name → cue words or phrases (lower case; a phrase matches whole words in order). Edit freely. */
export type ThemeDictionary = Readonly<Record<string, readonly string[]>>;

export const DEFAULT_THEMES: ThemeDictionary = {
  'delivery time': ['delivery', 'delivered', 'shipping', 'shipped', 'arrived', 'arrive', 'late', 'delayed', 'courier', 'parcel', 'package', 'tracking', 'next day', 'dispatch'],
  refund: ['refund', 'refunds', 'refunded', 'money back', 'reimbursed', 'return', 'returns', 'returning', 'return label', 'charged twice'],
  'friendly staff': ['staff', 'barista', 'team', 'manager', 'friendly', 'unfriendly', 'rude', 'kind', 'polite', 'welcoming', 'smiling', 'cheerful', 'people'],
  price: ['price', 'prices', 'priced', 'pricey', 'expensive', 'overpriced', 'cheap', 'cheapest', 'value', 'cost', 'fees', 'money'],
  quality: ['quality', 'material', 'stitching', 'seam', 'broke', 'broken', 'damaged', 'faulty', 'fresh', 'stale', 'taste', 'tasted', 'fits', 'fit', 'works', 'stopped working'],
  'app/website': ['app', 'website', 'site', 'online', 'checkout', 'login', 'log in', 'logged', 'page', 'crashing', 'crashed', 'links', 'chatbot'],
  'support wait': ['on hold', 'wait', 'waiting', 'waited', 'queue', 'callback', 'reply', 'replied', 'answer', 'answered', 'answers', 'phone', 'support line', 'response', 'responsive'],
};

const STOP = STOP_SETS.en;
const MAX_PHRASE = 3;

/**
 * Key phrases of one comment: content-word runs (at most 3 words, the last ones kept), without
 * duplicates. Stop words are those of the comment's language when known, else English.
 */
export function keyPhrases(text: string, language?: string): string[] {
  const stop: ReadonlySet<string> = (language && language in STOP_SETS ? STOP_SETS[language as StopWordLanguage] : undefined) ?? STOP;
  const out: string[] = [];
  for (const chunk of text.split(/[.,;:!?()"\n\r\t/\u2013\u2014-]+/)) {
    let run: string[] = [];
    const flush = () => {
      if (run.length > 0) {
        const phrase = run.slice(-MAX_PHRASE).join(' ');
        if (!out.includes(phrase)) out.push(phrase);
      }
      run = [];
    };
    for (const w of words(chunk)) {
      if (stop.has(w) || /^\d+$/.test(w) || w.length < 2) flush();
      else run.push(w);
    }
    flush();
  }
  return out;
}

interface CompiledTheme {
  name: string;
  cues: string[][];
}

export function compileThemes(dictionary: ThemeDictionary = DEFAULT_THEMES): CompiledTheme[] {
  return Object.entries(dictionary).map(([name, cues]) => ({ name, cues: cues.map((c) => words(c)).filter((c) => c.length > 0) }));
}

const DEFAULT_COMPILED = compileThemes();

const containsSeq = (toks: string[], cue: string[]) => {
  for (let i = 0; i + cue.length <= toks.length; i++) if (cue.every((c, k) => toks[i + k] === c)) return true;
  return false;
};

/** Named themes a comment touches, in dictionary order. */
export function themesOf(text: string, themes: CompiledTheme[] = DEFAULT_COMPILED): string[] {
  const toks = words(text);
  return themes.filter((t) => t.cues.some((cue) => containsSeq(toks, cue))).map((t) => t.name);
}

export interface ThemeCluster {
  theme: string;
  /** Comments touching the theme. */
  count: number;
  /** Mean sentiment of those comments, when scores were given. */
  meanSentiment: number | null;
  /** The most frequent key phrases under the theme, with their counts. */
  phrases: { phrase: string; count: number }[];
  /** Up to three example quotes, the shortest first. */
  examples: string[];
}

export interface ClusterInput {
  text: string;
  sentiment?: number;
}

/**
 * Group comments by theme. Phrases no dictionary theme claims are grouped by their most frequent
 * content word; such a word seen in at least `minEmergent` comments becomes a theme of its own ("~word").
 */
export function clusterThemes(comments: readonly ClusterInput[], options: { dictionary?: ThemeDictionary; minEmergent?: number; top?: number } = {}): ThemeCluster[] {
  const compiled = options.dictionary ? compileThemes(options.dictionary) : DEFAULT_COMPILED;
  const minEmergent = options.minEmergent ?? 3;
  const groups = new Map<string, { indices: number[]; phrases: Map<string, number> }>();
  const group = (name: string) => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { indices: [], phrases: new Map() }));
    return g;
  };
  const unclaimed: { index: number; phrase: string }[] = [];
  comments.forEach((c, index) => {
    const named = themesOf(c.text, compiled);
    for (const name of named) group(name).indices.push(index);
    for (const phrase of keyPhrases(c.text)) {
      const claimed = themesOf(phrase, compiled).filter((n) => named.includes(n));
      for (const name of claimed) {
        const p = group(name).phrases;
        p.set(phrase, (p.get(phrase) ?? 0) + 1);
      }
      if (claimed.length === 0) unclaimed.push({ index, phrase });
    }
  });
  // Emergent themes: the most common content word of the unclaimed phrases, counted once per comment.
  const wordComments = new Map<string, Set<number>>();
  for (const u of unclaimed) for (const w of u.phrase.split(' ')) {
      const seen = wordComments.get(w) ?? new Set<number>();
      seen.add(u.index);
      wordComments.set(w, seen);
    }
  const emergent = [...wordComments.entries()].filter(([, s]) => s.size >= minEmergent).sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1));
  // Each unclaimed phrase goes to its most common emergent word only.
  const rank = new Map(emergent.map(([word], i) => [word, i]));
  for (const u of unclaimed) {
    const best = u.phrase.split(' ').filter((w) => rank.has(w)).sort((a, b) => (rank.get(a) as number) - (rank.get(b) as number))[0];
    if (best === undefined) continue;
    const g = group(`~${best}`);
    if (!g.indices.includes(u.index)) g.indices.push(u.index);
    g.phrases.set(u.phrase, (g.phrases.get(u.phrase) ?? 0) + 1);
  }
  const top = options.top ?? 5;
  const clusters: ThemeCluster[] = [...groups.entries()].filter(([, g]) => g.indices.length > 0).map(([theme, g]) => {
    const scored = g.indices.map((i) => comments[i]?.sentiment).filter((s): s is number => typeof s === 'number');
    return {
      theme,
      count: g.indices.length,
      meanSentiment: scored.length ? Math.round((scored.reduce((a, b) => a + b, 0) / scored.length) * 1000) / 1000 : null,
      phrases: [...g.phrases.entries()].map(([phrase, count]) => ({ phrase, count })).sort((a, b) => b.count - a.count || (a.phrase < b.phrase ? -1 : 1)).slice(0, top),
      examples: [...new Set(g.indices.map((i) => (comments[i] as ClusterInput).text.trim()))].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)).slice(0, 3).map(quote),
    };
  });
  return clusters.sort((a, b) => b.count - a.count || (a.theme < b.theme ? -1 : 1));
}

const quote = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);
