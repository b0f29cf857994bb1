/** The Reports page's pieces: KPI cards, a trend per metric with its band, the theme chart. Each chart has a table view. */
import { Alert, Badge, Group, List, Paper, SegmentedControl, SimpleGrid, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { errorMessage } from '../../../api/client';
import { feedbackReportKeys, feedbackReportsApi, METRICS, type Metric, type Period, type RangeFilters, type Summary, type ThemeItem } from '../../../api/feedback-reports';
import { periodLabel, themeOption, TREND_ARROW, TREND_LABEL, trendOption } from './options';
import { formatCount, formatInterval, formatMean, formatValue, METRIC_HINT, METRIC_LABEL } from './shared';

// ECharts is large: load it only when there is something to draw.
const ReportChart = lazy(() => import('./ReportChart').then((m) => ({ default: m.ReportChart })));

type View = 'chart' | 'table';

function ViewSwitch({ value, onChange, label }: { value: View; onChange: (v: View) => void; label: string }) {
  return (
    <SegmentedControl
      size="xs"
      aria-label={label}
      value={value}
      onChange={(v) => onChange(v as View)}
      data={[
        { value: 'chart', label: 'Chart' },
        { value: 'table', label: 'Table' },
      ]}
    />
  );
}

function KpiCard({ summary }: { summary: Summary }) {
  const m = summary.metric;
  return (
    <Paper withBorder radius="md" p="lg" data-testid={`kpi-${m}`}>
      <Tooltip label={METRIC_HINT[m]}>
        <Text size="sm" c="dimmed" fw={600} tt="uppercase" style={{ cursor: 'help' }}>
          {METRIC_LABEL[m]}
        </Text>
      </Tooltip>
      <Text fz={34} fw={700} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="kpi-value">
        {formatValue(m, summary.value)}
      </Text>
      <Text size="sm" data-testid="kpi-n">
        n = {formatCount(summary.n)}
      </Text>
      <Text size="xs" c="dimmed" data-testid="kpi-interval">
        95 % interval: {formatInterval(m, summary.low, summary.high)}
      </Text>
      <Text size="xs" c="dimmed">
        Mean score: {formatMean(summary.mean)}
      </Text>
    </Paper>
  );
}

export function KpiCards({ workspaceId, range }: { workspaceId: string; range: RangeFilters }) {
  const summary = useQuery({ queryKey: feedbackReportKeys.summary(workspaceId, range), queryFn: ({ signal }) => feedbackReportsApi.summary(workspaceId, range, signal) });
  if (summary.isError) {
    return (
      <Alert color="red" role="alert" title="Could not load the scores">
        {errorMessage(summary.error)}
      </Alert>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      {METRICS.map((m) => (summary.data ? <KpiCard key={m} summary={summary.data[m]} /> : <Skeleton key={m} h={150} radius="md" />))}
    </SimpleGrid>
  );
}

export function TrendPanel({ workspaceId, metric, period, range }: { workspaceId: string; metric: Metric; period: Period; range: RangeFilters }) {
  const [view, setView] = useState<View>('chart');
  const trend = useQuery({
    queryKey: feedbackReportKeys.trend(workspaceId, metric, period, range),
    queryFn: ({ signal }) => feedbackReportsApi.trend(workspaceId, metric, period, range, signal),
  });
  const option = useMemo(() => (trend.data ? trendOption(trend.data) : null), [trend.data]);
  const n = trend.data?.overall.n ?? 0;
  const label = `${METRIC_LABEL[metric]} per ${period}`;
  return (
    <Paper withBorder radius="md" p="lg" data-testid={`trend-${metric}`}>
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={2} fz="lg">
            {label}
          </Title>
          <Text size="sm" c="dimmed">
            {trend.data ? `${formatCount(n)} answers; the shaded band is the 95 % interval of each ${period}.` : ' '}
          </Text>
        </div>
        <ViewSwitch value={view} onChange={setView} label={`${label}: chart or table`} />
      </Group>
      {trend.isError ? (
        <Alert color="red" role="alert" title={`Could not load the ${METRIC_LABEL[metric]} trend`}>
          {errorMessage(trend.error)}
        </Alert>
      ) : !trend.data || !option ? (
        <Skeleton h={260} />
      ) : n === 0 ? (
        <Text c="dimmed" ta="center" py={48} role="status">
          No {METRIC_LABEL[metric]} answers in this period.
        </Text>
      ) : view === 'chart' ? (
        <Suspense fallback={<Skeleton h={260} />}>
          <ReportChart option={option} height={260} label={`Line chart of ${label} with its 95 % interval and the number of answers`} testId={`trend-chart-${metric}`} />
        </Suspense>
      ) : (
        <Table.ScrollContainer minWidth={520} maxHeight={320}>
          <Table stickyHeader striped verticalSpacing={4} fz="sm" aria-label={`${label} table`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Period</Table.Th>
                <Table.Th ta="right">n</Table.Th>
                <Table.Th ta="right">{METRIC_LABEL[metric]}</Table.Th>
                <Table.Th>95 % interval</Table.Th>
                <Table.Th ta="right">Mean</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {trend.data.points.map((p) => (
                <Table.Tr key={p.start}>
                  <Table.Td>{periodLabel(period, p.start)}</Table.Td>
                  <Table.Td ta="right">{formatCount(p.n)}</Table.Td>
                  <Table.Td ta="right">{formatValue(metric, p.value)}</Table.Td>
                  <Table.Td>{formatInterval(metric, p.low, p.high)}</Table.Td>
                  <Table.Td ta="right">{formatMean(p.mean)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function TrendBadge({ t }: { t: ThemeItem }) {
  const colour = t.trend === 'up' ? 'orange' : t.trend === 'down' ? 'teal' : t.trend === 'new' ? 'blue' : 'gray';
  return (
    <Tooltip label={`Before: ${t.previousCount} (${Math.round(t.previousShare * 100)} % of comments)`}>
      <Badge variant="light" color={colour} radius="sm" style={{ textTransform: 'none' }}>
        {TREND_ARROW[t.trend]} {TREND_LABEL[t.trend]}
      </Badge>
    </Tooltip>
  );
}

export function ThemePanel({ workspaceId, range }: { workspaceId: string; range: RangeFilters }) {
  const [view, setView] = useState<View>('chart');
  const themes = useQuery({ queryKey: feedbackReportKeys.themes(workspaceId, range), queryFn: ({ signal }) => feedbackReportsApi.themes(workspaceId, range, signal) });
  const list = themes.data?.themes ?? [];
  const option = useMemo(() => themeOption(list.slice(0, 12)), [list]);
  return (
    <Paper withBorder radius="md" p="lg" data-testid="themes">
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={2} fz="lg">
            Themes
          </Title>
          <Text size="sm" c="dimmed">
            {themes.data
              ? `What ${formatCount(themes.data.commented)} comments talk about; arrows compare with the ${formatCount(themes.data.previousCommented)} comments of the period before. Bars are coloured by mean sentiment.`
              : ' '}
          </Text>
        </div>
        <ViewSwitch value={view} onChange={setView} label="Themes: chart or table" />
      </Group>
      {themes.isError ? (
        <Alert color="red" role="alert" title="Could not load themes">
          {errorMessage(themes.error)}
        </Alert>
      ) : themes.isPending ? (
        <Skeleton h={260} />
      ) : list.length === 0 ? (
        <Text c="dimmed" ta="center" py={48} role="status">
          No themes in the comments of this period.
        </Text>
      ) : (
        <Stack>
          {view === 'chart' ? (
            <Suspense fallback={<Skeleton h={260} />}>
              <ReportChart option={option} height={Math.max(160, 34 * Math.min(12, list.length) + 24)} label={`Bar chart of the ${Math.min(12, list.length)} most frequent themes`} testId="theme-chart" />
            </Suspense>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table striped verticalSpacing={4} fz="sm" aria-label="Themes table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Theme</Table.Th>
                    <Table.Th ta="right">Responses</Table.Th>
                    <Table.Th ta="right">Share</Table.Th>
                    <Table.Th ta="right">Mean sentiment</Table.Th>
                    <Table.Th>Trend</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((t) => (
                    <Table.Tr key={t.theme}>
                      <Table.Td>{t.theme}</Table.Td>
                      <Table.Td ta="right">{formatCount(t.count)}</Table.Td>
                      <Table.Td ta="right">{Math.round(t.share * 100)} %</Table.Td>
                      <Table.Td ta="right">{t.meanSentiment === null ? '—' : t.meanSentiment.toFixed(2)}</Table.Td>
                      <Table.Td>
                        <TrendBadge t={t} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            {list.slice(0, 6).map((t) => (
              <Stack key={t.theme} gap={4} data-testid="theme-quotes">
                <Group gap={6}>
                  <Text fw={600} size="sm">
                    {t.theme}
                  </Text>
                  <TrendBadge t={t} />
                </Group>
                {t.examples.length === 0 ? (
                  <Text size="xs" c="dimmed">
                    Only long comments: see Responses.
                  </Text>
                ) : (
                  <List size="sm" spacing={2} aria-label={`Quotes about ${t.theme}`}>
                    {t.examples.map((e) => (
                      <List.Item key={e.responseId}>
                        <Text size="sm" fs="italic" style={{ overflowWrap: 'anywhere' }}>
                          “{e.comment}”
                        </Text>
                      </List.Item>
                    ))}
                  </List>
                )}
              </Stack>
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </Paper>
  );
}
