/** The follow-up Reports page's pieces: KPI cards, SLA met % by policy / team / agent, the speed-to-lead distribution and the trend. Each chart has a table view and a CSV export. */
import { Alert, Button, Group, Paper, SegmentedControl, SimpleGrid, Skeleton, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { errorMessage } from '../../../api/client';
import { followupReportKeys, followupReportsApi, type Period, type ReportFilters, type SlaGroup } from '../../../api/followup-reports';
import { toCsv, type CsvCell } from '../../home/csv';
import { downloadCsv } from '../../home/download';
import { csvName, DISTRIBUTION_HEADER, distributionRows, formatCount, formatDuration, formatPct, periodLabel, SLA_HEADER, slaRows, TREND_HEADER, trendRows } from './format';
import { distributionOption, slaBarOption, trendOption } from './options';

// ECharts is large: load it only when there is something to draw.
const EChart = lazy(() => import('../../../components/EChart').then((m) => ({ default: m.EChart })));

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

function CsvButton({ label, file, header, rows }: { label: string; file: string; header: string[]; rows: () => CsvCell[][] }) {
  return (
    <Button size="xs" variant="default" aria-label={label} onClick={() => downloadCsv(csvName(file), toCsv(header, rows()))}>
      CSV
    </Button>
  );
}

function Panel({ title, description, testId, actions, children }: { title: string; description: ReactNode; testId: string; actions: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg" data-testid={testId}>
      <Group justify="space-between" mb="xs" align="flex-start">
        <div>
          <Title order={2} fz="lg">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
        <Group gap="xs">{actions}</Group>
      </Group>
      {children}
    </Paper>
  );
}

function Kpi({ testId, label, hint, value, sub }: { testId: string; label: string; hint: string; value: string; sub: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg" data-testid={testId}>
      <Tooltip label={hint} multiline w={320}>
        <Text size="sm" c="dimmed" fw={600} tt="uppercase" style={{ cursor: 'help' }}>
          {label}
        </Text>
      </Tooltip>
      <Text fz={34} fw={700} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="kpi-value">
        {value}
      </Text>
      <Text size="sm" data-testid="kpi-n">
        {sub}
      </Text>
    </Paper>
  );
}

export function KpiCards({ workspaceId, filters }: { workspaceId: string; filters: ReportFilters }) {
  const sla = useQuery({ queryKey: followupReportKeys.sla(workspaceId, filters), queryFn: ({ signal }) => followupReportsApi.sla(workspaceId, filters, signal) });
  const speed = useQuery({ queryKey: followupReportKeys.speed(workspaceId, filters), queryFn: ({ signal }) => followupReportsApi.speed(workspaceId, filters, signal) });
  const error = sla.error ?? speed.error;
  if (error) {
    return (
      <Alert color="red" role="alert" title="Could not load the SLA figures">
        {errorMessage(error)}
      </Alert>
    );
  }
  if (!sla.data || !speed.data) {
    return (
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} h={130} radius="md" />
        ))}
      </SimpleGrid>
    );
  }
  const fc = sla.data.overall.firstContact;
  const res = sla.data.overall.resolution;
  const wall = speed.data.overall.wall;
  const working = speed.data.overall.working;
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <Kpi
        testId="kpi-sla"
        label="SLA met"
        hint="Share of first-contact clocks stopped (contacted) by their deadline, among those that stopped or reached their deadline. Clocks still running and not yet due are not counted."
        value={formatPct(fc.metPct)}
        sub={
          <>
            n = {formatCount(fc.n)} · {formatCount(fc.pending)} not yet due
            {res.n > 0 ? ` · resolution ${formatPct(res.metPct)} (n = ${formatCount(res.n)})` : ''}
          </>
        }
      />
      <Kpi
        testId="kpi-median"
        label="Median first contact"
        hint="Elapsed time from the moment the customer needed a human to the first contact, over the contacted tasks."
        value={formatDuration(wall.medianMs)}
        sub={`n = ${formatCount(wall.n)} contacted · working time ${formatDuration(working.medianMs)}`}
      />
      <Kpi
        testId="kpi-p90"
        label="p90 first contact"
        hint="9 in 10 contacted tasks were contacted within this time."
        value={formatDuration(wall.p90Ms)}
        sub={`${formatCount(speed.data.overall.notContacted)} not yet contacted`}
      />
    </SimpleGrid>
  );
}

const DIMENSIONS = [
  { value: 'policy', label: 'Policy' },
  { value: 'team', label: 'Team' },
  { value: 'agent', label: 'Agent' },
] as const;
type Dimension = (typeof DIMENSIONS)[number]['value'];

export function SlaBreakdown({ workspaceId, filters }: { workspaceId: string; filters: ReportFilters }) {
  const [dimension, setDimension] = useState<Dimension>('policy');
  const [view, setView] = useState<View>('chart');
  const sla = useQuery({ queryKey: followupReportKeys.sla(workspaceId, filters), queryFn: ({ signal }) => followupReportsApi.sla(workspaceId, filters, signal) });
  const groups: SlaGroup[] = useMemo(() => (sla.data ? (dimension === 'policy' ? sla.data.byPolicy : dimension === 'team' ? sla.data.byTeam : sla.data.byAgent) : []), [sla.data, dimension]);
  const option = useMemo(() => slaBarOption(groups), [groups]);
  const name = DIMENSIONS.find((d) => d.value === dimension)?.label.toLowerCase() ?? dimension;
  return (
    <Panel
      title={`SLA met % by ${name}`}
      description="First contact by the deadline; n counts the clocks that stopped or reached their deadline."
      testId="sla-breakdown"
      actions={
        <>
          <SegmentedControl size="xs" aria-label="Group by" data={[...DIMENSIONS]} value={dimension} onChange={(v) => setDimension(v as Dimension)} />
          <ViewSwitch value={view} onChange={setView} label="SLA met %: chart or table" />
          <CsvButton label={`Export SLA by ${name} as CSV`} file={`sla-by-${dimension}`} header={SLA_HEADER} rows={() => slaRows(groups)} />
        </>
      }
    >
      {sla.isError ? (
        <Alert color="red" role="alert" title="Could not load the SLA report">
          {errorMessage(sla.error)}
        </Alert>
      ) : !sla.data ? (
        <Skeleton h={220} />
      ) : groups.length === 0 ? (
        <Text c="dimmed" ta="center" py={48} role="status">
          No follow-up tasks started in this period.
        </Text>
      ) : view === 'chart' ? (
        <Suspense fallback={<Skeleton h={220} />}>
          <EChart option={option} height={Math.max(140, 36 * groups.length + 24)} label={`Bar chart of the first-contact SLA met % by ${name}`} testId="sla-chart" />
        </Suspense>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing={4} fz="sm" aria-label={`SLA met % by ${name}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{DIMENSIONS.find((d) => d.value === dimension)?.label}</Table.Th>
                <Table.Th ta="right">Tasks</Table.Th>
                <Table.Th ta="right">SLA met %</Table.Th>
                <Table.Th ta="right">Met / n</Table.Th>
                <Table.Th ta="right">Not yet due</Table.Th>
                <Table.Th ta="right">Resolution met %</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {groups.map((g) => (
                <Table.Tr key={g.key ?? '—'}>
                  <Table.Td>{g.label}</Table.Td>
                  <Table.Td ta="right">{formatCount(g.tasks)}</Table.Td>
                  <Table.Td ta="right">{formatPct(g.firstContact.metPct)}</Table.Td>
                  <Table.Td ta="right">
                    {formatCount(g.firstContact.met)} / {formatCount(g.firstContact.n)}
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(g.firstContact.pending)}</Table.Td>
                  <Table.Td ta="right">{g.resolution.n === 0 ? '—' : `${formatPct(g.resolution.metPct)} (n = ${formatCount(g.resolution.n)})`}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Panel>
  );
}

export function SpeedDistribution({ workspaceId, filters }: { workspaceId: string; filters: ReportFilters }) {
  const [view, setView] = useState<View>('chart');
  const speed = useQuery({ queryKey: followupReportKeys.speed(workspaceId, filters), queryFn: ({ signal }) => followupReportsApi.speed(workspaceId, filters, signal) });
  const option = useMemo(() => (speed.data ? distributionOption(speed.data) : null), [speed.data]);
  return (
    <Panel
      title="Speed to lead"
      description="Time from the trigger to the first contact, for every task started in the period."
      testId="speed-distribution"
      actions={
        <>
          <ViewSwitch value={view} onChange={setView} label="Speed to lead: chart or table" />
          <CsvButton label="Export speed to lead as CSV" file="speed-to-lead" header={DISTRIBUTION_HEADER} rows={() => (speed.data ? distributionRows(speed.data) : [])} />
        </>
      }
    >
      {speed.isError ? (
        <Alert color="red" role="alert" title="Could not load the speed report">
          {errorMessage(speed.error)}
        </Alert>
      ) : !speed.data || !option ? (
        <Skeleton h={220} />
      ) : speed.data.overall.tasks === 0 ? (
        <Text c="dimmed" ta="center" py={48} role="status">
          No follow-up tasks started in this period.
        </Text>
      ) : view === 'chart' ? (
        <Suspense fallback={<Skeleton h={220} />}>
          <EChart option={option} height={240} label="Bar chart of tasks by time to first contact" testId="speed-chart" />
        </Suspense>
      ) : (
        <Table striped verticalSpacing={4} fz="sm" aria-label="Speed to lead">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time to first contact</Table.Th>
              <Table.Th ta="right">Tasks</Table.Th>
              <Table.Th ta="right">Share</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {speed.data.distribution.map((b) => (
              <Table.Tr key={b.bucket}>
                <Table.Td>{b.label}</Table.Td>
                <Table.Td ta="right">{formatCount(b.count)}</Table.Td>
                <Table.Td ta="right">{b.share === null ? '—' : formatPct(100 * b.share)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Panel>
  );
}

export function TrendPanel({ workspaceId, period, filters }: { workspaceId: string; period: Period; filters: ReportFilters }) {
  const [view, setView] = useState<View>('chart');
  const trend = useQuery({ queryKey: followupReportKeys.trend(workspaceId, period, filters), queryFn: ({ signal }) => followupReportsApi.trend(workspaceId, period, filters, signal) });
  const points = useMemo(() => trend.data?.points ?? [], [trend.data]);
  const option = useMemo(() => trendOption(period, points), [period, points]);
  const any = points.some((p) => p.tasks > 0);
  return (
    <Panel
      title={`SLA met % per ${period}`}
      description="First-contact SLA met % and the median time to first contact of the tasks started in each period."
      testId="sla-trend"
      actions={
        <>
          <ViewSwitch value={view} onChange={setView} label="Trend: chart or table" />
          <CsvButton label="Export the trend as CSV" file={`sla-per-${period}`} header={TREND_HEADER} rows={() => trendRows(points)} />
        </>
      }
    >
      {trend.isError ? (
        <Alert color="red" role="alert" title="Could not load the trend">
          {errorMessage(trend.error)}
        </Alert>
      ) : !trend.data ? (
        <Skeleton h={260} />
      ) : !any ? (
        <Text c="dimmed" ta="center" py={48} role="status">
          No follow-up tasks started in this period.
        </Text>
      ) : view === 'chart' ? (
        <Suspense fallback={<Skeleton h={260} />}>
          <EChart option={option} height={260} label={`Line chart of the SLA met % and the median first contact per ${period}`} testId="trend-chart" />
        </Suspense>
      ) : (
        <Table.ScrollContainer minWidth={520} maxHeight={320}>
          <Table stickyHeader striped verticalSpacing={4} fz="sm" aria-label={`SLA met % per ${period}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Period</Table.Th>
                <Table.Th ta="right">Tasks</Table.Th>
                <Table.Th ta="right">SLA met %</Table.Th>
                <Table.Th ta="right">n</Table.Th>
                <Table.Th ta="right">Median first contact</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {points.map((p) => (
                <Table.Tr key={p.start}>
                  <Table.Td>{periodLabel(period, p.start)}</Table.Td>
                  <Table.Td ta="right">{formatCount(p.tasks)}</Table.Td>
                  <Table.Td ta="right">{formatPct(p.metPct)}</Table.Td>
                  <Table.Td ta="right">{formatCount(p.n)}</Table.Td>
                  <Table.Td ta="right">{formatDuration(p.medianFirstContactMs)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Panel>
  );
}
