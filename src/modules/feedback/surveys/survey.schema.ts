/**
 * Surveys as data: the one source of truth for their shape, on the API, in the store and in
 * the builder. Wording is per language (`{en: …, fr: …}`); a survey names its default
 * language, and every question carries at least that one.
 */
import { z } from 'zod';

export const QUESTION_TYPES = ['nps', 'csat', 'ces', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
/** The scored types, with their scale; a survey holds at most one question of each. */
export const SCALES = { nps: { min: 0, max: 10 }, csat: { min: 1, max: 5 }, ces: { min: 1, max: 7 } } as const;
export type Metric = keyof typeof SCALES;
export const METRICS = Object.keys(SCALES) as Metric[];
export const isMetric = (type: QuestionType): type is Metric => type !== 'text';

export const CHANNELS = ['link', 'email', 'widget', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
export const SURVEY_STATUSES = ['draft', 'active', 'closed'] as const;

const ZLanguage = z.string().regex(/^[a-z]{2}$/, 'a two-letter language code such as "en"');
/** Text in one or more languages. Short enough for a question, long enough for an intro. */
const ZWording = z.record(ZLanguage, z.string().trim().min(1).max(500));
export type Wording = z.infer<typeof ZWording>;

export const ZQuestion = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'lower-case letters, digits, "_" or "-", at most 32'),
  type: z.enum(QUESTION_TYPES),
  text: ZWording,
  /** NPS asks "why?" after the score, in these words (a default when absent); other types ignore it. */
  followUp: ZWording.optional(),
  required: z.boolean().default(false),
  /** Labels under the ends of a scale ("not at all likely" … "extremely likely"). */
  lowLabel: ZWording.optional(),
  highLabel: ZWording.optional(),
});
export type Question = z.infer<typeof ZQuestion>;

const ZColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as "#2f6fed"');
export const ZBranding = z.object({
  /** An https image URL (or a data: image) shown at the top of the page, widget and e-mail. */
  logoUrl: z
    .string()
    .max(100_000)
    .refine((u) => /^https:\/\/[^\s"'<>]+$/.test(u) || /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(u), 'an https:// URL or a data:image URL')
    .optional(),
  colour: ZColour.optional(),
  companyName: z.string().trim().min(1).max(100).optional(),
});
export type Branding = z.infer<typeof ZBranding>;

/** Who may be shown the widget and when; all conditions must hold. */
export const ZWidgetRules = z.object({
  /** URL path patterns where it may show; `*` matches anything (e.g. "/checkout/*"). Empty: every page. */
  pages: z.array(z.string().min(1).max(200)).max(20).default([]),
  /** Show after this tracked event name (`emptychair.track(name)` on the page); absent: on page load. */
  event: z.string().min(1).max(200).optional(),
  delaySeconds: z.number().int().min(0).max(3600).default(0),
  /** Share of eligible visitors who see it, 0–1. */
  sample: z.number().min(0).max(1).default(1),
});

/** Match on an incoming event: its name, and equality or comparison filters on properties. */
export const ZEventFilter = z.object({
  property: z.string().min(1).max(200),
  op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'exists', 'contains']),
  value: z.union([z.string().max(500), z.number(), z.boolean()]).optional(),
});
export type EventFilter = z.infer<typeof ZEventFilter>;

export const ZTrigger = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,32}$/),
  event: z.string().min(1).max(200),
  where: z.array(ZEventFilter).max(20).default([]),
  delayMinutes: z.number().int().min(0).max(60 * 24 * 30).default(0),
  channel: z.enum(['email']).default('email'),
  sample: z.number().min(0).max(1).default(1),
  enabled: z.boolean().default(true),
});
export type Trigger = z.infer<typeof ZTrigger>;

export const ZEmailSettings = z.object({
  subject: ZWording.optional(),
  /** Opening line above the scores; the first question's wording is used when absent. */
  intro: ZWording.optional(),
});

export const ZSurveyDefinition = z
  .object({
    defaultLanguage: ZLanguage.default('en'),
    title: ZWording.optional(),
    thankYou: ZWording.optional(),
    questions: z.array(ZQuestion).min(1).max(20),
    branding: ZBranding.default({}),
    widget: ZWidgetRules.default({ pages: [], delaySeconds: 0, sample: 1 }),
    email: ZEmailSettings.default({}),
    triggers: z.array(ZTrigger).max(20).default([]),
    /** Let the widget answer for a visitor known only by their anonymous id. */
    allowAnonymous: z.boolean().default(false),
  })
  .superRefine((d, ctx) => {
    const ids = new Set<string>();
    const metrics = new Set<string>();
    d.questions.forEach((q, i) => {
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `question id "${q.id}" is used twice` });
      ids.add(q.id);
      if (isMetric(q.type)) {
        if (metrics.has(q.type)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'type'], message: `a survey holds at most one ${q.type.toUpperCase()} question` });
        metrics.add(q.type);
      }
      for (const key of ['text', 'followUp', 'lowLabel', 'highLabel'] as const) {
        const w = q[key];
        if (w && w[d.defaultLanguage] === undefined) ctx.addIssue({ code: 'custom', path: ['questions', i, key], message: `needs the default language "${d.defaultLanguage}"` });
      }
    });
    const triggerIds = new Set<string>();
    d.triggers.forEach((t, i) => {
      if (triggerIds.has(t.id)) ctx.addIssue({ code: 'custom', path: ['triggers', i, 'id'], message: `trigger id "${t.id}" is used twice` });
      triggerIds.add(t.id);
    });
  });
export type SurveyDefinition = z.infer<typeof ZSurveyDefinition>;

export const ZSurveyInput = z.object({
  name: z.string().trim().min(1).max(200),
  definition: ZSurveyDefinition,
});
export const ZSurveyPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  definition: ZSurveyDefinition.optional(),
  status: z.enum(SURVEY_STATUSES).optional(),
});

export const ZSurvey = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(SURVEY_STATUSES),
  definition: ZSurveyDefinition,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Survey = z.infer<typeof ZSurvey>;

export const ZSurveyParams = z.object({ workspaceId: z.string().min(1), surveyId: z.string().min(1) });

/** Who a token speaks for: an identifier the identity graph knows (or will). */
export const ZRespondent = z.object({
  kind: z.enum(['user_id', 'email', 'anonymous_id']),
  value: z.string().trim().min(1).max(300),
});
export type Respondent = z.infer<typeof ZRespondent>;

/** One answer value: a score for scored questions, text for open ones. */
/** Whole numbers for scores and text for open questions; `checkAnswers` says which is which. */
export const ZAnswerValue = z.union([z.number(), z.string().max(1_100_000)]);
export const ZAnswers = z.record(z.string().max(40), ZAnswerValue);
export type Answers = z.infer<typeof ZAnswers>;
