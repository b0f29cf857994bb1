/**
 * A survey as a respondent sees it: in one language, with the brand, and nothing internal.
 * The language is the first the survey has of: the one asked for, the customer's (profile
 * trait `language` or `locale`), the browser's (Accept-Language), the survey's default.
 */
import { SCALES, isMetric, type Branding, type QuestionType, type SurveyDefinition, type Wording } from '../surveys/survey.schema.js';
import { uiStrings, type UiStrings } from './page/strings.js';

/** Default wording where a survey gives none, per language we ship. */
const DEFAULTS: Record<string, { why: string; thankYou: string; low: Record<string, string>; high: Record<string, string> }> = {
  en: { why: 'What is the main reason for your score?', thankYou: 'Thank you for your answer.', low: { nps: 'Not at all likely', csat: 'Very unsatisfied', ces: 'Strongly disagree' }, high: { nps: 'Extremely likely', csat: 'Very satisfied', ces: 'Strongly agree' } },
  fr: { why: 'Quelle est la raison principale de votre note ?', thankYou: 'Merci pour votre réponse.', low: { nps: 'Pas du tout probable', csat: 'Très insatisfait', ces: 'Pas du tout d’accord' }, high: { nps: 'Très probable', csat: 'Très satisfait', ces: 'Tout à fait d’accord' } },
  de: { why: 'Was ist der wichtigste Grund für Ihre Bewertung?', thankYou: 'Vielen Dank für Ihre Antwort.', low: { nps: 'Sehr unwahrscheinlich', csat: 'Sehr unzufrieden', ces: 'Stimme gar nicht zu' }, high: { nps: 'Sehr wahrscheinlich', csat: 'Sehr zufrieden', ces: 'Stimme voll zu' } },
  es: { why: '¿Cuál es el motivo principal de su puntuación?', thankYou: 'Gracias por su respuesta.', low: { nps: 'Nada probable', csat: 'Muy insatisfecho', ces: 'Totalmente en desacuerdo' }, high: { nps: 'Muy probable', csat: 'Muy satisfecho', ces: 'Totalmente de acuerdo' } },
  nl: { why: 'Wat is de belangrijkste reden voor uw score?', thankYou: 'Bedankt voor uw antwoord.', low: { nps: 'Zeer onwaarschijnlijk', csat: 'Zeer ontevreden', ces: 'Helemaal oneens' }, high: { nps: 'Zeer waarschijnlijk', csat: 'Zeer tevreden', ces: 'Helemaal eens' } },
};

export interface PublicQuestion {
  id: string;
  type: QuestionType;
  text: string;
  required: boolean;
  scale: { min: number; max: number; lowLabel: string; highLabel: string } | null;
  /** NPS only: the "why?" asked after the score, answered under `${id}:why`. */
  followUp: string | null;
}

export interface PublicSurvey {
  id: string;
  language: string;
  languages: string[];
  title: string | null;
  thankYou: string;
  questions: PublicQuestion[];
  branding: Branding;
  /** The page's and the widget's own words (buttons, errors) in this language. */
  ui: UiStrings;
  /** Where and when the widget may show itself. */
  widget: SurveyDefinition['widget'];
}

/** Every language the survey is fully written in (each question has it). */
export function languagesOf(definition: SurveyDefinition): string[] {
  const all = new Set<string>();
  for (const q of definition.questions) for (const l of Object.keys(q.text)) all.add(l);
  return [...all].filter((l) => definition.questions.every((q) => q.text[l] !== undefined)).sort((a, b) => (a === definition.defaultLanguage ? -1 : b === definition.defaultLanguage ? 1 : a.localeCompare(b)));
}

/** Two-letter codes from an Accept-Language header, most wanted first. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: (tag ?? '').trim().slice(0, 2).toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((x) => /^[a-z]{2}$/.test(x.lang) && x.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((x) => x.lang);
}

export function chooseLanguage(definition: SurveyDefinition, wanted: (string | undefined | null)[]): string {
  const available = languagesOf(definition);
  for (const w of wanted) {
    const lang = typeof w === 'string' ? w.slice(0, 2).toLowerCase() : undefined;
    if (lang && available.includes(lang)) return lang;
  }
  return definition.defaultLanguage;
}

const pick = (w: Wording | undefined, lang: string, fallback: string): string => w?.[lang] ?? fallback;

export function localize(surveyId: string, definition: SurveyDefinition, language: string, workspaceBranding: Branding): PublicSurvey {
  const d = DEFAULTS[language] ?? (DEFAULTS.en as (typeof DEFAULTS)['en']);
  const def = (w: Wording | undefined) => w?.[definition.defaultLanguage];
  return {
    id: surveyId,
    language,
    languages: languagesOf(definition),
    title: definition.title ? pick(definition.title, language, def(definition.title) ?? '') : null,
    thankYou: pick(definition.thankYou, language, d.thankYou),
    branding: { ...workspaceBranding, ...definition.branding },
    ui: uiStrings(language),
    widget: definition.widget,
    questions: definition.questions.map((q) => ({
      id: q.id,
      type: q.type,
      text: pick(q.text, language, def(q.text) ?? ''),
      required: q.required,
      scale: isMetric(q.type)
        ? { ...SCALES[q.type], lowLabel: pick(q.lowLabel, language, d.low[q.type] ?? ''), highLabel: pick(q.highLabel, language, d.high[q.type] ?? '') }
        : null,
      followUp: q.type === 'nps' ? pick(q.followUp, language, d.why) : null,
    })),
  };
}
