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
