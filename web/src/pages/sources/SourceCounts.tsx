import { Alert, Badge, Code, Grid, Paper, Skeleton, Stack, Table, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import { EVENT_TYPES, type EventDayCount } from '../../api/types';
import type { ChartOption } from '../../components/EChart';
import { formatDateTime, formatRelative } from '../../components/format';
import { IconChart } from '../../components/icons';
import { TableSection } from '../../components/TableSection';

// ECharts is large: load it only when there is something to draw.
const EChart = lazy(() => import('../../components/EChart').then((m) => ({ default: m.EChart })));

const nf = new Intl.NumberFormat();
const DAYS = 30;
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** The last `n` calendar days (UTC), oldest first, as YYYY-MM-DD. */
export function lastDays(n: number, now = new Date()): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: n }, (_, i) => new Date(today - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** Events per day, one stacked series per event type. */
export function countsOption(days: string[], rows: EventDayCount[]): ChartOption {
  const byTypeDay = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.type}\u0000${r.day}`;
    byTypeDay.set(k, (byTypeDay.get(k) ?? 0) + r.count);
  }
  const present = new Set(rows.map((r) => r.type));
  const known: string[] = EVENT_TYPES.filter((t) => present.has(t));
  const types = [...known, ...[...present].filter((t) => !known.includes(t)).sort()];
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: {
      type: 'category',
      data: days.map((d) => dayLabel.format(new Date(`${d}T00:00:00Z`))),
      axisTick: { alignWithLabel: true },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: types.map((type) => ({
      name: type,
      type: 'bar',
      stack: 'events',
      emphasis: { focus: 'series' },
      barMaxWidth: 28,
      data: days.map((day) => byTypeDay.get(`${type}\u0000${day}`) ?? 0),
    })),
  };
}

function EventsPerDay({ workspaceId }: { workspaceId: string }) {
  // Recomputed per render is fine: the range only changes at midnight UTC.
  const days = lastDays(DAYS);
  const from = days[0] ?? '';
  const to = days[days.length - 1] ?? '';
  const counts = useQuery({
    queryKey: ['event-counts', workspaceId, from, to],
    queryFn: () => api.eventCounts(workspaceId, { from, to }),
    refetchInterval: 30_000,
  });
  const rows = useMemo(() => counts.data?.days ?? [], [counts.data]);
  const option = useMemo(() => countsOption(lastDays(DAYS, new Date(`${to}T12:00:00Z`)), rows), [rows, to]);
  const total = rows.reduce((n, r) => n + r.count, 0);

  return (
    <Paper withBorder radius="md" p="lg">
      <Title order={2} fz="lg">
        Events per day
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        The last {DAYS} days (UTC), by type{total > 0 ? ` — ${nf.format(total)} events` : ''}.
      </Text>
      {counts.isError ? (
        <Alert color="red" role="alert" title="Could not load event counts">
          {errorMessage(counts.error)}
        </Alert>
      ) : counts.isPending ? (
        <Skeleton h={280} />
      ) : total === 0 ? (
        <Stack align="center" gap="xs" py={48} role="status">
          <ThemeIcon size={48} radius="xl" variant="light" color="gray">
            <IconChart size={26} />
          </ThemeIcon>
          <Text fw={600}>No events in the last {DAYS} days</Text>
        </Stack>
      ) : (
        <Suspense fallback={<Skeleton h={280} />}>
          <EChart option={option} height={280} label={`Bar chart of ${nf.format(total)} events per day over the last ${DAYS} days, stacked by type`} />
        </Suspense>
      )}
    </Paper>
  );
}

function TrackingSources({ workspaceId }: { workspaceId: string }) {
  const sources = useQuery({
    queryKey: ['ingest-sources', workspaceId],
    queryFn: () => api.ingestSources(workspaceId),
    refetchInterval: 10_000,
  });
  const list = sources.data?.sources ?? [];
  return (
    <TableSection
      title="Tracking"
      description="Events received per write key."
      error={sources.error}
      errorTitle="Could not load tracking sources"
      ariaLabel="Events per write key"
      minWidth={420}
      head={
        <>
          <Table.Th>Write key</Table.Th>
          <Table.Th ta="right">Events</Table.Th>
          <Table.Th>Last event</Table.Th>
        </>
      }
      colSpan={3}
      loading={sources.isPending}
      skeletonRows={2}
      empty={
        sources.isSuccess &&
        list.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="md">
            No write keys have sent events yet.
          </Text>
        )
      }
    >
      {list.map((s) => (
        <Table.Tr key={s.keyId} style={s.revoked ? { opacity: 0.6 } : undefined}>
          <Table.Td>
            <Text size="sm" fw={500}>
              {s.keyName}{' '}
              {s.revoked && (
                <Badge size="xs" color="red" variant="light" className="ec-badge-fit">
                  revoked
                </Badge>
              )}
            </Text>
            <Code fz="xs">{s.keyPrefix}…</Code>
          </Table.Td>
          <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {nf.format(s.events)}
          </Table.Td>
          <Table.Td>
            <Tooltip label={formatDateTime(s.lastEventAt)} disabled={!s.lastEventAt}>
              <Text size="sm" c="dimmed">
                {formatRelative(s.lastEventAt)}
              </Text>
            </Tooltip>
          </Table.Td>
        </Table.Tr>
      ))}
    </TableSection>
  );
}

function RecordsBySilo({ workspaceId }: { workspaceId: string }) {
  const overview = useQuery({ queryKey: ['overview', workspaceId], queryFn: () => api.overview(workspaceId) });
  const records = useMemo(
    () =>
      [...(overview.data?.records ?? [])].sort(
        (a, b) => a.source.localeCompare(b.source) || a.kind.localeCompare(b.kind),
      ),
    [overview.data],
  );
  return (
    <TableSection
      title="Records"
      description="Records stored per silo and kind."
      error={overview.error}
      errorTitle="Could not load record counts"
      ariaLabel="Records per source"
      minWidth={360}
      head={
        <>
          <Table.Th>Source</Table.Th>
          <Table.Th>Kind</Table.Th>
          <Table.Th ta="right">Records</Table.Th>
        </>
      }
      colSpan={3}
      loading={overview.isPending}
      skeletonRows={2}
      empty={
        overview.isSuccess &&
        records.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="md">
            No records yet.
          </Text>
        )
      }
    >
      {records.map((r) => (
        <Table.Tr key={`${r.source}\u0000${r.kind}`}>
          <Table.Td>
            <Text size="sm" fw={500}>
              {r.source}
            </Text>
          </Table.Td>
          <Table.Td>
            <Badge variant="light" color="gray" className="ec-badge-fit">
              {r.kind}
            </Badge>
          </Table.Td>
          <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {nf.format(r.count)}
          </Table.Td>
        </Table.Tr>
      ))}
    </TableSection>
  );
}

/** How much each source has sent: events per day, per write key, and records per silo. */
export function SourceCounts({ workspaceId }: { workspaceId: string }) {
  return (
    <Stack gap="lg">
      <EventsPerDay workspaceId={workspaceId} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <TrackingSources workspaceId={workspaceId} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <RecordsBySilo workspaceId={workspaceId} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
