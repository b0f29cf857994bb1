/**
 * The surveys API: definitions, status, signed links and the feedback settings.
 * Types mirror the zod schemas in src/modules/feedback/surveys/survey.schema.ts and settings.ts.
 */
import { request } from './client';

export const QUESTION_TYPES = ['nps', 'csat', 'ces', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const SCALES = { nps: { min: 0, max: 10 }, csat: { min: 1, max: 5 }, ces: { min: 1, max: 7 } } as const;
export type SurveyStatus = 'draft' | 'active' | 'closed';
export type Channel = 'link' | 'email' | 'widget' | 'api';
/** Text per two-letter language code. */
export type Wording = Record<string, string>;

export interface Question {
  id: string;
  type: QuestionType;
  text: Wording;
  followUp?: Wording;
  required: boolean;
  lowLabel?: Wording;
  highLabel?: Wording;
}

export interface Branding {
  logoUrl?: string;
  colour?: string;
  companyName?: string;
}

export interface EventFilter {
  property: string;
  op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'exists' | 'contains';
  value?: string | number | boolean;
}

export interface Trigger {
  id: string;
  event: string;
  where: EventFilter[];
  delayMinutes: number;
  channel: 'email';
  sample: number;
  enabled: boolean;
}

export interface SurveyDefinition {
  defaultLanguage: string;
  title?: Wording;
  thankYou?: Wording;
  questions: Question[];
  branding: Branding;
  widget: { pages: string[]; event?: string; delaySeconds: number; sample: number };
  email: { subject?: Wording; intro?: Wording };
  triggers: Trigger[];
  allowAnonymous: boolean;
}

export interface Survey {
  id: string;
  name: string;
  status: SurveyStatus;
  definition: SurveyDefinition;
  createdAt: string;
  updatedAt: string;
}

export interface Respondent {
  kind: 'user_id' | 'email' | 'anonymous_id';
  value: string;
}

export interface SurveyLink {
  deliveryId: string;
  token: string;
  url: string;
  expiresAt: string;
}

export interface FeedbackSettings {
  contactLimitDays: number;
  quietHours: { start: number; end: number } | null;
  defaultTimeZone: string;
  linkLifetimeDays: number;
  branding: Branding;
}

const base = (ws: string) => `/api/workspaces/${encodeURIComponent(ws)}`;

export const listSurveys = (ws: string, status?: SurveyStatus) => request<{ surveys: Survey[] }>('GET', `${base(ws)}/surveys`, { query: { status } });
export const getSurvey = (ws: string, id: string) => request<Survey>('GET', `${base(ws)}/surveys/${encodeURIComponent(id)}`);
export const createSurvey = (ws: string, body: { name: string; definition: SurveyDefinition }) => request<Survey>('POST', `${base(ws)}/surveys`, { body });
export const updateSurvey = (ws: string, id: string, body: { name?: string; definition?: SurveyDefinition; status?: SurveyStatus }) =>
  request<Survey>('PATCH', `${base(ws)}/surveys/${encodeURIComponent(id)}`, { body });
export const createLink = (ws: string, id: string, body: { respondent: Respondent; channel?: 'link' | 'api'; lifetimeDays?: number }) =>
  request<SurveyLink>('POST', `${base(ws)}/surveys/${encodeURIComponent(id)}/links`, { body });
export const getFeedbackSettings = (ws: string) => request<FeedbackSettings>('GET', `${base(ws)}/feedback/settings`);
export const putFeedbackSettings = (ws: string, body: FeedbackSettings) => request<FeedbackSettings>('PUT', `${base(ws)}/feedback/settings`, { body });

/** The delivery the send endpoint records (status "pending" until the job sends it). */
export interface SendResult {
  id: string;
  surveyId: string;
  channel: 'email';
  respondent: Respondent;
  status: string;
  reason: string | null;
  sendAt: string;
  sentAt: string | null;
}

/** Send the survey to one respondent by e-mail (the endpoint may not exist on older servers: 404 ROUTE_NOT_FOUND). */
export const sendSurvey = (ws: string, id: string, body: { respondent: Respondent; channel: 'email' }) =>
  request<SendResult>('POST', `${base(ws)}/surveys/${encodeURIComponent(id)}/send`, { body });

export const surveyKeys = {
  all: (ws: string) => ['surveys', ws] as const,
  list: (ws: string) => ['surveys', ws, 'list'] as const,
  one: (ws: string, id: string) => ['surveys', ws, 'one', id] as const,
  settings: (ws: string) => ['surveys', ws, 'settings'] as const,
};

// ---------------------------------------------------------------------------------------------
// Validation issues: the API answers 400 with details.issues [{path: "body.definition.questions.0.text.en", message}].

export interface Issue {
  /** Dotted path without the leading "body.", e.g. "definition.questions.0.text.en". */
  path: string;
  message: string;
}

export function issuesOf(details: unknown): Issue[] {
  if (typeof details !== 'object' || details === null) return [];
  const raw = (details as { issues?: unknown }).issues;
  if (!Array.isArray(raw)) return [];
  const out: Issue[] = [];
  for (const i of raw) {
    if (typeof i !== 'object' || i === null) continue;
    const { path, message } = i as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') continue;
    out.push({ path: path.replace(/^body\.?/, ''), message });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The live preview: the same localisation rules as src/modules/feedback/public/localize.ts.

/** Default wording where a survey gives none, per language the server ships (copied from localize.ts). */
export const DEFAULT_WORDING: Record<string, { why: string; thankYou: string; low: Record<string, string>; high: Record<string, string> }> = {
  en: { why: 'What is the main reason for your score?', thankYou: 'Thank you for your answer.', low: { nps: 'Not at all likely', csat: 'Very unsatisfied', ces: 'Strongly disagree' }, high: { nps: 'Extremely likely', csat: 'Very satisfied', ces: 'Strongly agree' } },
  fr: { why: 'Quelle est la raison principale de votre note ?', thankYou: 'Merci pour votre réponse.', low: { nps: 'Pas du tout probable', csat: 'Très insatisfait', ces: 'Pas du tout d’accord' }, high: { nps: 'Très probable', csat: 'Très satisfait', ces: 'Tout à fait d’accord' } },
  de: { why: 'Was ist der wichtigste Grund für Ihre Bewertung?', thankYou: 'Vielen Dank für Ihre Antwort.', low: { nps: 'Sehr unwahrscheinlich', csat: 'Sehr unzufrieden', ces: 'Stimme gar nicht zu' }, high: { nps: 'Sehr wahrscheinlich', csat: 'Sehr zufrieden', ces: 'Stimme voll zu' } },
  es: { why: '¿Cuál es el motivo principal de su puntuación?', thankYou: 'Gracias por su respuesta.', low: { nps: 'Nada probable', csat: 'Muy insatisfecho', ces: 'Totalmente en desacuerdo' }, high: { nps: 'Muy probable', csat: 'Muy satisfecho', ces: 'Totalmente de acuerdo' } },
  nl: { why: 'Wat is de belangrijkste reden voor uw score?', thankYou: 'Bedankt voor uw antwoord.', low: { nps: 'Zeer onwaarschijnlijk', csat: 'Zeer ontevreden', ces: 'Helemaal oneens' }, high: { nps: 'Zeer waarschijnlijk', csat: 'Zeer tevreden', ces: 'Helemaal eens' } },
};

export interface PreviewQuestion {
  id: string;
  type: QuestionType;
  text: string;
  required: boolean;
  scale: { min: number; max: number; lowLabel: string; highLabel: string } | null;
  followUp: string | null;
}

export interface PreviewSurvey {
  /** The language the respondent is shown (the default one when the wanted language is incomplete). */
  language: string;
  languages: string[];
  title: string | null;
  thankYou: string;
  questions: PreviewQuestion[];
  branding: Branding;
}

/** Every language the survey is fully written in (each question has it), the default first. */
export function fullLanguagesOf(definition: Pick<SurveyDefinition, 'questions' | 'defaultLanguage'>): string[] {
  const all = new Set<string>();
  for (const q of definition.questions) for (const [l, v] of Object.entries(q.text)) if (v.trim()) all.add(l);
  return [...all]
    .filter((l) => definition.questions.every((q) => (q.text[l] ?? '').trim() !== ''))
    .sort((a, b) => (a === definition.defaultLanguage ? -1 : b === definition.defaultLanguage ? 1 : a.localeCompare(b)));
}

/**
 * The survey as a respondent asking for `wanted` sees it: a language the survey is fully written
 * in, else the default language; missing wordings fall back as on the hosted page.
 * Empty strings (a field being typed) count as missing.
 */
export function previewSurvey(definition: SurveyDefinition, wanted: string, workspaceBranding: Branding = {}): PreviewSurvey {
  const languages = fullLanguagesOf(definition);
  const language = languages.includes(wanted) ? wanted : definition.defaultLanguage;
  const d = DEFAULT_WORDING[language] ?? (DEFAULT_WORDING.en as (typeof DEFAULT_WORDING)['en']);
  const get = (w: Wording | undefined, lang: string) => {
    const v = w?.[lang];
    return v && v.trim() ? v : undefined;
  };
  const pick = (w: Wording | undefined, fallback: string) => get(w, language) ?? fallback;
  const def = (w: Wording | undefined) => get(w, definition.defaultLanguage);
  const branding = { ...workspaceBranding };
  for (const [k, v] of Object.entries(definition.branding) as [keyof Branding, string | undefined][]) if (v) branding[k] = v;
  return {
    language,
    languages,
    title: definition.title && Object.values(definition.title).some((v) => v.trim()) ? pick(definition.title, def(definition.title) ?? '') : null,
    thankYou: pick(definition.thankYou, d.thankYou),
    branding,
    questions: definition.questions.map((q) => ({
      id: q.id,
      type: q.type,
      text: pick(q.text, def(q.text) ?? ''),
      required: q.required,
      scale: q.type !== 'text' ? { ...SCALES[q.type], lowLabel: pick(q.lowLabel, d.low[q.type] ?? ''), highLabel: pick(q.highLabel, d.high[q.type] ?? '') } : null,
      followUp: q.type === 'nps' ? pick(q.followUp, d.why) : null,
    })),
  };
}

/** WCAG contrast ratio of two "#rrggbb" colours (1–21). */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const n = parseInt(hex.slice(1), 16);
    const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (ch[0] ?? 0) + 0.7152 * (ch[1] ?? 0) + 0.0722 * (ch[2] ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
