import { Group, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { METRICS, type Period, type RangeFilters } from '../../api/feedback-reports';
import { useWorkspace } from '../../components/workspace';
import { KpiCards, ThemePanel, TrendPanel } from './reports/panels';
import { SegmentFilter, segmentFromParams, withSegmentParams } from './reports/segment';
import { FeedbackNav, RANGES, rangeDates, SurveySelect } from './reports/shared';

const PERIODS: { value: Period; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];
const isPeriod = (v: string | null): v is Period => v === 'day' || v === 'week' || v === 'month';
const isRange = (v: string | null) => RANGES.some((r) => r.value === v);

/** NPS, CSAT and CES with their 95 % intervals, trends with confidence bands, and themes. */
export function FeedbackReportsPage() {
  const { workspaceId } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const rangeKey = isRange(params.get('range')) ? (params.get('range') as string) : '90';
  const period: Period = isPeriod(params.get('period')) ? (params.get('period') as Period) : rangeKey === '7' || rangeKey === '30' ? 'day' : rangeKey === '365' ? 'month' : 'week';
  const survey = params.get('survey') ?? undefined;
  const segmentKey = segmentFromParams(params).join('\n');
  const range: RangeFilters = useMemo(() => ({ survey, ...rangeDates(rangeKey), ...(segmentKey ? { segment: segmentKey.split('\n') } : {}) }), [survey, rangeKey, segmentKey]);
  const setSegment = (next: string[]) => setParams((prev) => withSegmentParams(prev, next), { replace: true });
  const set = (k: string, v: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (v) next.set(k, v);
        else next.delete(k);
        return next;
      },
      { replace: true },
    );

  return (
    <Stack gap="lg" maw={1400}>
      <FeedbackNav workspaceId={workspaceId} />
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={26}>
            Feedback reports
          </Title>
          <Text c="dimmed">Scores with their uncertainty, how they move, and what customers write about</Text>
        </div>
        <Group align="flex-end" gap="sm">
          <SurveySelect workspaceId={workspaceId} value={survey ?? null} onChange={(v) => set('survey', v)} />
          <SegmentFilter value={range.segment ?? []} onChange={setSegment} />
          <Select label="Period" data={[...RANGES]} value={rangeKey} onChange={(v) => set('range', v)} allowDeselect={false} w={160} />
          <div>
            <Text size="sm" fw={500} mb={2}>
              Points per
            </Text>
            <SegmentedControl aria-label="Points per" data={PERIODS} value={period} onChange={(v) => set('period', v)} />
          </div>
        </Group>
      </Group>

      <KpiCards workspaceId={workspaceId} range={range} />
      <Stack>
        {METRICS.map((m) => (
          <TrendPanel key={m} workspaceId={workspaceId} metric={m} period={period} range={range} />
        ))}
      </Stack>
      <ThemePanel workspaceId={workspaceId} range={range} />
    </Stack>
  );
}
