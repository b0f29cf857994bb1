/**
 * The reads behind the response stream, trends, themes and the KPI summary: written once with
 * Kysely for both dialects. Periods are bucketed by whole UTC days in SQL (integer division of
 * the epoch-ms `created_at`, the same on SQLite and PostgreSQL) and folded into weeks or months
 * in JS, so the database returns at most days × scale points, never one row per answer.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { inValues, unindexed, type Database, type DialectName } from '../../../store/index.js';
import { segmentIdentifiers, type SegmentMembers, type TraitCondition } from '../../customers/index.js';
import { SCALES, ZRespondent, type Metric } from '../surveys/survey.schema.js';

export const DAY_MS = 86_400_000;

/** What narrows the response stream (and its CSV); ranges are [from, to). */
export interface ResponseFilters {
  workspaceId: string;
  surveyId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  metric?: Metric | undefined;
  minScore?: number | undefined;
  maxScore?: number | undefined;
  theme?: string | undefined;
  sentiment?: string | undefined;
  /** Only respondents whose customer has all these traits. */
  segment?: readonly TraitCondition[] | undefined;
}

/**
 * `survey_responses` rows whose respondent belongs to a customer of the segment: a semi-join on
 * the respondent as the graph keys it, against the segment's identifiers (computed once by the
 * database, not per row), so pages, counts and CSV are all filtered in SQL.
 */
function inSegment(db: Kysely<Database>, workspaceId: string, segment: readonly TraitCondition[]): Expression<SqlBool> {
  return sql<SqlBool>`(survey_responses.respondent_kind, survey_responses.respondent_key) in (${segmentIdentifiers(db, workspaceId, segment)})`;
}

const hasSegment = (segment: readonly TraitCondition[] | undefined): segment is readonly TraitCondition[] => segment !== undefined && segment.length > 0;

type ResponsesEb = ExpressionBuilder<Database, 'survey_responses'>;

function filterExpression(db: Kysely<Database>, eb: ResponsesEb, f: ResponseFilters): Expression<SqlBool> {
  const conds: Expression<SqlBool>[] = [eb('survey_responses.workspace_id', '=', f.workspaceId)];
  if (hasSegment(f.segment)) conds.push(inSegment(db, f.workspaceId, f.segment));
  if (f.surveyId !== undefined) conds.push(eb('survey_responses.survey_id', '=', f.surveyId));
  if (f.from !== undefined) conds.push(eb('survey_responses.created_at', '>=', f.from));
  if (f.to !== undefined) conds.push(eb('survey_responses.created_at', '<', f.to));
  if (f.metric !== undefined) {
    const column = `survey_responses.${f.metric}` as const;
    conds.push(eb(column, 'is not', null));
    if (f.minScore !== undefined) conds.push(eb(column, '>=', f.minScore));
    if (f.maxScore !== undefined) conds.push(eb(column, '<=', f.maxScore));
  }
  if (f.sentiment !== undefined) conds.push(eb('survey_responses.sentiment_label', '=', f.sentiment));
  if (f.theme !== undefined) {
    conds.push(
      eb.exists(
        eb
          .selectFrom('response_themes')
          .select(sql.lit(1).as('one'))
          .whereRef('response_themes.workspace_id', '=', 'survey_responses.workspace_id')
          .whereRef('response_themes.response_id', '=', 'survey_responses.id')
          .where('response_themes.theme', '=', f.theme),
      ),
    );
  }
  return eb.and(conds);
}

export interface ResponseListRow {
  id: string;
  survey_id: string;
  survey_name: string | null;
  channel: string;
  respondent_kind: string;
  respondent_value: string;
  language: string;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
  comment_length: number | null;
  sentiment: number | null;
  sentiment_label: string | null;
  complete: number;
  created_at: number;
  updated_at: number;
}

export interface Keyset {
  createdAt: number;
  id: string;
}

/**
 * One page of responses, newest first, after `before` (exclusive). `commentChars` cuts the
 * comment in SQL, so a page of 1 MB pastes costs what a page of short ones does.
 */
export async function responsePage(db: Kysely<Database>, f: ResponseFilters, limit: number, before: Keyset | undefined, commentChars?: number): Promise<ResponseListRow[]> {
  const comment = commentChars === undefined ? sql<string | null>`survey_responses.comment` : sql<string | null>`substr(survey_responses.comment, 1, ${sql.lit(commentChars)})`;
  const rows = await db
    .selectFrom('survey_responses')
    .leftJoin('surveys', (join) => join.onRef('surveys.workspace_id', '=', 'survey_responses.workspace_id').onRef('surveys.id', '=', 'survey_responses.survey_id'))
    .select([
      'survey_responses.id',
      'survey_responses.survey_id',
      'surveys.name as survey_name',
      'survey_responses.channel',
      'survey_responses.respondent_kind',
      'survey_responses.respondent_value',
      'survey_responses.language',
      'survey_responses.nps',
      'survey_responses.csat',
      'survey_responses.ces',
      comment.as('comment'),
      sql<number | null>`length(survey_responses.comment)`.as('comment_length'),
      'survey_responses.sentiment',
      'survey_responses.sentiment_label',
      'survey_responses.complete',
      'survey_responses.created_at',
      'survey_responses.updated_at',
    ])
    .where((eb) => filterExpression(db, eb, f))
    .$if(before !== undefined, (q) =>
      q.where((eb) => {
        const k = before as Keyset;
        // `created_at <= x` first: an index range, where a bare OR would scan from the start each page.
        return eb.and([
          eb('survey_responses.created_at', '<=', k.createdAt),
          eb.or([eb('survey_responses.created_at', '<', k.createdAt), eb('survey_responses.id', '<', k.id)]),
        ]);
      }),
    )
    .orderBy('survey_responses.created_at', 'desc')
    .orderBy('survey_responses.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at), updated_at: Number(r.updated_at), comment_length: r.comment_length === null ? null : Number(r.comment_length) }));
}

export interface RangeFilter {
  workspaceId: string;
  surveyId?: string | undefined;
  from: number;
  to: number;
  segment?: readonly TraitCondition[] | undefined;
}

/** How many answers gave each score of `metric`, per UTC day (days since the epoch). */
export async function dailyScoreCounts(db: Kysely<Database>, r: RangeFilter, metric: Metric): Promise<{ day: number; score: number; n: number }[]> {
  const column = sql.ref(`survey_responses.${metric}`);
  const day = sql<number>`survey_responses.created_at / ${sql.lit(DAY_MS)}`;
  const rows = await db
    .selectFrom('survey_responses')
    .select([day.as('day'), sql<number>`${column}`.as('score'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('survey_responses.workspace_id', '=', r.workspaceId)
    .$if(r.surveyId !== undefined, (q) => q.where('survey_responses.survey_id', '=', r.surveyId as string))
    .where('survey_responses.created_at', '>=', r.from)
    .where('survey_responses.created_at', '<', r.to)
    .where(`survey_responses.${metric}`, 'is not', null)
    .$if(hasSegment(r.segment), (q) => q.where(inSegment(db, r.workspaceId, r.segment ?? [])))
    .groupBy([sql`1`, sql`2`])
    .execute();
  return rows.map((x) => ({ day: Math.floor(Number(x.day)), score: Number(x.score), n: Number(x.n) }));
}

/** The respondents' kinds (ZRespondent): a segment's other identifiers (record ids) answer nothing. */
const RESPONDENT_KINDS = ZRespondent.shape.kind.options;

/**
 * Probing the answers of one identifier costs about as much as reading this many answers of a
 * range (measured on the insight-home bench: ~22 µs against ~3 µs).
 */
const PROBE_COST_IN_ROWS = 8;

/**
 * Answers per UTC day and score combination of the respondents of an evaluated segment, for
 * every metric at once. Two plans: read the range's answers and keep the segment's (cost follows
 * the period), or probe each identifier's answers (respondent_key_idx; cost follows the segment);
 * with `answersInRange` (the rollups know it) the cheaper one is taken, else the planner's.
 */
export async function segmentScoreDays(
  db: Kysely<Database>,
  dialect: DialectName,
  r: Omit<RangeFilter, 'segment'> & { answersInRange?: number },
  members: SegmentMembers,
): Promise<{ day: number; nps: number | null; csat: number | null; ces: number | null; n: number }[]> {
  const out: { day: number; nps: number | null; csat: number | null; ces: number | null; n: number }[] = [];
  const day = sql<number>`survey_responses.created_at / ${sql.lit(DAY_MS)}`;
  const identifiers = RESPONDENT_KINDS.reduce((n, kind) => n + (members.byKind.get(kind)?.length ?? 0), 0);
  const probe = r.answersInRange !== undefined && identifiers * PROBE_COST_IN_ROWS < r.answersInRange;
  const createdAt = probe ? unindexed<number>('survey_responses.created_at') : sql.ref<number>('survey_responses.created_at');
  for (const kind of RESPONDENT_KINDS) {
    const keys = members.byKind.get(kind);
    if (!keys || keys.length === 0) continue;
    const rows = await db
      .selectFrom('survey_responses')
      .select([day.as('day'), 'nps', 'csat', 'ces', (eb) => eb.fn.countAll<number>().as('n')])
      .where('workspace_id', '=', r.workspaceId)
      .where('respondent_kind', '=', kind)
      .where(inValues(dialect, 'survey_responses.respondent_key', keys))
      .where(createdAt, '>=', r.from)
      .where(createdAt, '<', r.to)
      .$if(r.surveyId !== undefined, (q) => q.where('survey_id', '=', r.surveyId as string))
      .groupBy([sql`1`, 'nps', 'csat', 'ces'])
      .execute();
    for (const x of rows) out.push({ day: Math.floor(Number(x.day)), nps: num(x.nps), csat: num(x.csat), ces: num(x.ces), n: Number(x.n) });
  }
  return out;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/**
 * How many answers gave each score of each metric in the range, in one scan: a conditional
 * sum per score (23 in all) rather than a GROUP BY, which both dialects would sort.
 */
export async function scoreCounts(db: Kysely<Database>, r: RangeFilter): Promise<{ responses: number; counts: Record<Metric, Record<number, number>> }> {
  const columns = (['nps', 'csat', 'ces'] as const).flatMap((m) => {
    const { min, max } = SCALES[m];
    return Array.from({ length: max - min + 1 }, (_, i) => min + i).map((s) => sql<number | null>`sum(case when ${sql.ref(`survey_responses.${m}`)} = ${sql.lit(s)} then 1 else 0 end)`.as(`${m}_${s}`));
  });
  const row = (await db
    .selectFrom('survey_responses')
    .select([(eb) => eb.fn.countAll<number>().as('responses'), ...columns])
    .where('workspace_id', '=', r.workspaceId)
    .$if(r.surveyId !== undefined, (q) => q.where('survey_id', '=', r.surveyId as string))
    .where('created_at', '>=', r.from)
    .where('created_at', '<', r.to)
    .$if(hasSegment(r.segment), (q) => q.where(inSegment(db, r.workspaceId, r.segment ?? [])))
    .executeTakeFirst()) as Record<string, unknown> | undefined;
  const counts: Record<Metric, Record<number, number>> = { nps: {}, csat: {}, ces: {} };
  for (const m of ['nps', 'csat', 'ces'] as const) {
    for (let s = SCALES[m].min; s <= SCALES[m].max; s++) {
      const n = Number(row?.[`${m}_${s}`] ?? 0);
      if (n > 0) counts[m][s] = n;
    }
  }
  return { responses: Number(row?.responses ?? 0), counts };
}

export async function commentedCount(db: Kysely<Database>, r: RangeFilter): Promise<number> {
  const row = await db
    .selectFrom('survey_responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', r.workspaceId)
    .$if(r.surveyId !== undefined, (q) => q.where('survey_id', '=', r.surveyId as string))
    .where('created_at', '>=', r.from)
    .where('created_at', '<', r.to)
    .where('comment', 'is not', null)
    .$if(hasSegment(r.segment), (q) => q.where(inSegment(db, r.workspaceId, r.segment ?? [])))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Per theme in the range: how many responses carry it, and their mean sentiment. */
export async function themeCounts(db: Kysely<Database>, r: RangeFilter, withSentiment: boolean): Promise<{ theme: string; n: number; sentiment: number | null }[]> {
  const base = db
    .selectFrom('response_themes')
    .where('response_themes.workspace_id', '=', r.workspaceId)
    .$if(r.surveyId !== undefined, (q) => q.where('response_themes.survey_id', '=', r.surveyId as string))
    .where('response_themes.created_at', '>=', r.from)
    .where('response_themes.created_at', '<', r.to);
  if (!withSentiment && !hasSegment(r.segment)) {
    const rows = await base.select(['response_themes.theme', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('response_themes.theme').execute();
    return rows.map((x) => ({ theme: x.theme, n: Number(x.n), sentiment: null }));
  }
  const rows = await base
    .innerJoin('survey_responses', (join) =>
      join.onRef('survey_responses.workspace_id', '=', 'response_themes.workspace_id').onRef('survey_responses.id', '=', 'response_themes.response_id'),
    )
    .select(['response_themes.theme', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.avg<number | null>('survey_responses.sentiment').as('sentiment')])
    .$if(hasSegment(r.segment), (q) => q.where(inSegment(db, r.workspaceId, r.segment ?? [])))
    .groupBy('response_themes.theme')
    .execute();
  return rows.map((x) => ({ theme: x.theme, n: Number(x.n), sentiment: !withSentiment || x.sentiment === null ? null : Number(x.sentiment) }));
}

/** The newest `perTheme` short comments (at most `maxChars`) of each theme, in one query. */
export async function themeExamples(
  db: Kysely<Database>,
  r: RangeFilter,
  themes: string[],
  perTheme: number,
  maxChars: number,
): Promise<{ theme: string; response_id: string; comment: string; created_at: number }[]> {
  if (themes.length === 0) return [];
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('response_themes')
        .innerJoin('survey_responses', (join) =>
          join.onRef('survey_responses.workspace_id', '=', 'response_themes.workspace_id').onRef('survey_responses.id', '=', 'response_themes.response_id'),
        )
        .select([
          'response_themes.theme',
          'response_themes.response_id',
          'survey_responses.comment',
          'response_themes.created_at',
          sql<number>`row_number() over (partition by response_themes.theme order by response_themes.created_at desc, response_themes.response_id desc)`.as('rn'),
        ])
        .where('response_themes.workspace_id', '=', r.workspaceId)
        .$if(r.surveyId !== undefined, (q) => q.where('response_themes.survey_id', '=', r.surveyId as string))
        .where('response_themes.created_at', '>=', r.from)
        .where('response_themes.created_at', '<', r.to)
        .where('response_themes.theme', 'in', themes)
        .where('survey_responses.comment', 'is not', null)
        .where(sql<boolean>`length(survey_responses.comment) <= ${sql.lit(maxChars)}`)
        .$if(hasSegment(r.segment), (q) => q.where(inSegment(db, r.workspaceId, r.segment ?? [])))
        .as('x'),
    )
    .select(['x.theme', 'x.response_id', 'x.comment', 'x.created_at'])
    .where('x.rn', '<=', perTheme)
    .orderBy('x.theme')
    .orderBy('x.rn')
    .execute();
  return rows.map((x) => ({ theme: x.theme, response_id: x.response_id, comment: x.comment ?? '', created_at: Number(x.created_at) }));
}
