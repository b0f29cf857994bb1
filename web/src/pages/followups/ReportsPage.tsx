import { Group, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { Period, ReportFilters } from '../../api/followup-reports';
import { useWorkspace } from '../../components/workspace';
import { KpiCards, SlaBreakdown, SpeedDistribution, TrendPanel } from './reports/panels';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const RANGES = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: '365', label: 'Last 12 months' },
];
const PERIODS: { value: Period; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];
const isPeriod = (v: string | null): v is Period => v === 'day' || v === 'week' || v === 'month';
const isRange = (v: string | null) => RANGES.some((r) => r.value === v);

/** The last n days (UTC), today included. */
function rangeDates(days: number, now = Date.now()): { from: string; to: string } {
  const today = Math.floor(now / DAY) * DAY;
  return { from: isoDay(today - (days - 1) * DAY), to: isoDay(today) };
}

/** SLA performance and speed to contact: KPI cards, SLA met % by policy / team / agent, speed to lead and the trend. */
export function ReportsPage() {
  const { workspaceId } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const rangeKey = isRange(params.get('range')) ? (params.get('range') as string) : '30';
  const period: Period = isPeriod(params.get('period')) ? (params.get('period') as Period) : rangeKey === '7' || rangeKey === '30' ? 'day' : rangeKey === '365' ? 'month' : 'week';
  const filters: ReportFilters = useMemo(() => rangeDates(Number(rangeKey)), [rangeKey]);
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
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={26}>
            Follow-up reports
          </Title>
          <Text c="dimmed">How often the first contact beats its SLA deadline, and how fast customers hear from a person</Text>
        </div>
        <Group align="flex-end" gap="sm">
          <Select label="Period" data={RANGES} value={rangeKey} onChange={(v) => set('range', v)} allowDeselect={false} w={160} />
          <div>
            <Text size="sm" fw={500} mb={2}>
              Points per
            </Text>
            <SegmentedControl aria-label="Points per" data={PERIODS} value={period} onChange={(v) => set('period', v)} />
          </div>
        </Group>
      </Group>
      <KpiCards workspaceId={workspaceId} filters={filters} />
      <SlaBreakdown workspaceId={workspaceId} filters={filters} />
      <SpeedDistribution workspaceId={workspaceId} filters={filters} />
      <TrendPanel workspaceId={workspaceId} period={period} filters={filters} />
    </Stack>
  );
}
