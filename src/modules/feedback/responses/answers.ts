/**
 * Answers checked against their survey, merged with what the respondent gave before, and
 * read for what the rest of the product needs: one score per metric and the open text.
 * Pure: no I/O.
 */
import { AppError } from '../../../platform/errors.js';
import { isMetric, SCALES, type Answers, type Metric, type Question, type SurveyDefinition } from '../surveys/survey.schema.js';

/** The longest open answer kept: a 1 MB paste is stored, not refused. */
export const MAX_TEXT_CHARS = 1 << 20;

/** NPS's "why?" is answered under the question's id with this suffix. */
export const WHY = ':why';

export const answerKeys = (q: Question): string[] => (q.type === 'nps' ? [q.id, q.id + WHY] : [q.id]);

export function checkAnswers(definition: SurveyDefinition, answers: Answers): void {
  const problems: { question: string; message: string }[] = [];
  const questions = new Map<string, Question>();
  for (const q of definition.questions) for (const key of answerKeys(q)) questions.set(key, q);
  for (const [key, value] of Object.entries(answers)) {
    const q = questions.get(key);
    if (!q) {
      problems.push({ question: key, message: 'this survey has no such question' });
      continue;
    }
    const open = q.type === 'text' || key.endsWith(WHY);
    if (open) {
      if (typeof value !== 'string') problems.push({ question: key, message: 'expects text' });
      else if (value.length > MAX_TEXT_CHARS) problems.push({ question: key, message: `text longer than ${MAX_TEXT_CHARS} characters` });
      continue;
    }
    const scale = SCALES[q.type as Metric];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < scale.min || value > scale.max) {
      problems.push({ question: key, message: `expects a whole number from ${scale.min} to ${scale.max}` });
    }
  }
  if (problems.length > 0) {
    const first = problems[0] as { question: string; message: string };
    throw new AppError('ANSWER_INVALID', `answer "${first.question}": ${first.message}`, { problems });
  }
}

/** A new submission over the old answers; an empty text clears that answer. */
export function mergeAnswers(previous: Answers, next: Answers): Answers {
  const merged: Answers = { ...previous };
  for (const [key, value] of Object.entries(next)) {
    if (typeof value === 'string' && value.trim() === '') delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export type Scores = Record<Metric, number | null>;

export function scoresOf(definition: SurveyDefinition, answers: Answers): Scores {
  const scores: Scores = { nps: null, csat: null, ces: null };
  for (const q of definition.questions) {
    const v = answers[q.id];
    if (isMetric(q.type) && typeof v === 'number') scores[q.type] = v;
  }
  return scores;
}

/** The survey's headline metric: its first scored question. */
export function primaryMetric(definition: SurveyDefinition): Metric | undefined {
  const q = definition.questions.find((x) => isMetric(x.type));
  return q ? (q.type as Metric) : undefined;
}

/** Every open answer, in question order, as one text for analysis and display. */
export function commentOf(definition: SurveyDefinition, answers: Answers): string | null {
  const parts: string[] = [];
  for (const q of definition.questions) {
    for (const key of answerKeys(q)) {
      const v = answers[key];
      if (typeof v === 'string' && (q.type === 'text' || key.endsWith(WHY)) && v.trim() !== '') parts.push(v.trim());
    }
  }
  return parts.length ? parts.join('\n\n') : null;
}

/** Complete once every required question is answered and the respondent finished (or answered everything). */
export function isComplete(definition: SurveyDefinition, answers: Answers, finished: boolean): boolean {
  const required = definition.questions.filter((q) => q.required).every((q) => answers[q.id] !== undefined);
  if (!required) return false;
  return finished || definition.questions.every((q) => answerKeys(q).every((k) => answers[k] !== undefined));
}
