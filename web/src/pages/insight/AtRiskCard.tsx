import { Anchor, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client';
import { insightApi } from '../../api/insight';
import { useWorkspace } from '../../components/workspace';
import { ChangeText, HealthBadge } from './shared';

/** The home page's card: the accounts most at risk, with their first reason. */
export function AtRiskCard({ limit = 5 }: { limit?: number }) {
  const { workspaceId } = useWorkspace();
  const list = useQuery({ queryKey: ['insight', workspaceId, 'at-risk', 'account', 'card', limit], queryFn: () => insightApi.atRisk(workspaceId, { kind: 'account', band: 'at-risk', limit }) });
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="at-risk-card-heading" data-testid="at-risk-section">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} fz="lg" id="at-risk-card-heading">
            Accounts at risk
          </Title>
          <Anchor component={Link} to={`/w/${encodeURIComponent(workspaceId)}/insight/at-risk?kind=account`} size="sm">
            All {list.data ? `(${list.data.total})` : ''}
          </Anchor>
        </Group>
        {list.isPending && <Skeleton h={120} />}
        {list.isError && (
          <Text c="red" size="sm" role="alert">
            {errorMessage(list.error)}
          </Text>
        )}
        {list.data?.items.length === 0 && (
          <Text c="dimmed" size="sm" role="status">
            No account is at risk, or no refresh has scored them yet (Settings → Insight models).
          </Text>
        )}
        {list.data?.items.map((a) => (
          <Group key={a.id} justify="space-between" wrap="nowrap" align="flex-start" data-testid="at-risk-card-row">
            <div>
              <Text fw={500}>{a.name ?? a.id}</Text>
              <Text size="xs" c="dimmed">
                {a.top[0]?.reason ?? ''}
              </Text>
            </div>
            <Stack gap={0} align="flex-end">
              <HealthBadge health={a.health} band={a.band} />
              <ChangeText change={a.change} summary={a.changeSummary} />
            </Stack>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
