/**
 * Text analytics throughput on one core (issue 5: ≥ 5 000 comments/s per core): the full
 * analysis of a comment (sentiment, language, themes) beside a ceiling measured in the same
 * rounds — reading every word of the same comments once (tokenise and one set lookup per
 * word), the least any word-level analysis must do.
 */
import { readFileSync } from 'node:fs';
import { analyzeText } from '../src/modules/feedback/text/index.js';
import { words } from '../src/modules/feedback/text/tokens.js';
import { runCases, timed, type Case } from './lib/measure.js';
import type { Benchmark } from './lib/types.js';

const ROUNDS = 3;
const COMMENTS = 50_000;

/** The labelled customer comments, cycled and varied so that no two in a row are the same. */
function corpus(): string[] {
  const file = new URL('../../src/modules/feedback/text/sentiment.eval.jsonl', import.meta.url);
  const base = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const out: string[] = [];
  for (let i = 0; i < COMMENTS; i++) {
    const a = base[i % base.length] as string;
    const b = base[(i * 7 + 3) % base.length] as string;
    out.push(i % 3 === 0 ? `${a} ${b}` : a);
  }
  return out;
}

export const textAnalyze: Benchmark = {
  name: 'text-analyze',
  description: 'comments/s for sentiment + language + themes on one core, against reading every word once',
  async run() {
    const comments = corpus();
    const vocabulary = new Set(comments.flatMap((c) => words(c)).slice(0, 5000));
    let sink = 0;
    const cases: Case[] = [
      {
        name: 'bare: tokenise + one set lookup per word',
        short: 'bare read',
        unit: 'comments/s',
        ops: comments.length,
        once: () =>
          timed(
            () => comments,
            (cs) => {
              for (const c of cs) for (const w of words(c)) if (vocabulary.has(w)) sink++;
            },
          ),
      },
      {
        name: 'analyzeText: sentiment, language, themes (1 core)',
        unit: 'comments/s',
        ops: comments.length,
        ceiling: 'bare: tokenise + one set lookup per word',
        once: () =>
          timed(
            () => comments,
            (cs) => {
              for (const c of cs) sink += analyzeText(c).themes.length;
            },
          ),
      },
    ];
    const results = await runCases('node', cases, ROUNDS);
    if (sink < 0) console.log(sink);
    return results;
  },
};
