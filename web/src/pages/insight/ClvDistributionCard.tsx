import { Alert, Group, Paper, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../api/client';
import { insightApi, type ClvDistribution } from '../../api/insight';
import { ChartCard } from '../../components/ChartCard';
import { DataTable } from '../../components/DataTable';
import { EChart, type ChartOption } from '../../components/EChart';
import { useWorkspace } from '../../components/workspace';
import { toCsv } from '../home/csv';
import { money } from './shared';

const bucketLabel = (b: ClvDistribution['buckets'][number], currency: string) => (b.to === null ? `${money(b.from, currency)} +` : `${money(b.from, currency)}–${money(b.to, currency)}`);

const clvCsv = (d: ClvDistribution) => toCsv(['from', 'to', 'customers', 'total_clv', 'currency'], d.buckets.map((b) => [b.from, b.to, b.customers, Number(b.total.toFixed(2)), d.currency]));

/** The home page's card: customers by lifetime value (histogram or table, CSV), quantiles and total, per currency. */
export function ClvDistributionCard() {
  const { workspaceId } = useWorkspace();
  const clv = useQuery({ queryKey: ['insight', workspaceId, 'clv'], queryFn: () => insightApi.clv(workspaceId) });
  const [chosen, setChosen] = useState<string | null>(null);
  const distributions = clv.data?.distributions ?? [];
  const d = distributions.find((x) => x.currency === chosen) ?? distributions[0];
  const option = useMemo((): ChartOption | null => {
    if (!d) return null;
    return {
      animation: false,
      grid: { left: 48, right: 16, top: 16, bottom: 48 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: d.buckets.map((b) => bucketLabel(b, d.currency)), axisLabel: { rotate: 30 } },
      yAxis: { type: 'value', name: 'customers' },
      series: [{ type: 'bar', name: 'Customers', data: d.buckets.map((b) => b.customers) }],
    } as ChartOption;
  }, [d]);
  const caption = d ? `Customers by lifetime value in ${d.currency}` : 'Customers by lifetime value';
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="clv-card-heading" data-testid="clv-section">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={2} fz="lg" id="clv-card-heading">
              Customer lifetime value
            </Title>
            <Text size="xs" c="dimmed">
              Discounted value of the next {clv.data?.fit?.horizonWeeks ?? 52} weeks (BG/NBD × Gamma-Gamma), from the last refresh, all customers
            </Text>
          </div>
          {distributions.length > 1 && <Select aria-label="Currency" w={100} data={distributions.map((x) => x.currency)} value={d?.currency ?? null} onChange={setChosen} allowDeselect={false} />}
        </Group>
        {clv.isError && (
          <Alert color="red" role="alert" title="Could not load lifetime values" p="xs">
            {errorMessage(clv.error)}
          </Alert>
        )}
        {clv.isPending && <Skeleton h={240} />}
        {clv.isSuccess && !d && (
          <Text c="dimmed" size="sm" role="status">
            {clv.data.fit?.transactionsError ?? 'No lifetime values yet: they come with the first refresh (Settings → Insight models), from orders and subscriptions.'}
          </Text>
        )}
        {d && (
          <>
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
            <ChartCard
              name="lifetime value distribution"
              height={240}
              csv={{ fileName: `clv-${d.currency}.csv`, content: () => clvCsv(d) }}
              chart={() => option && <EChart option={option} height={240} label={`Bar chart: ${caption}`} testId="clv-chart" />}
              table={() => (
                <DataTable
                  caption={caption}
                  columns={[{ label: 'Lifetime value' }, { label: 'Customers', numeric: true }, { label: 'Total', numeric: true }]}
                  rows={d.buckets.map((b) => ({ key: String(b.from), cells: [bucketLabel(b, d.currency), b.customers, money(b.total, d.currency)] }))}
                />
              )}
            />
          </>
        )}
      </Stack>
    </Paper>
  );
}
