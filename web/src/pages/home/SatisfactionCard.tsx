/**
 * One card of the satisfaction row: the score of the period with its 95 % interval and n, the
 * change against the period before (and whether it is more than noise), and a weekly trend
 * with its band, shown as a chart or as a table, exportable as CSV.
 */
import { Alert, Button, Group, Paper, SegmentedControl, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useMemo, useState } from 'react';
import { errorMessage } from '../../api/client';
import { feedbackReportKeys, feedbackReportsApi, type Metric, type Summary, type Trend } from '../../api/feedback-reports';
import { IconDownload } from '../../components/icons';
import { dayLabel, formatCount, formatInterval, formatMean, formatValue, METRIC_HINT, METRIC_LABEL } from '../feedback/reports/shared';
import { arrowOf, compare, formatDelta, VERDICT_TEXT } from './compare';
import { toCsv } from './csv';
import { downloadCsv } from './download';
import { sparkOption } from './options';
import type { HomePeriod, Ranges } from './periods';

// ECharts is large: load it only when there is something to draw.
const ReportChart = lazy(() => import('../feedback/reports/ReportChart').then((m) => ({ default: m.ReportChart })));

type View = 'chart' | 'table';

/** What the headline value is, per metric (PRODUCT.md's definitions). */
const VALUE_CAPTION: Record<Metric, string> = {
  nps: '% promoters − % detractors',
  csat: 'satisfied (4–5)',
  ces: 'easy (5–7)',
};
const SCALE_MAX: Record<Metric, number> = { nps: 10, csat: 5, ces: 7 };

const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

export function trendCsv(trend: Trend): string {
  const label = METRIC_LABEL[trend.metric];
  return toCsv(
    ['week_start', 'week_of', 'n', label, 'low_95', 'high_95', 'mean'],
    trend.points.map((p) => [p.start.slice(0, 10), dayLabel.format(new Date(p.start)), p.n, round2(p.value), round2(p.low), round2(p.high), round2(p.mean)]),
  );
}

function ChangeLine({ metric, current, previous, period }: { metric: Metric; current: Summary; previous: Summary | undefined; period: HomePeriod }) {
  if (!previous) return <Skeleton h={36} />;
  const change = compare(current, previous);
  if (change.delta === null) {
    return (
      <Text size="xs" c="dimmed" data-testid="change" data-verdict={change.verdict}>
        {VERDICT_TEXT[change.verdict]}
      </Text>
    );
  }
  const arrow = arrowOf(change.delta);
  const colour = change.verdict !== 'beyond-noise' || arrow === '→' ? 'dimmed' : arrow === '↑' ? 'teal.8' : 'red.8';
  const direction = arrow === '↑' ? 'up' : arrow === '↓' ? 'down' : 'unchanged';
  return (
    <div data-testid="change" data-verdict={change.verdict}>
      <Text size="sm" fw={600} c={colour === 'dimmed' ? undefined : colour}>
        <span role="img" aria-label={direction}>
          {arrow}
        </span>{' '}
        {formatDelta(change.delta)} {metric === 'nps' ? 'points' : 'percentage points'} vs {period.previous} (was {formatValue(metric, previous.value)}, n = {formatCount(previous.n)})
      </Text>
      <Text size="xs" c="dimmed">
        {VERDICT_TEXT[change.verdict].replace(/^./, (c) => c.toUpperCase())}
      </Text>
    </div>
  );
}

function TrendTable({ trend, caption }: { trend: Trend; caption: string }) {
  const m = trend.metric;
  return (
    <Table.ScrollContainer minWidth={300} maxHeight={200}>
      <Table stickyHeader striped verticalSpacing={2} fz="xs" aria-label={caption}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Week of</Table.Th>
            <Table.Th ta="right">n</Table.Th>
            <Table.Th ta="right">{METRIC_LABEL[m]}</Table.Th>
            <Table.Th>95 % interval</Table.Th>
            <Table.Th ta="right">Mean</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {trend.points.map((p) => (
            <Table.Tr key={p.start}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{dayLabel.format(new Date(p.start))}</Table.Td>
              <Table.Td ta="right">{formatCount(p.n)}</Table.Td>
              <Table.Td ta="right">{formatValue(m, p.value)}</Table.Td>
              <Table.Td>{formatInterval(m, p.low, p.high)}</Table.Td>
              <Table.Td ta="right">{formatMean(p.mean)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function TrendView({ workspaceId, metric, period, ranges }: { workspaceId: string; metric: Metric; period: HomePeriod; ranges: Ranges }) {
  const [view, setView] = useState<View>('chart');
  const trend = useQuery({
    queryKey: feedbackReportKeys.trend(workspaceId, metric, 'week', ranges.current),
    queryFn: ({ signal }) => feedbackReportsApi.trend(workspaceId, metric, 'week', ranges.current, signal),
  });
  const option = useMemo(() => (trend.data ? sparkOption(trend.data) : null), [trend.data]);
  const label = METRIC_LABEL[metric];
  const caption = `${label} per week, ${period.label.toLowerCase()}`;
  const n = trend.data?.overall.n ?? 0;
  const exportCsv = () => {
    if (trend.data) downloadCsv(`${metric}-weekly-${period.slug}-${ranges.current.to}.csv`, trendCsv(trend.data));
  };

  return (
    <Stack gap={6} data-testid="trend">
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="xs" c="dimmed" fw={600}>
          Weekly trend
        </Text>
        <Group gap={4} wrap="nowrap">
          <SegmentedControl
            size="xs"
            aria-label={`${label} trend: chart or table`}
            value={view}
            onChange={(v) => setView(v as View)}
            data={[
              { value: 'chart', label: 'Chart' },
              { value: 'table', label: 'Table' },
            ]}
          />
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconDownload size={14} />}
            onClick={exportCsv}
            disabled={!trend.data || n === 0}
            aria-label={`Download the ${label} weekly trend as CSV`}
          >
            CSV
          </Button>
        </Group>
      </Group>
      {trend.isError ? (
        <Alert color="red" role="alert" title={`Could not load the ${label} trend`} p="xs">
          {errorMessage(trend.error)}
        </Alert>
      ) : !trend.data || !option ? (
        <Skeleton h={80} />
      ) : n === 0 ? (
        <Text size="xs" c="dimmed" ta="center" py={28} role="status">
          No {label} answers to draw.
        </Text>
      ) : view === 'chart' ? (
        <Suspense fallback={<Skeleton h={80} />}>
          <ReportChart
            option={option}
            height={80}
            label={`Line chart of ${caption}, with the 95 % interval of each week as a band; ${formatCount(n)} answers`}
            testId={`home-trend-chart-${metric}`}
          />
        </Suspense>
      ) : (
        <TrendTable trend={trend.data} caption={caption} />
      )}
    </Stack>
  );
}

export function SatisfactionCard({
  workspaceId,
  metric,
  current,
  previous,
  period,
  ranges,
}: {
  workspaceId: string;
  metric: Metric;
  current: Summary | undefined;
  previous: Summary | undefined;
  period: HomePeriod;
  ranges: Ranges;
}) {
  const headingId = useId();
  const label = METRIC_LABEL[metric];
  return (
    <Paper component="article" withBorder radius="md" p="md" aria-labelledby={headingId} data-testid={`home-${metric}`}>
      <Stack gap={8}>
        <div>
          <Title order={3} fz="sm" tt="uppercase" c="dimmed" id={headingId}>
            {label}
          </Title>
          <Text size="xs" c="dimmed">
            {METRIC_HINT[metric]}
          </Text>
        </div>
        {!current ? (
          <Skeleton h={96} />
        ) : current.n === 0 ? (
          <Text size="sm" c="dimmed" role="status" data-testid="n">
            n = 0: no {label} answers in the {period.label.toLowerCase()}.
          </Text>
        ) : (
          <>
            <Group gap="lg" align="flex-end">
              <div>
                <Text fz={32} fw={700} lh={1.1} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="value">
                  {formatValue(metric, current.value)}
                </Text>
                <Text size="xs" c="dimmed">
                  {VALUE_CAPTION[metric]}
                </Text>
              </div>
              {metric !== 'nps' && (
                <div>
                  <Text fz={22} fw={600} lh={1.1} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="mean">
                    {formatMean(current.mean)}
                    <Text span size="sm" c="dimmed" fw={400}>
                      {' '}
                      / {SCALE_MAX[metric]}
                    </Text>
                  </Text>
                  <Text size="xs" c="dimmed">
                    mean score
                  </Text>
                </div>
              )}
            </Group>
            <Group gap="md">
              <Text size="sm" fw={600} data-testid="n">
                n = {formatCount(current.n)}
              </Text>
              <Text size="xs" c="dimmed" data-testid="interval">
                95 % interval: {formatInterval(metric, current.low, current.high)}
              </Text>
            </Group>
            <ChangeLine metric={metric} current={current} previous={previous} period={period} />
          </>
        )}
        <TrendView workspaceId={workspaceId} metric={metric} period={period} ranges={ranges} />
      </Stack>
    </Paper>
  );
}
