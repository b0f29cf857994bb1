/** SLA performance of follow-up: met %, median and p90 time to first contact and tasks of the period against the one before, and the weekly trend. */
import { Alert, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { errorMessage } from '../../api/client';
import { slaTrend, type Home } from '../../api/insight-home';
import { ChartCard } from '../../components/ChartCard';
import { DataTable } from '../../components/DataTable';
import { IconClock } from '../../components/icons';
import { formatCount, formatDuration, formatPct } from '../followups/reports/format';
import type { HomeFilters } from './filters';
import { ChangeAgainst, HomeSection, StartHere, StatTile } from './Section';
import { slaCsv, slaOption, weekOf } from './sla';

const EChart = lazy(() => import('../../components/EChart').then((m) => ({ default: m.EChart })));

const minutesOf = (ms: number | null) => (ms === null ? null : ms / 60_000);
const formatMinutes = (min: number) => formatDuration(min * 60_000);

function Weekly({ home, filters }: { home: Home; filters: HomeFilters }) {
  const points = slaTrend(home);
  const option = useMemo(() => slaOption(points), [points]);
  const caption = `Follow-up tasks and SLA met % per week, ${filters.period.label.toLowerCase()}`;
  return (
    <ChartCard
      name="weekly SLA trend"
      testId="home-sla-weekly"
      title={<Text fw={600} size="sm">Per week</Text>}
      height={220}
      empty={points.length === 0 ? 'No weekly figures from this server yet.' : points.every((p) => p.tasks === 0) ? 'No follow-up tasks started in these weeks.' : undefined}
      csv={{ fileName: `sla-weekly-${filters.period.slug}-${filters.ranges.current.to}.csv`, content: () => slaCsv(points) }}
      chart={() => (
        <Suspense fallback={<Skeleton h={220} />}>
          <EChart option={option} height={220} label={`Bars and line: ${caption}`} testId="home-sla-chart" />
        </Suspense>
      )}
      table={() => (
        <DataTable
          caption={caption}
          columns={[{ label: 'Week of' }, { label: 'Tasks', numeric: true }, { label: 'SLA met', numeric: true }, { label: 'SLA met %', numeric: true }, { label: 'Median first contact', numeric: true }]}
          rows={points.map((p) => ({ key: p.start, cells: [weekOf(p.start), formatCount(p.tasks), `${formatCount(p.met)} of ${formatCount(p.n)}`, formatPct(p.metPct), formatDuration(p.medianFirstContactMs)] }))}
        />
      )}
    />
  );
}

export function SlaRow({ workspaceId, home, filters }: { workspaceId: string; home: UseQueryResult<Home>; filters: HomeFilters }) {
  const d = home.data;
  const against = filters.period.previous;
  return (
    <HomeSection title="SLA performance" testId="sla-row" description={`Follow-up tasks started in the ${filters.period.label.toLowerCase()}: was the first contact within the SLA, and how soon.`}>
      {home.isError ? (
        <Alert color="red" role="alert" title="Could not load SLA performance">
          {errorMessage(home.error)}
        </Alert>
      ) : !d ? (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>{[0, 1, 2, 3].map((i) => <Skeleton key={i} h={110} radius="md" />)}</SimpleGrid>
      ) : d.sla.current.tasks === 0 && d.sla.previous.tasks === 0 ? (
        <StartHere icon={<IconClock size={28} />} title="No follow-up tasks yet" to={`/w/${encodeURIComponent(workspaceId)}/follow-ups/rules`} linkText="Follow-ups → Rules" testId="sla-empty">
          SLA figures appear as follow-up tasks are made (a detractor's answer, a failed payment). Set up the rules that make them under
        </StartHere>
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            <StatTile
              label="SLA met"
              testId="home-sla-met"
              value={formatPct(d.sla.current.metPct)}
              hint={`first contact in time: ${formatCount(d.sla.current.met)} of ${formatCount(d.sla.current.n)} (${formatCount(d.sla.current.pending)} not yet due)`}
              change={<ChangeAgainst current={d.sla.current.metPct} previous={d.sla.previous.metPct} format={formatPct} digits={1} unit=" pp" against={against} />}
            />
            <StatTile
              label="Median time to first contact"
              testId="home-sla-median"
              value={formatDuration(d.sla.current.medianFirstContactMs)}
              hint={`of ${formatCount(d.sla.current.contacted)} contacted`}
              change={<ChangeAgainst current={minutesOf(d.sla.current.medianFirstContactMs)} previous={minutesOf(d.sla.previous.medianFirstContactMs)} format={formatMinutes} digits={1} unit=" min" against={against} better="down" />}
            />
            <StatTile
              label="90th percentile to first contact"
              testId="home-sla-p90"
              value={formatDuration(d.sla.current.p90FirstContactMs)}
              change={<ChangeAgainst current={minutesOf(d.sla.current.p90FirstContactMs)} previous={minutesOf(d.sla.previous.p90FirstContactMs)} format={formatMinutes} digits={1} unit=" min" against={against} better="down" />}
            />
            <StatTile
              label="Tasks"
              testId="home-sla-tasks"
              value={formatCount(d.sla.current.tasks)}
              change={<ChangeAgainst current={d.sla.current.tasks} previous={d.sla.previous.tasks} format={formatCount} against={against} />}
            />
          </SimpleGrid>
          <Paper withBorder radius="md" p="md">
            <Weekly home={d} filters={filters} />
          </Paper>
        </Stack>
      )}
    </HomeSection>
  );
}
