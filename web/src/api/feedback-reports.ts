/**
 * The feedback reports API: the response stream (and its CSV), trends with a 95 % band, themes
 * and the KPI summary. Types mirror src/modules/feedback/reports/report.schema.ts.
 */
import { request } from './client';

export type Metric = 'nps' | 'csat' | 'ces';
export const METRICS: Metric[] = ['nps', 'csat', 'ces'];
export type Period = 'day' | 'week' | 'month';
export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export type Category = 'promoter' | 'passive' | 'detractor' | 'satisfied' | 'neutral' | 'dissatisfied';

export interface ResponseFilters {
  survey?: string;
  /** ISO date (YYYY-MM-DD); `to` includes that whole day. */
  from?: string;
  to?: string;
  metric?: Metric;
  minScore?: number;
  maxScore?: number;
  category?: Category;
  theme?: string;
  sentiment?: SentimentLabel;
  /** Customer traits as `trait:value` (e.g. `plan:pro`), ANDed; at most 5. */
  segment?: string[];
}

export interface ResponseItem {
  id: string;
  surveyId: string;
  surveyName: string | null;
  channel: string;
  respondent: { kind: string; value: string };
  customerId: string | null;
  scores: Record<Metric, number | null>;
  categories: Record<Metric, Category | null>;
  comment: string | null;
  commentTruncated: boolean;
  commentLength: number;
  sentiment: { score: number; label: SentimentLabel } | null;
  themes: string[];
  complete: boolean;
  language: string;
  createdAt: string;
  updatedAt: string;
}

export interface ResponsePage {
  responses: ResponseItem[];
  nextCursor: string | null;
}

export interface Summary {
  metric: Metric;
  n: number;
  value: number | null;
  low: number | null;
  high: number | null;
  mean: number | null;
}

export interface TrendPoint {
  start: string;
  n: number;
  value: number | null;
  low: number | null;
  high: number | null;
  mean: number | null;
}

export interface Trend {
  metric: Metric;
  period: Period;
  from: string;
  to: string;
  points: TrendPoint[];
  overall: Summary;
}

export interface ThemeItem {
  theme: string;
  count: number;
  share: number;
  meanSentiment: number | null;
  previousCount: number;
  previousShare: number;
  trend: 'up' | 'down' | 'flat' | 'new';
  examples: { responseId: string; comment: string; createdAt: string }[];
}

export interface Themes {
  from: string;
  to: string;
  commented: number;
  previousCommented: number;
  themes: ThemeItem[];
}

export interface SummaryReport {
  from: string;
  to: string;
  responses: number;
  nps: Summary;
  csat: Summary;
  ces: Summary;
}

export interface RangeFilters {
  survey?: string;
  from?: string;
  to?: string;
  segment?: string[];
}

/** At most this many segment conditions (the API refuses more). */
export const MAX_SEGMENT_CONDITIONS = 5;
/** A trait key as the API accepts it. */
export const TRAIT_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

const base = (ws: string) => `/api/workspaces/${encodeURIComponent(ws)}/feedback`;

type Query = Record<string, string | number | undefined>;
/** Every filter but `segment`, which repeats and so travels in the path's own query string. */
const query = (f: ResponseFilters | RangeFilters): Query => {
  const { segment: _segment, ...rest } = f;
  return { ...rest };
};
/** `path?segment=plan%3Apro&segment=…` (the client appends the other parameters with `&`). */
const withSegment = (path: string, f: ResponseFilters | RangeFilters): string => {
  const params = new URLSearchParams();
  for (const s of f.segment ?? []) params.append('segment', s);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
};

export const feedbackReportsApi = {
  responses: (ws: string, f: ResponseFilters, cursor: string | null, limit: number, signal?: AbortSignal) =>
    request<ResponsePage>('GET', withSegment(`${base(ws)}/responses`, f), { query: { ...query(f), cursor: cursor ?? undefined, limit }, signal }),
  trend: (ws: string, metric: Metric, period: Period, f: RangeFilters, signal?: AbortSignal) =>
    request<Trend>('GET', withSegment(`${base(ws)}/trends`, f), { query: { ...query(f), metric, period }, signal }),
  themes: (ws: string, f: RangeFilters, signal?: AbortSignal) => request<Themes>('GET', withSegment(`${base(ws)}/themes`, f), { query: query(f), signal }),
  summary: (ws: string, f: RangeFilters, signal?: AbortSignal) => request<SummaryReport>('GET', withSegment(`${base(ws)}/summary`, f), { query: query(f), signal }),
};

/** The CSV download's address for the same filters (a plain GET: the session cookie authorises it). */
export function responsesCsvUrl(ws: string, f: ResponseFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query(f))) if (v !== undefined && v !== '') params.set(k, String(v));
  for (const s of f.segment ?? []) params.append('segment', s);
  const qs = params.toString();
  return `${base(ws)}/responses.csv${qs ? `?${qs}` : ''}`;
}

export const feedbackReportKeys = {
  all: (ws: string) => ['feedback-reports', ws] as const,
  responses: (ws: string, f: ResponseFilters) => ['feedback-reports', ws, 'responses', f] as const,
  trend: (ws: string, metric: Metric, period: Period, f: RangeFilters) => ['feedback-reports', ws, 'trend', metric, period, f] as const,
  themes: (ws: string, f: RangeFilters) => ['feedback-reports', ws, 'themes', f] as const,
  summary: (ws: string, f: RangeFilters) => ['feedback-reports', ws, 'summary', f] as const,
};
