import { Alert, Anchor, Badge, Button, Grid, Group, Paper, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, errorMessage } from '../../api/client';
import { customerKeys, customersApi, type CustomerView } from '../../api/customers';
import { roleAtLeast } from '../../api/roles';
import { formatDateTime, formatRelative } from '../../components/format';
import { useWorkspace } from '../../components/workspace';
import { IconArrowLeft } from '../../components/icons';
import { HealthPanel } from '../insight/HealthPanel';
import { Identities, sourceLabel } from './Identities';
import { MergeHistory } from './MergeHistory';
import { customerName } from './shared';
import { Timeline } from './Timeline';
import { Traits } from './Traits';

/** Set by an unmerge, so that the page it lands on can say what happened. */
interface UnmergedState {
  unmerged?: { survivorId: string; restoredId: string };
}

function Accounts({ accounts }: { accounts: CustomerView['accounts'] }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="accounts-heading">
      <Stack gap="sm">
        <div>
          <Title order={2} fz="lg" id="accounts-heading">
            Accounts
          </Title>
          <Text size="sm" c="dimmed">
            Companies or accounts this customer belongs to.
          </Text>
        </div>
        {accounts.length === 0 ? (
          <Text size="sm" c="dimmed">
            No account linked.
          </Text>
        ) : (
          <Table verticalSpacing={6} fz="sm" aria-label="Accounts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Id</Table.Th>
                <Table.Th>Source</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {accounts.map((a) => (
                <Table.Tr key={`${a.source}:${a.id}`}>
                  <Table.Td>{a.name ?? '—'}</Table.Td>
                  <Table.Td className="ec-mono">{a.id}</Table.Td>
                  <Table.Td>{a.source}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

function Header({ view, workspaceId }: { view: CustomerView; workspaceId: string }) {
  const sources = [...new Set(view.identities.map((i) => sourceLabel(i.source)))].sort();
  const base = `/w/${encodeURIComponent(workspaceId)}/customers`;
  return (
    <Paper withBorder radius="md" p="lg">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1} fz={26} data-testid="customer-name">
            {customerName(view.name)}
          </Title>
          <Group gap="lg">
            <Text size="sm">
              <Text span c="dimmed">
                E-mail{' '}
              </Text>
              <span data-testid="customer-email">{view.email ?? '—'}</span>
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                Phone{' '}
              </Text>
              <span data-testid="customer-phone">{view.phone ?? '—'}</span>
            </Text>
          </Group>
          <Group gap={6} mt={4}>
            <Text size="xs" c="dimmed">
              Sources:
            </Text>
            {sources.map((s) => (
              <Badge key={s} variant="outline" color="gray" size="sm" tt="none">
                {s}
              </Badge>
            ))}
          </Group>
        </Stack>
        <Stack gap={4} align="flex-end">
          <Badge size="lg" variant="light" data-testid="customer-profiles">
            {view.profiles} source {view.profiles === 1 ? 'profile' : 'profiles'}
          </Badge>
          <Text size="xs" c="dimmed">
            First seen {formatDateTime(view.createdAt)}
          </Text>
          <Tooltip label={formatDateTime(view.updatedAt)}>
            <Text size="xs" c="dimmed">
              Updated {formatRelative(view.updatedAt)}
            </Text>
          </Tooltip>
          <Text size="xs" c="dimmed" className="ec-mono">
            {view.id}
          </Text>
          {view.openSuggestions > 0 && (
            <Anchor component={Link} to={`${base}/review`} size="sm">
              {view.openSuggestions} open merge {view.openSuggestions === 1 ? 'suggestion' : 'suggestions'} — review
            </Anchor>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}

/** One customer: who they are, every source they came from, one timeline, and how their profiles were merged. */
export function CustomerPage() {
  const { workspaceId, role } = useWorkspace();
  const { customerId = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canMerge = roleAtLeast(role, 'manager');
  const base = `/w/${encodeURIComponent(workspaceId)}/customers`;
  const unmerged = (location.state as UnmergedState | null)?.unmerged;

  const customer = useQuery({
    queryKey: customerKeys.one(workspaceId, customerId),
    queryFn: () => customersApi.get(workspaceId, customerId),
  });
  const view = customer.data;

  const onUnmerged = (result: { survivorId: string; restoredId: string }) => {
    void qc.invalidateQueries({ queryKey: customerKeys.all(workspaceId) });
    // Land on the customer that stayed; the note links to the one that was split off.
    navigate(`${base}/${encodeURIComponent(result.survivorId)}`, { state: { unmerged: result } satisfies UnmergedState });
  };

  const notFound = customer.error instanceof ApiError && customer.error.status === 404;

  return (
    <Stack gap="lg" maw={1400}>
      <Group>
        <Button component={Link} to={base} variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={14} />}>
          All customers
        </Button>
      </Group>

      {customer.isPending && (
        <Stack>
          <Skeleton h={120} radius="md" />
          <Skeleton h={320} radius="md" />
        </Stack>
      )}
      {customer.isError && (
        <Alert color="red" role="alert" title={notFound ? 'No such customer' : 'Could not load this customer'}>
          {notFound ? 'This customer does not exist in this workspace.' : errorMessage(customer.error)}
        </Alert>
      )}

      {view && (
        <>
          {unmerged && (
            <Alert color="teal" role="status" title="Unmerged">
              The two customers are apart again.{' '}
              {unmerged.survivorId === view.id ? (
                <Anchor component={Link} to={`${base}/${encodeURIComponent(unmerged.restoredId)}`}>
                  Open the customer that was split off
                </Anchor>
              ) : (
                <Anchor component={Link} to={`${base}/${encodeURIComponent(unmerged.survivorId)}`}>
                  Open the other customer
                </Anchor>
              )}
            </Alert>
          )}
          {view.requestedId !== view.id && (
            <Alert color="blue" role="note" title="Merged profile" data-testid="merged-into">
              The profile <span className="ec-mono">{view.requestedId}</span> was merged into {customerName(view.name)}: this is
              the customer it belongs to now.
            </Alert>
          )}

          <Header view={view} workspaceId={workspaceId} />

          <HealthPanel customerId={view.id} />

          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Timeline key={`${view.id}:${view.updatedAt}:${view.profiles}`} workspaceId={workspaceId} customerId={view.id} first={view.timeline} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Stack gap="lg">
                <Identities identities={view.identities} />
                <Accounts accounts={view.accounts} />
              </Stack>
            </Grid.Col>
          </Grid>

          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <MergeHistory workspaceId={workspaceId} view={view} canMerge={canMerge} onUnmerged={onUnmerged} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Traits traits={view.traits} />
            </Grid.Col>
          </Grid>
        </>
      )}
    </Stack>
  );
}
