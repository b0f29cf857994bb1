import { Alert, Anchor, Box, Button, Card, Group, Paper, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { errorMessage } from '../api/client';
import { api } from '../api/endpoints';
import { roleAtLeast } from '../api/roles';
import type { OverviewRecord } from '../api/types';
import type { ChartOption } from '../components/EChart';
import { IconChart, IconDatabase, IconKey, IconPlug, IconUsers } from '../components/icons';
import { useWorkspace } from '../components/workspace';
import { AtRiskCard } from './insight/AtRiskCard';
import { ClvDistributionCard } from './insight/ClvDistributionCard';
import { HomeFilterBar, useHome, useHomeFilters } from './home/filters';
import { RetentionRow } from './home/RetentionRow';
import { SatisfactionRow } from './home/SatisfactionRow';
import { SlaRow } from './home/SlaRow';

// ECharts is large: load it only when there is something to draw.
const EChart = lazy(() => import('../components/EChart').then((m) => ({ default: m.EChart })));

const nf = new Intl.NumberFormat();

function StatCard({ label, value, icon, color, hint }: { label: string; value: ReactNode; icon: ReactNode; color: string; hint?: string }) {
  return (
    <Card withBorder radius="md" padding="lg" role="group" aria-label={label}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          <Text fz={30} fw={700} lh={1.2} mt={4}>
            {value}
          </Text>
          {hint && (
            <Text size="xs" c="dimmed" mt={4}>
              {hint}
            </Text>
          )}
        </div>
        <ThemeIcon size={42} radius="md" variant="light" color={color}>
          {icon}
        </ThemeIcon>
      </Group>
    </Card>
  );
}

function chartOption(records: OverviewRecord[]): ChartOption {
  const sources = [...new Set(records.map((r) => r.source))].sort();
  const kinds = [...new Set(records.map((r) => r.kind))].sort();
  const counts = new Map(records.map((r) => [`${r.source}\u0000${r.kind}`, r.count]));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: sources, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: kinds.map((kind) => ({
      name: kind,
      type: 'bar',
      stack: 'records',
      emphasis: { focus: 'series' },
      barMaxWidth: 56,
      data: sources.map((source) => counts.get(`${source}\u0000${kind}`) ?? 0),
    })),
  };
}

export function HomePage() {
  const { workspaceId, workspaceName, role } = useWorkspace();
  const isAdmin = roleAtLeast(role, 'admin');
  const overview = useQuery({ queryKey: ['overview', workspaceId], queryFn: () => api.overview(workspaceId) });
  const filters = useHomeFilters();
  const { search } = useLocation();
  // One read for every row but CLV and at-risk (their own, unfiltered, from the last refresh).
  const home = useHome(workspaceId, filters.query);

  const records = useMemo(() => overview.data?.records ?? [], [overview.data]);
  const option = useMemo(() => chartOption(records), [records]);
  const total = records.reduce((n, r) => n + r.count, 0);
  const silos = new Set(records.filter((r) => r.count > 0).map((r) => r.source)).size;

  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-end" gap="md">
        <div>
          <Title order={1} fz={26}>
            Home
          </Title>
          <Text c="dimmed">Overview of {workspaceName}</Text>
        </div>
        <Button component={Link} to={`/w/${encodeURIComponent(workspaceId)}/all-hands${search}`} variant="light" leftSection={<IconChart size={16} />}>
          All-hands mode
        </Button>
      </Group>
      <HomeFilterBar filters={filters} />

      {/* Customer satisfaction comes first, before any other figure (PRODUCT.md: satisfaction before revenue). */}
      <SatisfactionRow workspaceId={workspaceId} home={home} filters={filters} />
      <RetentionRow workspaceId={workspaceId} home={home} />
      <ClvDistributionCard />
      <AtRiskCard />
      <SlaRow workspaceId={workspaceId} home={home} filters={filters} />

      <Box component="section" aria-labelledby="home-data-title">
        <Stack gap="lg">
          <Title order={2} fz="lg" id="home-data-title">
            Data in this workspace
          </Title>

          {overview.isError && (
            <Alert color="red" role="alert" title="Could not load the overview">
              {errorMessage(overview.error)}
            </Alert>
          )}

          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            {overview.isPending ? (
              [0, 1, 2, 3].map((i) => <Skeleton key={i} h={112} radius="md" />)
            ) : (
              <>
                <StatCard label="Records" value={nf.format(total)} icon={<IconDatabase size={22} />} color="blue" hint="across all sources" />
                <StatCard label="Sources" value={nf.format(silos)} icon={<IconPlug size={22} />} color="violet" hint="silos with data" />
                <StatCard label="Members" value={nf.format(overview.data?.members ?? 0)} icon={<IconUsers size={22} />} color="teal" hint="people in this workspace" />
                <StatCard label="API keys" value={nf.format(overview.data?.keys ?? 0)} icon={<IconKey size={22} />} color="orange" hint="active in this workspace" />
              </>
            )}
          </SimpleGrid>

          <Paper withBorder radius="md" p="lg">
            <Group justify="space-between" mb="sm">
              <div>
                <Title order={3} fz="md">
                  Records per source
                </Title>
                <Text size="sm" c="dimmed">
                  What each silo (CRM, billing, support, product events) has sent, by kind of record.
                </Text>
              </div>
            </Group>
            {overview.isPending ? (
              <Skeleton h={320} />
            ) : total === 0 ? (
              <Stack align="center" gap="xs" py={60} role="status">
                <ThemeIcon size={56} radius="xl" variant="light" color="gray">
                  <IconDatabase size={30} />
                </ThemeIcon>
                <Text fw={600}>No records yet</Text>
                <Text size="sm" c="dimmed" ta="center" maw={460}>
                  Send events with the Segment-compatible tracking API or import a CSV export from your CRM, billing or
                  support desk.
                  {isAdmin && (
                    <>
                      {' '}
                      Create a write key under{' '}
                      <Anchor component={Link} to={`/w/${encodeURIComponent(workspaceId)}/settings/keys`} size="sm">
                        Settings → API keys
                      </Anchor>
                      .
                    </>
                  )}
                </Text>
              </Stack>
            ) : (
              <Suspense fallback={<Skeleton h={320} />}>
                <EChart option={option} label={`Bar chart of ${nf.format(total)} records across ${silos} sources`} />
              </Suspense>
            )}
          </Paper>
        </Stack>
      </Box>
    </Stack>
  );
}
