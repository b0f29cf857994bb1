import { Alert, Anchor, Button, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { insightApi, type AtRiskItem, type Band, type SubjectKind } from '../../api/insight';
import { roleAtLeast } from '../../api/roles';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';
import { ChangeText, HealthBadge, Reasons } from './shared';

const PAGE = 50;

function FollowupCell({ item }: { item: AtRiskItem }) {
  const { workspaceId, role } = useWorkspace();
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: () => insightApi.followup(workspaceId, item.kind, item.id),
    onSuccess: () => client.invalidateQueries({ queryKey: ['insight', workspaceId, 'at-risk'] }),
  });
  const task = create.data?.task ?? item.followup;
  if (task)
    return (
      <Anchor component={Link} to={`/w/${encodeURIComponent(workspaceId)}/follow-ups/tasks/${encodeURIComponent(task.taskId)}`} size="sm" data-testid="followup-link">
        Follow-up {task.status}
      </Anchor>
    );
  if (!roleAtLeast(role, 'agent')) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Stack gap={4}>
      <Button size="xs" variant="light" loading={create.isPending} onClick={() => create.mutate()} aria-label={`Create follow-up for ${item.name ?? item.id}`}>
        Create follow-up
      </Button>
      {create.isError && (
        <Text size="xs" c="red">
          {errorMessage(create.error)}
        </Text>
      )}
    </Stack>
  );
}

/** Customers or accounts at risk of churning, lowest health first, with reasons, change and a one-click follow-up. */
export function AtRiskPage() {
  const { workspaceId } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const kind: SubjectKind = params.get('kind') === 'account' ? 'account' : 'customer';
  const band = (['at-risk', 'watch', 'all'].includes(params.get('band') ?? '') ? params.get('band') : 'at-risk') as Band | 'all';
  const set = (k: string, v: string) => setParams((prev) => new URLSearchParams({ ...Object.fromEntries(prev), [k]: v }), { replace: true });
  const list = useInfiniteQuery({
    queryKey: ['insight', workspaceId, 'at-risk', kind, band],
    queryFn: ({ pageParam }) => insightApi.atRisk(workspaceId, { kind, band, limit: PAGE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  const nameCell = (i: AtRiskItem) => {
    const name = i.name ?? (i.kind === 'account' ? i.id : 'Unnamed customer');
    return i.kind === 'customer' ? (
      <Anchor component={Link} to={`/w/${encodeURIComponent(workspaceId)}/customers/${encodeURIComponent(i.id)}`} fw={500} data-testid="at-risk-name">
        {name}
      </Anchor>
    ) : (
      <Text fw={500} data-testid="at-risk-name">
        {name}
        <Text span size="xs" c="dimmed">
          {' '}
          · {i.members ?? 0} customers
        </Text>
      </Text>
    );
  };

  return (
    <Stack gap="lg" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={26}>
            At risk
          </Title>
          <Text c="dimmed">Who is likely to churn and why: health is 100 × (1 − the chance of churning within the horizon), explained by its largest signals</Text>
        </div>
        <Group>
          <SegmentedControl aria-label="Customers or accounts" value={kind} onChange={(v) => set('kind', v)} data={[{ value: 'customer', label: 'Customers' }, { value: 'account', label: 'Accounts' }]} />
          <SegmentedControl aria-label="Band" value={band} onChange={(v) => set('band', v)} data={[{ value: 'at-risk', label: 'At risk' }, { value: 'watch', label: 'Watch' }, { value: 'all', label: 'All' }]} />
        </Group>
      </Group>
      {list.isSuccess && items.length === 0 && band === 'at-risk' && (
        <Alert color="teal" title="Nobody at risk">
          No {kind === 'account' ? 'account' : 'customer'} is in the at-risk band, or no refresh has run yet (Settings → Insight models).
        </Alert>
      )}
      <TableSection
        title={kind === 'account' ? 'Accounts' : 'Customers'}
        description={total === undefined ? 'Loading…' : `${total} in this band, still customers (a live subscription or a recent order)`}
        error={list.error}
        errorTitle="Could not load the at-risk list"
        ariaLabel="At-risk list"
        minWidth={900}
        colSpan={5}
        loading={list.isPending}
        head={
          <Table.Tr>
            <Table.Th>{kind === 'account' ? 'Account' : 'Customer'}</Table.Th>
            <Table.Th>Health</Table.Th>
            <Table.Th>Change</Table.Th>
            <Table.Th>Top reasons</Table.Th>
            <Table.Th>Follow-up</Table.Th>
          </Table.Tr>
        }
        footer={
          list.hasNextPage ? (
            <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
              Load more
            </Button>
          ) : undefined
        }
      >
        {items.map((i) => (
          <Table.Tr key={i.id} data-testid="at-risk-row">
            <Table.Td>{nameCell(i)}</Table.Td>
            <Table.Td>
              <HealthBadge health={i.health} band={i.band} />
            </Table.Td>
            <Table.Td>
              <ChangeText change={i.change} summary={i.changeSummary} />
            </Table.Td>
            <Table.Td>
              <Reasons top={i.top} />
            </Table.Td>
            <Table.Td>
              <FollowupCell item={i} />
            </Table.Td>
          </Table.Tr>
        ))}
      </TableSection>
    </Stack>
  );
}
