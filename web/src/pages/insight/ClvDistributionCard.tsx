import { Button, Group, Paper, SegmentedControl, Select, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../api/client';
import { insightApi, type ClvDistribution } from '../../api/insight';
import { EChart, type ChartOption } from '../../components/EChart';
import { useWorkspace } from '../../components/workspace';
import { toCsv } from '../home/csv';
import { downloadCsv } from '../home/download';
import { money } from './shared';

const bucketLabel = (b: ClvDistribution['buckets'][number], currency: string) => (b.to === null ? `${money(b.from, currency)} +` : `${money(b.from, currency)}–${money(b.to, currency)}`);

/** The home page's card: customers by lifetime value (histogram or table, CSV), quantiles and total, per currency. */
export function ClvDistributionCard() {
  const { workspaceId } = useWorkspace();
  const clv = useQuery({ queryKey: ['insight', workspaceId, 'clv'], queryFn: () => insightApi.clv(workspaceId) });
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const [chosen, setChosen] = useState<string | null>(null);
  const distributions = clv.data?.distributions ?? [];
  const d = distributions.find((x) => x.currency === chosen) ?? distributions[0];
  const option = useMemo((): ChartOption | null => {
    if (!d) return null;
    return {
      grid: { left: 48, right: 16, top: 16, bottom: 48 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: d.buckets.map((b) => bucketLabel(b, d.currency)), axisLabel: { rotate: 30 } },
      yAxis: { type: 'value', name: 'customers' },
      series: [{ type: 'bar', name: 'Customers', data: d.buckets.map((b) => b.customers) }],
    } as ChartOption;
  }, [d]);
  const exportCsv = () => {
    if (!d) return;
    downloadCsv(
      `clv-${d.currency}.csv`,
      toCsv(['from', 'to', 'customers', 'total_clv', 'currency'], d.buckets.map((b) => [b.from, b.to, b.customers, Number(b.total.toFixed(2)), d.currency])),
    );
  };
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="clv-card-heading">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={2} fz="lg" id="clv-card-heading">
              Customer lifetime value
            </Title>
            <Text size="xs" c="dimmed">
              Discounted value of the next {clv.data?.fit?.horizonWeeks ?? 52} weeks (BG/NBD × Gamma-Gamma)
            </Text>
          </div>
          <Group gap="xs">
            {distributions.length > 1 && <Select aria-label="Currency" w={100} data={distributions.map((x) => x.currency)} value={d?.currency ?? null} onChange={setChosen} allowDeselect={false} />}
            <SegmentedControl size="xs" value={view} onChange={(v) => setView(v as 'chart' | 'table')} data={[{ value: 'chart', label: 'Chart' }, { value: 'table', label: 'Table' }]} aria-label="Chart or table" />
            <Button size="xs" variant="default" onClick={exportCsv} disabled={!d}>
              CSV
            </Button>
          </Group>
        </Group>
        {clv.isPending && <Skeleton h={200} />}
        {clv.isError && (
          <Text c="red" size="sm">
            {errorMessage(clv.error)}
          </Text>
        )}
        {clv.isSuccess && !d && (
          <Text c="dimmed" size="sm">
            {clv.data.fit?.transactionsError ?? 'No lifetime values yet: they come with the first refresh.'}
          </Text>
        )}
        {d && (
          <Group gap="xl">
            <div>
              <Text size="xs" c="dimmed">Total</Text>
              <Text fw={700} data-testid="clv-total">{money(d.total, d.currency)}</Text>
            </div>
            <div>
              <Text size="xs" c="dimmed">Mean</Text>
              <Text fw={700}>{money(d.mean, d.currency)}</Text>
            </div>
            {d.quantiles
              .filter((q) => q.p === 0.5 || q.p === 0.9)
              .map((q) => (
                <div key={q.p}>
                  <Text size="xs" c="dimmed">{q.p === 0.5 ? 'Median' : '90th percentile'}</Text>
                  <Text fw={700}>{money(q.value, d.currency)}</Text>
                </div>
              ))}
            <div>
              <Text size="xs" c="dimmed">Customers</Text>
              <Text fw={700}>{d.customers}</Text>
            </div>
          </Group>
        )}
        {d && option && view === 'chart' && <EChart option={option} height={240} label={`Customers by lifetime value in ${d.currency}`} testId="clv-chart" />}
        {d && view === 'table' && (
          <Table fz="sm" aria-label="Customers by lifetime value">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Lifetime value</Table.Th>
                <Table.Th>Customers</Table.Th>
                <Table.Th>Total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.buckets.map((b) => (
                <Table.Tr key={b.from}>
                  <Table.Td>{bucketLabel(b, d.currency)}</Table.Td>
                  <Table.Td>{b.customers}</Table.Td>
                  <Table.Td>{money(b.total, d.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
