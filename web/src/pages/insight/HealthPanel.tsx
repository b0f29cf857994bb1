import { Anchor, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError, errorMessage } from '../../api/client';
import { insightApi } from '../../api/insight';
import { useWorkspace } from '../../components/workspace';
import { ChangeText, HealthBadge, money, pct } from './shared';

/** The customer page's health score: its contributions, the change since last week, P(alive) and CLV. */
export function HealthPanel({ customerId }: { customerId: string }) {
  const { workspaceId } = useWorkspace();
  const h = useQuery({ queryKey: ['insight', workspaceId, 'health', customerId], queryFn: () => insightApi.customerHealth(workspaceId, customerId), retry: false });
  const notYet = h.error instanceof ApiError && h.error.code === 'HEALTH_NOT_FOUND';
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="health-heading" data-testid="health-panel">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} fz="lg" id="health-heading">
            Health and lifetime value
          </Title>
          {h.data && <HealthBadge health={h.data.health} band={h.data.band} />}
        </Group>
        {notYet && <Text size="sm" c="dimmed">Not scored yet: the next refresh scores this customer.</Text>}
        {h.isError && !notYet && <Text size="sm" c="red">{errorMessage(h.error)}</Text>}
        {h.data && (
          <>
            <Text size="sm" c="dimmed">
              {Math.round(h.data.risk * 100)}% chance of churning within {h.data.horizonDays} days ({h.data.source === 'learnt' ? 'weights learnt from this workspace' : 'default weights'})
              {h.data.active ? '' : ' · no longer a customer (no live subscription or recent order)'}
            </Text>
            <ChangeText change={h.data.change?.change ?? null} />
            {h.data.change && <Text size="sm">{h.data.change.summary}</Text>}
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <div>
                <Text size="xs" c="dimmed">P(alive)</Text>
                <Text fw={600} data-testid="p-alive">{pct(h.data.value?.pAlive ?? null)}</Text>
              </div>
              <div>
                <Text size="xs" c="dimmed">Expected orders (52 weeks)</Text>
                <Text fw={600}>{h.data.value?.expectedTransactions === null || h.data.value === null ? '—' : h.data.value.expectedTransactions.toFixed(1)}</Text>
              </div>
              <div>
                <Text size="xs" c="dimmed">CLV (52 weeks)</Text>
                <Text fw={600} data-testid="clv">{money(h.data.value?.clv ?? null, h.data.value?.currency ?? null)}</Text>
              </div>
              <div>
                <Text size="xs" c="dimmed">Account</Text>
                {h.data.account ? <Text fw={600}>{h.data.account.name ?? h.data.account.id} · {Math.round(h.data.account.health)}</Text> : <Text fw={600}>—</Text>}
              </div>
            </SimpleGrid>
            <Table fz="sm" aria-label="Health contributions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Signal</Table.Th>
                  <Table.Th>Points</Table.Th>
                  <Table.Th>Why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {h.data.contributions.map((c) => (
                  <Table.Tr key={c.signal}>
                    <Table.Td>{c.label}</Table.Td>
                    <Table.Td c={c.points < -0.5 ? 'red' : c.points > 0.5 ? 'teal' : undefined}>{c.points >= 0 ? `+${c.points.toFixed(1)}` : `−${Math.abs(c.points).toFixed(1)}`}</Table.Td>
                    <Table.Td>{c.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {h.data.followup && (
              <Anchor component={Link} to={`/w/${encodeURIComponent(workspaceId)}/follow-ups/tasks/${encodeURIComponent(h.data.followup.taskId)}`} size="sm">
                Open follow-up: {h.data.followup.title}
              </Anchor>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
