/**
 * The builder's model: survey templates, the draft's wording "slots" (every translatable text),
 * what is missing in which language, cleaning a draft for the API, and mapping the API's
 * validation issues back to the field they name.
 */
import type { EventFilter, Issue, Question, QuestionType, SurveyDefinition, Trigger, Wording } from '../../../api/surveys';

// ---------------------------------------------------------------------------------------------
// Languages

/** Languages offered by "Add a language" (any two-letter code is valid for the API). */
export const LANGUAGE_CODES = ['en', 'fr', 'de', 'es', 'nl', 'it', 'pt', 'sv', 'da', 'nb', 'fi', 'pl', 'cs', 'ro', 'hu', 'el', 'tr', 'ru', 'uk', 'ar', 'he', 'hi', 'ja', 'ko', 'zh', 'id', 'th', 'vi'];

let displayNames: Intl.DisplayNames | null = null;
export function languageName(code: string): string {
  try {
    displayNames ??= new Intl.DisplayNames(['en'], { type: 'language' });
    const name = displayNames.of(code);
    return name && name !== code ? name : code;
  } catch {
    return code;
  }
}

// ---------------------------------------------------------------------------------------------
// Templates

export interface SurveyTemplate {
  key: string;
  label: string;
  description: string;
  name: string;
  definition: SurveyDefinition;
}

const base = (questions: Question[], extra: Partial<SurveyDefinition> = {}): SurveyDefinition => ({
  defaultLanguage: 'en',
  questions,
  branding: {},
  widget: { pages: [], delaySeconds: 0, sample: 1 },
  email: {},
  triggers: [],
  allowAnonymous: false,
  ...extra,
});

export const TEMPLATES: SurveyTemplate[] = [
  {
    key: 'nps',
    label: 'NPS with “why?”',
    description: 'Likelihood to recommend (0–10), then the reason for the score.',
    name: 'NPS survey',
    definition: base(
      [
        {
          id: 'nps',
          type: 'nps',
          text: { en: 'How likely are you to recommend us to a friend or colleague?' },
          followUp: { en: 'What is the main reason for your score?' },
          required: true,
        },
      ],
      { title: { en: 'We would love your feedback' } },
    ),
  },
  {
    key: 'csat',
    label: 'CSAT after support',
    description: 'Satisfaction with a support conversation (1–5), sent when a ticket is solved.',
    name: 'Support satisfaction',
    definition: base(
      [
        { id: 'csat', type: 'csat', text: { en: 'How satisfied were you with the help you received?' }, required: true },
        { id: 'better', type: 'text', text: { en: 'Is there anything we could have done better?' }, required: false },
      ],
      {
        title: { en: 'How did we do?' },
        email: { subject: { en: 'How did we do with your request?' } },
        triggers: [{ id: 'ticket-solved', event: 'Ticket Solved', where: [], delayMinutes: 60, channel: 'email', sample: 1, enabled: false }],
      },
    ),
  },
  {
    key: 'ces',
    label: 'Customer effort (CES)',
    description: 'How easy it was to get something done (1–7).',
    name: 'Customer effort',
    definition: base([{ id: 'ces', type: 'ces', text: { en: 'The company made it easy for me to handle my issue.' }, required: true }]),
  },
  {
    key: 'mix',
    label: 'Multi-question mix',
    description: 'NPS, satisfaction, effort and an open question in one survey.',
    name: 'Customer check-in',
    definition: base(
      [
        { id: 'nps', type: 'nps', text: { en: 'How likely are you to recommend us to a friend or colleague?' }, required: true },
        { id: 'csat', type: 'csat', text: { en: 'Overall, how satisfied are you with our product?' }, required: false },
        { id: 'ces', type: 'ces', text: { en: 'It is easy to get what I need done with our product.' }, required: false },
        { id: 'improve', type: 'text', text: { en: 'What should we improve first?' }, required: false },
      ],
      { title: { en: 'A few quick questions' } },
    ),
  },
];

export const QUESTION_TYPE_LABEL: Record<QuestionType, string> = {
  nps: 'NPS (0–10)',
  csat: 'CSAT (1–5)',
  ces: 'CES (1–7)',
  text: 'Open text',
};

/** A fresh question id not yet used: the type's name for scored types, else q1, q2… */
export function newQuestionId(questions: Question[], type: QuestionType): string {
  const used = new Set(questions.map((q) => q.id));
  if (type !== 'text' && !used.has(type)) return type;
  for (let n = questions.length + 1; ; n++) if (!used.has(`q${n}`)) return `q${n}`;
}

export function newTriggerId(triggers: Trigger[]): string {
  const used = new Set(triggers.map((t) => t.id));
  for (let n = triggers.length + 1; ; n++) if (!used.has(`trigger-${n}`)) return `trigger-${n}`;
}

// ---------------------------------------------------------------------------------------------
// Wording slots

export interface Slot {
  /** The definition path, as the API names it: "definition.questions.0.text". */
  path: string;
  label: string;
  get: (d: SurveyDefinition) => Wording | undefined;
}

export function slotsOf(d: SurveyDefinition): Slot[] {
  const slots: Slot[] = [
    { path: 'definition.title', label: 'Title', get: (x) => x.title },
  ];
  d.questions.forEach((q, i) => {
    const n = i + 1;
    slots.push({ path: `definition.questions.${i}.text`, label: `Question ${n} wording`, get: (x) => x.questions[i]?.text });
    if (q.type === 'nps') slots.push({ path: `definition.questions.${i}.followUp`, label: `Question ${n} follow-up`, get: (x) => x.questions[i]?.followUp });
    if (q.type !== 'text') {
      slots.push({ path: `definition.questions.${i}.lowLabel`, label: `Question ${n} low label`, get: (x) => x.questions[i]?.lowLabel });
      slots.push({ path: `definition.questions.${i}.highLabel`, label: `Question ${n} high label`, get: (x) => x.questions[i]?.highLabel });
    }
  });
  slots.push({ path: 'definition.thankYou', label: 'Thank-you message', get: (x) => x.thankYou });
  slots.push({ path: 'definition.email.subject', label: 'E-mail subject', get: (x) => x.email.subject });
  slots.push({ path: 'definition.email.intro', label: 'E-mail intro', get: (x) => x.email.intro });
  return slots;
}

const filled = (w: Wording | undefined, lang: string) => (w?.[lang] ?? '').trim() !== '';

/** Every language the draft uses anywhere, the default first. */
export function languagesUsed(d: SurveyDefinition): string[] {
  const all = new Set<string>([d.defaultLanguage]);
  for (const s of slotsOf(d)) for (const l of Object.keys(s.get(d) ?? {})) all.add(l);
  return [...all].sort((a, b) => (a === d.defaultLanguage ? -1 : b === d.defaultLanguage ? 1 : a.localeCompare(b)));
}

/** Wordings written in the default language but not in `lang`. */
export function missingIn(d: SurveyDefinition, lang: string): Slot[] {
  if (lang === d.defaultLanguage) return slotsOf(d).filter((s) => s.path.endsWith('.text') && !filled(s.get(d), lang));
  return slotsOf(d).filter((s) => filled(s.get(d), d.defaultLanguage) && !filled(s.get(d), lang));
}

// ---------------------------------------------------------------------------------------------
// Cleaning a draft for the API

/** Drop blank translations; keep a blank default-language question wording so the API names it. */
function cleanWording(w: Wording | undefined, keepLang?: string): Wording | undefined {
  if (!w) return undefined;
  const out: Wording = {};
  for (const [l, v] of Object.entries(w)) if (v.trim() !== '' || l === keepLang) out[l] = v;
  return Object.keys(out).length ? out : undefined;
}

function cleanValue(f: EventFilter): EventFilter {
  if (f.op === 'exists') return { property: f.property, op: f.op };
  const v = f.value;
  if (typeof v !== 'string') return f;
  const t = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return { ...f, value: Number(t) };
  if (f.op === 'eq' || f.op === 'neq') {
    if (t === 'true') return { ...f, value: true };
    if (t === 'false') return { ...f, value: false };
  }
  return { ...f, value: v };
}

export function cleanDefinition(d: SurveyDefinition): SurveyDefinition {
  const dl = d.defaultLanguage;
  const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
  return strip({
    ...d,
    title: cleanWording(d.title),
    thankYou: cleanWording(d.thankYou),
    questions: d.questions.map((q) =>
      strip({
        ...q,
        text: cleanWording(q.text, dl) ?? { [dl]: '' },
        followUp: q.type === 'nps' ? cleanWording(q.followUp) : undefined,
        lowLabel: q.type !== 'text' ? cleanWording(q.lowLabel) : undefined,
        highLabel: q.type !== 'text' ? cleanWording(q.highLabel) : undefined,
      }),
    ),
    branding: strip({ ...d.branding, logoUrl: d.branding.logoUrl?.trim(), companyName: d.branding.companyName?.trim() }),
    widget: strip({ ...d.widget, event: d.widget.event?.trim() }),
    email: strip({ subject: cleanWording(d.email.subject), intro: cleanWording(d.email.intro) }),
    triggers: d.triggers.map((t) => ({ ...t, where: t.where.map(cleanValue) })),
  });
}

// ---------------------------------------------------------------------------------------------
// Issues at fields

/** Messages of the issues at `path` or below it. */
export function issuesAt(issues: Issue[], path: string): string | undefined {
  const hits = issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`)).map((i) => i.message);
  return hits.length ? [...new Set(hits)].join('; ') : undefined;
}

/** An issue for a wording in one language: at that language, or at the wording itself. */
export function wordingIssue(issues: Issue[], path: string, lang: string): string | undefined {
  const hits = issues.filter((i) => i.path === `${path}.${lang}` || i.path === path).map((i) => i.message);
  return hits.length ? [...new Set(hits)].join('; ') : undefined;
}

/** "definition.questions.0.text.en" → "Question 1 · text · en". */
export function describePath(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'definition') parts.shift();
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] ?? '';
    const next = parts[i + 1];
    if ((p === 'questions' || p === 'triggers' || p === 'where' || p === 'pages') && next !== undefined && /^\d+$/.test(next)) {
      const name = { questions: 'Question', triggers: 'Trigger', where: 'filter', pages: 'page' }[p];
      out.push(`${name} ${Number(next) + 1}`);
      i++;
    } else out.push(p);
  }
  return out.join(' · ') || 'survey';
}
