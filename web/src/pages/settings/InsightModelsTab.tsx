import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { errorMessage } from '../../api/client';
import { insightApi, type RunView } from '../../api/insight';
import { roleAtLeast } from '../../api/roles';
import { EChart, type ChartOption } from '../../components/EChart';
import { formatDateTime } from '../../components/format';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';

const STATUS_COLOR: Record<RunView['status'], string> = { running: 'blue', succeeded: 'teal', failed: 'red' };
const seconds = (ms: number | null) => (ms === null ? '—' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
const num = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '—' : v.toFixed(digits));

/** Settings → Insight models: the refresh runs (duration, status), the health model's backtest and calibration, refresh now. */
export function InsightModelsTab() {
  const { workspaceId, role } = useWorkspace();
  const client = useQueryClient();
  const runs = useQuery({ queryKey: ['insight', workspaceId, 'runs'], queryFn: () => insightApi.runs(workspaceId), refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === 'running') ? 2000 : false) });
  const model = useQuery({ queryKey: ['insight', workspaceId, 'model'], queryFn: () => insightApi.model(workspaceId) });
  const refresh = useMutation({
    mutationFn: () => insightApi.refresh(workspaceId),
    onSuccess: () => client.invalidateQueries({ queryKey: ['insight', workspaceId] }),
  });
  const m = model.data?.model ?? null;
  const tested = m?.backtest?.models[m.source === 'learnt' ? 'learnt' : 'default'];
  const option = useMemo((): ChartOption | null => {
    if (!tested) return null;
    return {
      grid: { left: 56, right: 16, top: 32, bottom: 40 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', name: 'decile of predicted risk', nameLocation: 'middle', nameGap: 26, data: tested.table.map((b) => String(b.bin)) },
      yAxis: { type: 'value', max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      series: [
        { type: 'bar', name: 'Observed churn', data: tested.table.map((b) => Number(b.observedRate.toFixed(4))) },
        { type: 'line', name: 'Predicted', data: tested.table.map((b) => Number(b.meanPredicted.toFixed(4))) },
      ],
    } as ChartOption;
  }, [tested]);

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Text c="dimmed" maw={800}>
          Lifetime values and health scores are refreshed every day through the job queue: the CLV models are fitted, the health weights learnt (or the defaults kept), everyone is scored and the week’s snapshot taken.
        </Text>
        {roleAtLeast(role, 'admin') && (
          <Button onClick={() => refresh.mutate()} loading={refresh.isPending}>
            Refresh now
          </Button>
        )}
      </Group>
      {refresh.isError && <Alert color="red" title="Could not start a refresh">{errorMessage(refresh.error)}</Alert>}
      {refresh.isSuccess && <Alert color="blue">{refresh.data.created ? 'Refresh queued.' : 'A refresh is already waiting to run.'}</Alert>}

      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="model-heading">
        <Stack gap="sm">
          <Title order={2} fz="lg" id="model-heading">
            Health model
          </Title>
          {model.isError && <Text c="red">{errorMessage(model.error)}</Text>}
          {model.isSuccess && !m && <Text c="dimmed">No model yet: it comes with the first refresh.</Text>}
          {m && (
            <>
              <Group gap="xl">
                <div>
                  <Text size="xs" c="dimmed">Weights</Text>
                  <Badge variant="light" color={m.source === 'learnt' ? 'teal' : 'gray'} data-testid="model-source">{m.source === 'learnt' ? 'Learnt from this workspace' : 'Defaults'}</Badge>
                </div>
                <div>
                  <Text size="xs" c="dimmed">Backtest AUC</Text>
                  <Text fw={700} data-testid="model-auc">{num(tested?.auc)}</Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">Log-loss</Text>
                  <Text fw={700}>{num(tested?.logLoss)}</Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">Brier</Text>
                  <Text fw={700}>{num(tested?.brier)}</Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">Calibration slope</Text>
                  <Text fw={700}>{num(tested?.calibration.slope, 2)}</Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">Test set</Text>
                  <Text fw={700}>{m.backtest ? `${m.backtest.test.n} snapshots, ${m.backtest.test.events} churned` : '—'}</Text>
                </div>
              </Group>
              <Text size="sm">{m.decision.reasons.join('; ')}</Text>
              <Text size="xs" c="dimmed">{m.churnDefinition}</Text>
              {option && <EChart option={option} height={260} label="Calibration: observed churn against predicted risk by decile" testId="calibration-chart" />}
            </>
          )}
        </Stack>
      </Paper>

      <TableSection
        title="Refresh runs"
        description="Newest first"
        error={runs.error}
        errorTitle="Could not load the runs"
        ariaLabel="Refresh runs"
        minWidth={800}
        colSpan={6}
        loading={runs.isPending}
        empty={runs.data?.runs.length === 0 ? 'No refresh has run yet.' : undefined}
        head={
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Trigger</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th>Customers scored</Table.Th>
            <Table.Th>AUC</Table.Th>
          </Table.Tr>
        }
      >
        {runs.data?.runs.map((r) => (
          <Table.Tr key={r.id} data-testid="run-row">
            <Table.Td>{formatDateTime(r.startedAt)}</Table.Td>
            <Table.Td>{r.trigger === 'manual' ? 'Refresh now' : 'Daily'}</Table.Td>
            <Table.Td>
              <Badge color={STATUS_COLOR[r.status]} variant="light">
                {r.status === 'running' ? `running (${r.phase})` : r.status}
              </Badge>
              {r.error && <Text size="xs" c="red">{r.error}</Text>}
            </Table.Td>
            <Table.Td>{seconds(r.durationMs)}</Table.Td>
            <Table.Td>{r.counts.scored ?? 0}</Table.Td>
            <Table.Td>{num(r.metrics?.auc)}</Table.Td>
          </Table.Tr>
        ))}
      </TableSection>
    </Stack>
  );
}
