/**
 * The measured claim: on a labelled set of customer comments (sentiment.eval.jsonl: coffee shop,
 * e-commerce and support; negations, intensifiers, mixed reviews, light sarcasm), the English
 * analyser beats a plain AFINN-style lexicon on label accuracy and on correlation with the human scores.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { labelOf, sentimentOf } from './index.js';
import { lexiconBaseline } from './testing.js';

const ZRow = z.object({ id: z.number().int(), text: z.string().min(1), label: z.enum(['negative', 'neutral', 'positive']), score: z.number().min(-1).max(1) });
const rows = readFileSync(new URL('./sentiment.eval.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => ZRow.parse(JSON.parse(line)));

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let c = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    c += da * db;
    va += da * da;
    vb += db * db;
  }
  return c / Math.sqrt(va * vb);
}

function measure(score: (text: string) => number) {
  const scores = rows.map((r) => score(r.text));
  const correct = rows.filter((r, i) => labelOf(scores[i] as number) === r.label).length;
  return { accuracy: correct / rows.length, correlation: pearson(scores, rows.map((r) => r.score)), scores };
}

describe('sentiment evaluation', () => {
  it('has a balanced labelled set of at least 300 distinct comments', () => {
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map((r) => r.text)).size).toBe(rows.length);
    for (const label of ['negative', 'neutral', 'positive'] as const) expect(rows.filter((r) => r.label === label).length).toBeGreaterThan(90);
    for (const r of rows) expect(labelOf(r.score) === r.label || r.label === 'neutral', r.text).toBe(true);
  });

  it('beats the plain lexicon baseline on accuracy and on correlation with human scores', () => {
    const ours = measure((t) => sentimentOf(t, 'en').score);
    const baseline = measure(lexiconBaseline);
    const f = (x: number) => x.toFixed(3);
    console.log(`sentiment on ${rows.length} comments: ours accuracy ${f(ours.accuracy)}, r ${f(ours.correlation)}; AFINN-style baseline accuracy ${f(baseline.accuracy)}, r ${f(baseline.correlation)}`);
    if (process.env.EMPTYCHAIR_SHOW_MISSES) {
      rows.forEach((r, i) => {
        const s = ours.scores[i] as number;
        if (labelOf(s) !== r.label) console.log(`${r.label}\t${s.toFixed(2)}\t${r.text}`);
      });
    }
    expect(ours.accuracy).toBeGreaterThan(baseline.accuracy + 0.05);
    expect(ours.correlation).toBeGreaterThan(baseline.correlation + 0.05);
    expect(ours.accuracy).toBeGreaterThanOrEqual(0.78);
  });
});
