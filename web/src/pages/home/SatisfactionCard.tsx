/**
 * One card of the satisfaction row: the score of the period with its 95 % interval and n, the
 * change against the period before (and whether it is more than noise), and a weekly trend
 * with its band, shown as a chart or as a table, exportable as CSV.
 */
import { Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useId, useMemo } from 'react';
import type { Metric, Summary, Trend } from '../../api/feedback-reports';
import type { HomeTrendPoint, SatisfactionBlock } from '../../api/insight-home';
import { ChartCard } from '../../components/ChartCard';
import { DataTable } from '../../components/DataTable';
import { dayLabel, formatCount, formatInterval, formatMean, formatValue, METRIC_HINT, METRIC_LABEL } from '../feedback/reports/shared';
import { arrowOf, compare, formatDelta, VERDICT_TEXT } from './compare';
import { toCsv } from './csv';
import { sparkOption } from './options';
import type { HomePeriod, Ranges } from './periods';

// ECharts is large: load it only when there is something to draw.
const ReportChart = lazy(() => import('../feedback/reports/ReportChart').then((m) => ({ default: m.ReportChart })));

/** What the headline value is, per metric (PRODUCT.md's definitions). */
const VALUE_CAPTION: Record<Metric, string> = {
  nps: '% promoters − % detractors',
  csat: 'satisfied (4–5)',
  ces: 'easy (5–7)',
};
const SCALE_MAX: Record<Metric, number> = { nps: 10, csat: 5, ces: 7 };

const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

export function trendCsv(metric: Metric, points: HomeTrendPoint[]): string {
  const label = METRIC_LABEL[metric];
  return toCsv(
    ['week_start', 'week_of', 'n', label, 'low_95', 'high_95', 'mean'],
    points.map((p) => [p.start.slice(0, 10), dayLabel.format(new Date(p.start)), p.n, round2(p.value), round2(p.low), round2(p.high), round2(p.mean)]),
  );
}

function ChangeLine({ metric, current, previous, period }: { metric: Metric; current: Summary; previous: Summary; period: HomePeriod }) {
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

function TrendView({ metric, block, period, ranges }: { metric: Metric; block: SatisfactionBlock | undefined; period: HomePeriod; ranges: Ranges }) {
  const label = METRIC_LABEL[metric];
  const caption = `${label} per week, ${period.label.toLowerCase()}`;
  const points = block?.trend;
  // sparkOption draws a feedback-reports trend: the home's weekly points are one.
  const option = useMemo(() => (points ? sparkOption({ metric, period: 'week', from: ranges.current.from, to: ranges.current.to, points, overall: block.current } satisfies Trend) : null), [metric, points, block, ranges]);
  const n = block?.current.n ?? 0;
  return (
    <ChartCard
      name={`${label} weekly trend`}
      testId="trend"
      title={
        <Text size="xs" c="dimmed" fw={600}>
          Weekly trend
        </Text>
      }
      height={80}
      loading={!block}
      empty={n === 0 ? `No ${label} answers to draw.` : undefined}
      csv={points ? { fileName: `${metric}-weekly-${period.slug}-${ranges.current.to}.csv`, content: () => trendCsv(metric, points) } : null}
      chart={() =>
        option && (
          <Suspense fallback={<Skeleton h={80} />}>
            <ReportChart option={option} height={80} label={`Line chart of ${caption}, with the 95 % interval of each week as a band; ${formatCount(n)} answers`} testId={`home-trend-chart-${metric}`} />
          </Suspense>
        )
      }
      table={() => (
        <DataTable
          caption={caption}
          maxHeight={200}
          columns={[{ label: 'Week of' }, { label: 'n', numeric: true }, { label }, { label: '95 % interval' }, { label: 'Mean', numeric: true }]}
          rows={(points ?? []).map((p) => ({
            key: p.start,
            cells: [dayLabel.format(new Date(p.start)), formatCount(p.n), formatValue(metric, p.value), formatInterval(metric, p.low, p.high), formatMean(p.mean)],
          }))}
        />
      )}
    />
  );
}

export function SatisfactionCard({ metric, block, period, ranges }: { metric: Metric; block: SatisfactionBlock | undefined; period: HomePeriod; ranges: Ranges }) {
  const headingId = useId();
  const label = METRIC_LABEL[metric];
  const current = block?.current;
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
        {!block || !current ? (
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
            <ChangeLine metric={metric} current={current} previous={block.previous} period={period} />
          </>
        )}
        <TrendView metric={metric} block={block} period={period} ranges={ranges} />
      </Stack>
    </Paper>
  );
}
