/**
 * Test support: a plain AFINN-style lexicon scorer, the baseline the issue asks us to beat.
 * Words carry AFINN-165 values (−5 … 5); the score is the sum, squashed into [−1, 1]; no negation,
 * no intensifiers, no phrases. The words are AFINN's own for the vocabulary customers use.
 */
import { words } from './tokens.js';

export const AFINN_STYLE: Readonly<Record<string, number>> = {
  abandon: -2, amazing: 4, annoyed: -2, annoying: -2, apologised: -1, appreciate: 2, appreciated: 2, awesome: 4, awful: -3,
  bad: -3, best: 3, better: 2, bitter: -2, bland: -2, blame: -2, blamed: -2, brilliant: 4, broke: -1, broken: -1, calm: 2,
  care: 2, cheated: -3, cheerful: 2, clean: 2, clear: 1, comfortable: 2, complain: -2, complaint: -2, confusing: -2, cool: 1,
  cosy: 2, crashing: -2, damaged: -3, decent: 2, definitely: 1, delicious: 3, delight: 3, disappointed: -2, disappointing: -2,
  disaster: -2, disgusting: -3, dirty: -2, easy: 1, easier: 1, efficient: 2, enjoyed: 2, excellent: 3, exceeded: 1, exceptional: 5,
  fail: -2, failed: -2, fantastic: 4, faulty: -2, fine: 2, fix: 1, fixed: 1, fresh: 1, friendly: 2, furious: -3, fuss: -2, good: 3,
  gorgeous: 3, great: 3, happy: 3, happier: 3, hassle: -2, hate: -3, help: 2, helpful: 2, hesitate: -2, horrible: -3, ignored: -2,
  impressed: 3, impressive: 3, incredibly: 2, joke: 2, kind: 2, like: 2, love: 3, loved: 3, lovely: 3, lost: -3, mistake: -2,
  misleading: -3, nice: 3, nightmare: -3, no: -1, perfect: 3, phenomenal: 3, pleasant: 3, please: 1, poor: -2, problem: -2,
  problems: -2, recommend: 2, refused: -2, reliable: 2, ridiculous: -3, rude: -2, sadly: -2, satisfied: 2, scam: -2, shame: -2,
  smiling: 2, smooth: 2, solid: 2, solved: 1, sorry: -1, stale: -2, stopped: -1, stuck: -2, super: 3, superb: 5, surprise: 1,
  tasty: 3, terrible: -3, thank: 2, thanks: 2, thankfully: 2, truly: 1, unacceptable: -2, unfortunately: -2, unhappy: -2,
  unhelpful: -2, unprofessional: -2, useful: 2, useless: -2, warm: 1, waste: -1, welcoming: 2, wonderful: 4, worried: -3,
  worse: -3, worst: -3, worth: 2, wow: 4, wrong: -2,
};

/** Sum of word values, squashed: s / sqrt(s² + 15) (VADER's normalisation). */
export function lexiconBaseline(text: string): number {
  let sum = 0;
  for (const w of words(text)) sum += AFINN_STYLE[w] ?? 0;
  return sum / Math.sqrt(sum * sum + 15);
}
