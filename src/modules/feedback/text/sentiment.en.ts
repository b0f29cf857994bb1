/**
 * English sentiment: wink-nlp's sentiment (an AFINN-style lexicon with emoji, negation and
 * intensifier handling) per clause, plus a small lexicon of customer-service phrases that a
 * general lexicon misses ("took forever", "on hold", "stale", "no complaints"), with its own
 * negation scope. Clauses after a contrast ("…, but …") weigh double, as readers weigh them.
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { clamp1, registerSentimentAnalyser } from './sentiment.js';
import { words } from './tokens.js';

const nlp = winkNLP(model, ['sbd', 'negation', 'sentiment']);
const its = nlp.its;

/** Customer-service phrases in AFINN units (−5 … 5); multi-word keys are matched on word boundaries. */
export const DOMAIN_LEXICON: Readonly<Record<string, number>> = {
  // waiting, time, delivery
  'took forever': -3, forever: -1, ages: -2, 'on hold': -2, waiting: -1, waited: -1, 'still waiting': -2, late: -2, delayed: -2,
  slow: -2, slowest: -3, 'too long': -2, 'far too long': -3, 'never arrived': -4, 'never came': -3, 'never got': -3, 'never again': -4,
  'never on time': -3, lost: -2, missing: -2, cancelled: -2, wrong: -2, early: 1, 'on time': 2, prompt: 2, quick: 2, quickly: 2, fast: 2,
  // product and food
  stale: -3, cold: -1, lukewarm: -2, burnt: -2, watery: -2, bland: -2, dry: -1, broke: -3, broken: -3, damaged: -3, crashing: -3,
  crashed: -2, 'stopped working': -3, overpriced: -3, pricey: -1, expensive: -1, shrank: -2, dirty: -2, sticky: -2, sweet: 0, fresh: 2,
  tasty: 3, delicious: 3, cosy: 2, smooth: 2, reliable: 2, 'worth it': 3, 'not worth': -3, 'waste of money': -4, 'to die for': 4,
  'zero stars': -4, 'five stars': 4, 'downhill': -3, 'misleading': -3, 'hidden fees': -3, unprofessional: -3, unacceptable: -3,
  useless: -3, nightmare: -3, disaster: -3, scam: -4, joke: -2,
  // support and people
  unhelpful: -3, ignored: -2, 'hung up': -3, 'no one answered': -3, 'nobody answers': -3, 'nobody helped': -3, 'no reply': -2,
  patient: 2, knowledgeable: 2, polite: 2, welcoming: 2, cheerful: 2, efficient: 2, 'above and beyond': 4, 'out of their way': 3,
  'made it right': 3, 'sorted it out': 2, sorted: 1, fixed: 2, solved: 2, 'no problems': 2, 'no problem': 2, 'no issues': 2,
  'no complaints': 2, "can't fault": 3, "can't complain": 2, 'nothing to complain': 2, "can't recommend": -3, "don't waste": -3,
  "won't be back": -3, "don't think i'll be back": -3, "wouldn't recommend": -3, 'not impressed': -3, 'not happy': -3,
  // sarcasm-light cues
  'yeah right': -3, 'thanks for nothing': -5, 'thanks a lot': -1, 'oh great': -5, 'great job losing': -6, 'love waiting': -6,
  impressive: 1,
};

const NEGATORS = new Set(['not', 'no', 'never', 'without', 'hardly', 'nobody', 'nothing', "isn't", "wasn't", "don't", "doesn't", "didn't", "can't", "couldn't", "won't", "wouldn't", "aren't", "weren't", "haven't", "hasn't"]);
const CONTRAST = /\b(?:but|however|though|although|yet)\b/i;

const entries = Object.entries(DOMAIN_LEXICON).map(([phrase, value]) => ({ parts: phrase.split(' '), value }));
const byFirst = new Map<string, { parts: string[]; value: number }[]>();
for (const e of entries.sort((a, b) => b.parts.length - a.parts.length)) {
  const first = e.parts[0] as string;
  byFirst.set(first, [...(byFirst.get(first) ?? []), e]);
}

/** Sum of domain phrases in a clause, longest match first; a negator up to 3 words before halves and flips. */
export function domainScore(text: string): number {
  const toks = words(text);
  let sum = 0;
  for (let i = 0; i < toks.length; ) {
    const match = byFirst.get(toks[i] as string)?.find((e) => e.parts.every((p, k) => toks[i + k] === p));
    if (!match) {
      i++;
      continue;
    }
    const negatedPhrase = NEGATORS.has(match.parts[0] as string);
    const negated = !negatedPhrase && toks.slice(Math.max(0, i - 3), i).some((t) => NEGATORS.has(t));
    sum += negated ? -0.5 * match.value : match.value;
    i += match.parts.length;
  }
  return sum;
}

function clauseScore(clause: string): number {
  const wink = nlp.readDoc(clause).out(its.sentiment) as number;
  return clamp1(wink + 0.2 * domainScore(clause));
}

export function englishSentiment(text: string): number {
  const clauses = text.split(CONTRAST).map((c) => c.trim()).filter((c) => /[\p{L}\p{N}]/u.test(c));
  if (clauses.length === 0) return 0;
  let total = 0;
  let weight = 0;
  clauses.forEach((c, i) => {
    const w = i === 0 ? 1 : 2;
    total += w * clauseScore(c);
    weight += w;
  });
  return clamp1(total / weight);
}

registerSentimentAnalyser('en', englishSentiment);
