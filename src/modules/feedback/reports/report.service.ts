/**
 * Use cases of the feedback reports: the response stream (and its CSV), trends with a 95 %
 * band per period, themes against the previous equal-length range, and the KPI summary.
 * Every range is [from, to) in epoch ms, UTC.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { AppError } from '../../../platform/errors.js';
import { customerIdsOf, identifierKey } from '../../customers/index.js';
import type { FeedbackDeps } from '../deps.js';
import { themesOfResponses } from '../responses/response.store.js';
import { categoryOf, summarise, type ScoreCounts, type Summary } from '../metrics/scores.js';
import { SCALES, type Metric } from '../surveys/survey.schema.js';
import {
  isDateOnly,
  parseIsoInstant,
  type Period,
  type RangeQuery,
  type ResponseFilterQuery,
  type ResponseItem,
  type ResponseListQuery,
  type SummaryReport,
  type Themes,
  type Trend,
  type TrendQuery,
} from './report.schema.js';
import {
  commentedCount,
  DAY_MS,
  dailyScoreCounts,
  responsePage,
  scoreCounts,
  themeCounts,
  themeExamples,
  type Keyset,
  type RangeFilter,
  type ResponseFilters,
  type ResponseListRow,
} from './report.store.js';

/** Comments longer than this are cut in the list (the CSV has them whole). */
export const LIST_COMMENT_CHARS = 2000;
/** Example quotes are comments at most this long. */
export const QUOTE_CHARS = 280;
const QUOTES_PER_THEME = 3;
const MAX_THEMES = 50;
/** At most this many points in one trend (e.g. 400 days). */
export const MAX_TREND_POINTS = 400;
const CSV_PAGE = 1000;
const DEFAULT_DAYS = 30;
const DEFAULT_TREND_DAYS: Record<Period, number> = { day: 30, week: 26 * 7, month: 365 };

const invalid = (message: string, path: string): AppError => new AppError('VALIDATION_FAILED', message, { issues: [{ path: [path], message }] });

/** End of a range: a date-only `to` includes that day; absent, the end of today (UTC). */
function rangeEnd(to: string | undefined, now: number): number {
  if (to === undefined) return Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  const at = parseIsoInstant(to);
  return isDateOnly(to) ? at + DAY_MS : at;
}

export function resolveRange(q: { from?: string | undefined; to?: string | undefined }, now: number, defaultDays = DEFAULT_DAYS): { from: number; to: number } {
  const to = rangeEnd(q.to, now);
  const from = q.from === undefined ? to - defaultDays * DAY_MS : parseIsoInstant(q.from);
  if (from >= to) throw invalid('the range is empty: from must be before to', 'from');
  return { from, to };
}

/** Score bounds of a category on a metric's scale. */
function categoryBounds(metric: Metric, category: string): { min: number; max: number } {
  const { min, max } = SCALES[metric];
  if (metric === 'nps') return category === 'promoter' ? { min: 9, max } : category === 'passive' ? { min: 7, max: 8 } : { min, max: 6 };
  const top = metric === 'csat' ? 4 : 5;
  return category === 'satisfied' ? { min: top, max } : category === 'neutral' ? { min: top - 1, max: top - 1 } : { min, max: top - 2 };
}

export function responseFilters(workspaceId: string, q: ResponseFilterQuery): ResponseFilters {
  const metric = q.metric ?? (q.category ? 'nps' : undefined);
  let minScore = q.minScore;
  let maxScore = q.maxScore;
  if (metric && q.category) {
    const b = categoryBounds(metric, q.category);
    minScore = Math.max(minScore ?? b.min, b.min);
    maxScore = Math.min(maxScore ?? b.max, b.max);
  }
  return {
    workspaceId,
    surveyId: q.survey,
    from: q.from === undefined ? undefined : parseIsoInstant(q.from),
    to: q.to === undefined ? undefined : rangeEnd(q.to, 0),
    metric,
    minScore,
    maxScore,
    theme: q.theme,
    sentiment: q.sentiment,
    segment: q.segment,
  };
}

const encodeCursor = (k: Keyset): string => Buffer.from(JSON.stringify([k.createdAt, k.id])).toString('base64url');

function decodeCursor(cursor: string): Keyset {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof createdAt === 'number' && Number.isSafeInteger(createdAt) && typeof id === 'string' && id.length <= 64) return { createdAt, id };
  } catch {
    // fall through
  }
  throw invalid('cursor is not a nextCursor from this listing', 'cursor');
}

const iso = (ms: number): string => new Date(ms).toISOString();

function categories(row: { nps: number | null; csat: number | null; ces: number | null }): ResponseItem['categories'] {
  return {
    nps: row.nps === null ? null : categoryOf('nps', row.nps),
    csat: row.csat === null ? null : categoryOf('csat', row.csat),
    ces: row.ces === null ? null : categoryOf('ces', row.ces),
  };
}

async function decorate(deps: FeedbackDeps, workspaceId: string, rows: ResponseListRow[], commentChars: number | undefined): Promise<ResponseItem[]> {
  const [themes, customers] = await Promise.all([
    themesOfResponses(deps.store.db, workspaceId, rows.map((r) => r.id)),
    customerIdsOf(
      deps.store.db,
      workspaceId,
      rows.map((r) => ({ kind: r.respondent_kind, value: r.respondent_value })),
    ),
  ]);
  return rows.map((r) => {
    const length = r.comment_length ?? 0;
    return {
      id: r.id,
      surveyId: r.survey_id,
      surveyName: r.survey_name,
      channel: r.channel,
      respondent: { kind: r.respondent_kind, value: r.respondent_value },
      customerId: customers.get(identifierKey(r.respondent_kind, r.respondent_value)) ?? null,
      scores: { nps: r.nps, csat: r.csat, ces: r.ces },
      categories: categories(r),
      comment: r.comment,
      commentTruncated: commentChars !== undefined && length > commentChars,
      commentLength: length,
      sentiment: r.sentiment === null || r.sentiment_label === null ? null : { score: r.sentiment, label: r.sentiment_label as 'negative' | 'neutral' | 'positive' },
      themes: themes.get(r.id) ?? [],
      complete: r.complete === 1,
      language: r.language,
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
    };
  });
}

export async function listResponses(deps: FeedbackDeps, workspaceId: string, q: ResponseListQuery): Promise<{ responses: ResponseItem[]; nextCursor: string | null }> {
  const before = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  const rows = await responsePage(deps.store.db, responseFilters(workspaceId, q), q.limit + 1, before, LIST_COMMENT_CHARS);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    responses: await decorate(deps, workspaceId, page, LIST_COMMENT_CHARS),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return) as a
 * formula; text that customers wrote is prefixed with an apostrophe (OWASP: CSV injection).
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export const CSV_COLUMNS = [
  'created_at',
  'response_id',
  'survey_id',
  'survey_name',
  'channel',
  'respondent_kind',
  'respondent',
  'customer_id',
  'nps',
  'csat',
  'ces',
  'comment',
  'sentiment',
  'sentiment_label',
  'themes',
  'complete',
  'language',
] as const;

function csvRow(r: ResponseItem): (string | number | null)[] {
  const text = (v: string | null): string => (v === null ? '' : neutraliseFormula(v));
  return [
    r.createdAt,
    r.id,
    text(r.surveyId),
    text(r.surveyName),
    r.channel,
    r.respondent.kind,
    text(r.respondent.value),
    r.customerId ?? '',
    r.scores.nps,
    r.scores.csat,
    r.scores.ces,
    text(r.comment),
    r.sentiment ? Number(r.sentiment.score.toFixed(4)) : null,
    r.sentiment?.label ?? '',
    text(r.themes.join('; ')),
    r.complete ? 'true' : 'false',
    r.language,
  ];
}

/** Every matching response as CSV, newest first, read page by page as the client takes it. */
export function responsesCsv(deps: FeedbackDeps, workspaceId: string, q: ResponseFilterQuery): Readable {
  const filters = responseFilters(workspaceId, q);
  async function* pages(): AsyncGenerator<(string | number | null)[]> {
    let before: Keyset | undefined;
    for (;;) {
      const rows = await responsePage(deps.store.db, filters, CSV_PAGE, before);
      for (const item of await decorate(deps, workspaceId, rows, undefined)) yield csvRow(item);
      const last = rows[rows.length - 1];
      if (rows.length < CSV_PAGE || !last) return;
      before = { createdAt: last.created_at, id: last.id };
    }
  }
  const source = Readable.from(pages());
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS], bom: false, cast: { number: (v) => String(v) } });
  source.on('error', (err) => csv.destroy(err));
  return source.pipe(csv);
}

/** A file name made only of safe characters: `responses-<survey>-<date>.csv`. */
export function csvFileName(surveyName: string | undefined, now: number): string {
  const slug = (surveyName ?? '')
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `responses-${slug ? `${slug}-` : ''}${iso(now).slice(0, 10)}.csv`;
}

/** The first instant of the period holding UTC day `day` (days since the epoch). */
export function periodStart(period: Period, day: number): number {
  if (period === 'day') return day * DAY_MS;
  if (period === 'week') return (day - ((day + 3) % 7)) * DAY_MS; // 1970-01-01 was a Thursday; weeks start on Monday.
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextPeriod(period: Period, start: number): number {
  if (period === 'day') return start + DAY_MS;
  if (period === 'week') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export async function trend(deps: FeedbackDeps, workspaceId: string, q: TrendQuery): Promise<Trend> {
  const range = resolveRange(q, deps.clock.now(), DEFAULT_TREND_DAYS[q.period]);
  // Whole periods: the first one starts at its own beginning, not mid-week.
  const from = periodStart(q.period, Math.floor(range.from / DAY_MS));
  const starts: number[] = [];
  for (let s = from; s < range.to; s = nextPeriod(q.period, s)) {
    starts.push(s);
    if (starts.length > MAX_TREND_POINTS) throw invalid(`at most ${MAX_TREND_POINTS} ${q.period}s in one trend: choose a longer period or a shorter range`, 'from');
  }
  const filter: RangeFilter = { workspaceId, surveyId: q.survey, segment: q.segment, from, to: range.to };
  const rows = await dailyScoreCounts(deps.store.db, filter, q.metric);
  const perPeriod = new Map<number, ScoreCounts>();
  const all: ScoreCounts = {};
  for (const r of rows) {
    const start = periodStart(q.period, r.day);
    let counts = perPeriod.get(start);
    if (!counts) perPeriod.set(start, (counts = {}));
    counts[r.score] = (counts[r.score] ?? 0) + r.n;
    all[r.score] = (all[r.score] ?? 0) + r.n;
  }
  const points = starts.map((start) => {
    const s = summarise(q.metric, perPeriod.get(start) ?? {});
    return { start: iso(start), n: s.n, value: s.value, low: s.low, high: s.high, mean: s.mean };
  });
  return { metric: q.metric, period: q.period, from: iso(from), to: iso(range.to), points, overall: summarise(q.metric, all) };
}

export async function summary(deps: FeedbackDeps, workspaceId: string, q: RangeQuery): Promise<SummaryReport> {
  const range = resolveRange(q, deps.clock.now());
  const { responses, counts } = await scoreCounts(deps.store.db, { workspaceId, surveyId: q.survey, segment: q.segment, ...range });
  const s = (m: Metric): Summary => summarise(m, counts[m]);
  return { from: iso(range.from), to: iso(range.to), responses, nps: s('nps'), csat: s('csat'), ces: s('ces') };
}

/** Share change (in points of share) below which a theme counts as flat. */
const FLAT_SHARE = 0.02;

export async function themes(deps: FeedbackDeps, workspaceId: string, q: RangeQuery): Promise<Themes> {
  const range = resolveRange(q, deps.clock.now());
  const length = range.to - range.from;
  const current: RangeFilter = { workspaceId, surveyId: q.survey, segment: q.segment, ...range };
  const previous: RangeFilter = { workspaceId, surveyId: q.survey, segment: q.segment, from: range.from - length, to: range.from };
  const db = deps.store.db;
  const [now, before, commented, previousCommented] = await Promise.all([
    themeCounts(db, current, true),
    themeCounts(db, previous, false),
    commentedCount(db, current),
    commentedCount(db, previous),
  ]);
  const top = now.sort((a, b) => b.n - a.n || a.theme.localeCompare(b.theme)).slice(0, MAX_THEMES);
  const examples = await themeExamples(db, current, top.map((t) => t.theme), QUOTES_PER_THEME, QUOTE_CHARS);
  const prior = new Map(before.map((t) => [t.theme, t.n]));
  const share = (n: number, of: number) => (of > 0 ? n / of : 0);
  return {
    from: iso(range.from),
    to: iso(range.to),
    commented,
    previousCommented,
    themes: top.map((t) => {
      const previousCount = prior.get(t.theme) ?? 0;
      const s = share(t.n, commented);
      const p = share(previousCount, previousCommented);
      return {
        theme: t.theme,
        count: t.n,
        share: s,
        meanSentiment: t.sentiment,
        previousCount,
        previousShare: p,
        trend: previousCount === 0 ? 'new' : s - p > FLAT_SHARE ? 'up' : p - s > FLAT_SHARE ? 'down' : 'flat',
        examples: examples.filter((e) => e.theme === t.theme).map((e) => ({ responseId: e.response_id, comment: e.comment, createdAt: iso(e.created_at) })),
      };
    }),
  };
}
