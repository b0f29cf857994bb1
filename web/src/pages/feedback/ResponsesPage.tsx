import { Alert, Anchor, Button, Group, NumberInput, Paper, Select, Skeleton, Stack, Text, Title, Tooltip } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import {
  feedbackReportKeys,
  feedbackReportsApi,
  METRICS,
  responsesCsvUrl,
  type Category,
  type Metric,
  type ResponseFilters,
  type ResponseItem,
  type SentimentLabel,
} from '../../api/feedback-reports';
import { SCALES } from '../../api/surveys';
import { formatDateTime, formatRelative } from '../../components/format';
import { IconDownload } from '../../components/icons';
import { useWorkspace } from '../../components/workspace';
import { SegmentFilter, segmentFromParams, withSegmentParams } from './reports/segment';
import { CATEGORY_LABEL, FeedbackNav, METRIC_LABEL, RANGES, rangeDates, ScoreBadge, SentimentBadge, SurveySelect, ThemeBadge, formatCount } from './reports/shared';

const PAGE = 50;
const CATEGORIES: Record<Metric, Category[]> = {
  nps: ['promoter', 'passive', 'detractor'],
  csat: ['satisfied', 'neutral', 'dissatisfied'],
  ces: ['satisfied', 'neutral', 'dissatisfied'],
};
const SENTIMENTS: SentimentLabel[] = ['positive', 'neutral', 'negative'];
const RESPONDENT_LABEL: Record<string, string> = { user_id: 'User id', email: 'E-mail', anonymous_id: 'Anonymous id' };

const isMetric = (v: string | null): v is Metric => v === 'nps' || v === 'csat' || v === 'ces';
const intOrUndefined = (v: string | null): number | undefined => (v !== null && /^\d{1,2}$/.test(v) ? Number(v) : undefined);

/** The filters live in the address, so that a filtered stream can be shared and survives a reload. */
function useFilters() {
  const [params, setParams] = useSearchParams();
  const range = params.get('range') ?? 'all';
  const metric = isMetric(params.get('metric')) ? (params.get('metric') as Metric) : undefined;
  const category = params.get('category') as Category | null;
  const segment = segmentFromParams(params);
  const filters: ResponseFilters = {
    survey: params.get('survey') ?? undefined,
    ...rangeDates(range),
    metric,
    category: metric && category && CATEGORIES[metric].includes(category) ? category : undefined,
    minScore: metric ? intOrUndefined(params.get('min')) : undefined,
    maxScore: metric ? intOrUndefined(params.get('max')) : undefined,
    theme: params.get('theme') ?? undefined,
    sentiment: (SENTIMENTS as string[]).includes(params.get('sentiment') ?? '') ? (params.get('sentiment') as SentimentLabel) : undefined,
    segment: segment.length > 0 ? segment : undefined,
  };
  const set = (changes: Record<string, string | number | null | undefined>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v === null || v === undefined || v === '') next.delete(k);
          else next.set(k, String(v));
        }
        return next;
      },
      { replace: true },
    );
  const setSegment = (next: string[]) => setParams((prev) => withSegmentParams(prev, next), { replace: true });
  return { filters, range, set, setSegment, params };
}

function Comment({ item }: { item: ResponseItem }) {
  if (item.comment === null) return null;
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="comment">
      {item.comment}
      {item.commentTruncated && (
        <Text span size="xs" c="dimmed" fs="italic">
          {' '}
          … ({formatCount(item.commentLength)} characters: the CSV export has the whole text)
        </Text>
      )}
    </Text>
  );
}

function ResponseCard({ item, base, onTheme }: { item: ResponseItem; base: string; onTheme: (t: string) => void }) {
  const who = item.respondent.value;
  return (
    <Paper component="li" withBorder radius="md" p="md" data-response-id={item.id} style={{ listStyle: 'none' }}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Group gap={6}>
            {METRICS.map((m) => {
              const score = item.scores[m];
              return score === null ? null : <ScoreBadge key={m} metric={m} score={score} category={item.categories[m]} />;
            })}
            {item.sentiment && <SentimentBadge label={item.sentiment.label} score={item.sentiment.score} />}
            {!item.complete && (
              <Text span size="xs" c="dimmed">
                (partial)
              </Text>
            )}
          </Group>
          <Tooltip label={formatDateTime(item.createdAt)}>
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {formatRelative(item.createdAt)}
            </Text>
          </Tooltip>
        </Group>
        <Comment item={item} />
        {item.themes.length > 0 && (
          <Group gap={4}>
            {item.themes.map((t) => (
              <Tooltip key={t} label={`Show only “${t}”`}>
                <button type="button" onClick={() => onTheme(t)} style={{ all: 'unset', cursor: 'pointer' }} aria-label={`Filter by theme ${t}`}>
                  <ThemeBadge theme={t} />
                </button>
              </Tooltip>
            ))}
          </Group>
        )}
        <Group gap="xs" fz="xs" c="dimmed">
          <Text span size="xs" c="dimmed">
            {RESPONDENT_LABEL[item.respondent.kind] ?? item.respondent.kind}:
          </Text>
          {item.customerId ? (
            <Anchor component={Link} to={`${base}/customers/${encodeURIComponent(item.customerId)}`} size="xs" data-testid="customer-link">
              {who}
            </Anchor>
          ) : (
            <Text span size="xs">
              {who}
            </Text>
          )}
          <Text span size="xs" c="dimmed">
            · {item.surveyName ?? item.surveyId} · {item.channel}
          </Text>
        </Group>
      </Stack>
    </Paper>
  );
}

/** The response stream: every answer, newest first, filtered by survey, period, segment, score, theme and sentiment. */
export function ResponsesPage() {
  const { workspaceId } = useWorkspace();
  const { filters, range, set, setSegment } = useFilters();
  const base = `/w/${encodeURIComponent(workspaceId)}`;

  const list = useInfiniteQuery({
    queryKey: feedbackReportKeys.responses(workspaceId, filters),
    queryFn: ({ pageParam, signal }) => feedbackReportsApi.responses(workspaceId, filters, pageParam, PAGE, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const themeRange = useMemo(() => ({ survey: filters.survey, ...rangeDates('365') }), [filters.survey]);
  const themes = useQuery({ queryKey: feedbackReportKeys.themes(workspaceId, themeRange), queryFn: ({ signal }) => feedbackReportsApi.themes(workspaceId, themeRange, signal) });
  const themeOptions = useMemo(() => {
    const names = new Set((themes.data?.themes ?? []).map((t) => t.theme));
    if (filters.theme) names.add(filters.theme);
    return [...names].sort();
  }, [themes.data, filters.theme]);

  const responses = list.data?.pages.flatMap((p) => p.responses) ?? [];
  const fresh = list.isSuccess && !list.isPlaceholderData;
  const metric = filters.metric;
  const scale = metric ? SCALES[metric] : undefined;
  const filtered = Object.entries(filters).some(([k, v]) => v !== undefined && k !== 'to');

  return (
    <Stack gap="lg" maw={1100}>
      <FeedbackNav workspaceId={workspaceId} />
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={26}>
            Responses
          </Title>
          <Text c="dimmed">What customers answered, newest first</Text>
        </div>
        <Button component="a" href={responsesCsvUrl(workspaceId, filters)} download variant="light" leftSection={<IconDownload size={16} />}>
          Export CSV
        </Button>
      </Group>

      <Paper withBorder radius="md" p="md">
        <Group align="flex-end" gap="sm">
          <SurveySelect workspaceId={workspaceId} value={filters.survey ?? null} onChange={(v) => set({ survey: v, theme: null })} />
          <Select
            label="Period"
            data={[{ value: 'all', label: 'All time' }, ...RANGES]}
            value={range}
            onChange={(v) => set({ range: v === 'all' ? null : v })}
            allowDeselect={false}
            w={160}
          />
          <Select
            label="Score"
            placeholder="Any score"
            clearable
            data={METRICS.map((m) => ({ value: m, label: METRIC_LABEL[m] }))}
            value={metric ?? null}
            onChange={(v) => set({ metric: v, category: null, min: null, max: null })}
            w={120}
          />
          {metric && (
            <>
              <Select
                label="Category"
                placeholder="Any"
                clearable
                data={CATEGORIES[metric].map((c) => ({ value: c, label: CATEGORY_LABEL[c] }))}
                value={filters.category ?? null}
                onChange={(v) => set({ category: v })}
                w={150}
              />
              <NumberInput label="From score" min={scale?.min} max={scale?.max} value={filters.minScore ?? ''} onChange={(v) => set({ min: typeof v === 'number' ? v : null })} w={110} allowDecimal={false} />
              <NumberInput label="To score" min={scale?.min} max={scale?.max} value={filters.maxScore ?? ''} onChange={(v) => set({ max: typeof v === 'number' ? v : null })} w={110} allowDecimal={false} />
            </>
          )}
          <Select label="Theme" placeholder="Any theme" clearable searchable data={themeOptions} value={filters.theme ?? null} onChange={(v) => set({ theme: v })} w={180} />
          <Select
            label="Sentiment"
            placeholder="Any"
            clearable
            data={SENTIMENTS.map((s) => ({ value: s, label: s.charAt(0).toUpperCase() + s.slice(1) }))}
            value={filters.sentiment ?? null}
            onChange={(v) => set({ sentiment: v })}
            w={140}
          />
          <SegmentFilter value={filters.segment ?? []} onChange={setSegment} />
        </Group>
      </Paper>

      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="response-count">
        {list.isPending
          ? 'Loading responses…'
          : fresh
            ? `${formatCount(responses.length)}${list.hasNextPage ? '+' : ''} ${responses.length === 1 ? 'response' : 'responses'}${filtered ? ' match these filters' : ''}`
            : 'Updating…'}
      </Text>

      {list.isError && (
        <Alert color="red" role="alert" title="Could not load responses">
          {errorMessage(list.error)}
        </Alert>
      )}

      {list.isPending ? (
        <Stack>
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={96} radius="md" />
          ))}
        </Stack>
      ) : (
        <Stack component="ul" aria-label="Responses" gap="sm" p={0} m={0} style={list.isPlaceholderData ? { opacity: 0.55 } : undefined}>
          {responses.map((r) => (
            <ResponseCard key={r.id} item={r} base={base} onTheme={(t) => set({ theme: t })} />
          ))}
        </Stack>
      )}
      {fresh && responses.length === 0 && (
        <Stack align="center" gap={4} py="lg">
          <Text fw={500}>{filtered ? 'No response matches these filters' : 'No responses yet'}</Text>
          <Text size="sm" c="dimmed">
            {filtered ? 'Try a longer period or fewer filters.' : 'Answers appear here as soon as customers reply to a survey.'}
          </Text>
        </Stack>
      )}
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            Load more responses
          </Button>
        </Group>
      )}
    </Stack>
  );
}
