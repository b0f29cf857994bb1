import { Anchor, Button, Group, Select, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { followupKeys, followupsApi, TASK_STATUSES, TASK_VIEWS, type TaskStatus, type TaskViewFilter } from '../../api/followups';
import { roleAtLeast } from '../../api/roles';
import { identityLabel } from '../customers/shared';
import { formatDateTime, formatRelative } from '../../components/format';
import { IconChart, IconSettings } from '../../components/icons';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';
import { Countdown } from './inbox/Countdown';
import { PriorityBadge, STATUS, StatusBadge, useWhoName } from './inbox/labels';
import { useNow } from './inbox/useNow';

const VIEW_LABEL: Record<TaskViewFilter, string> = { mine: 'Mine', team: 'My team', all: 'All' };

/** Follow-ups: the inbox of tasks with their owners and live SLA countdowns. */
export function InboxPage() {
  const { workspaceId, role } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const view = (TASK_VIEWS as readonly string[]).includes(params.get('view') ?? '') ? (params.get('view') as TaskViewFilter) : 'all';
  const status = (TASK_STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as TaskStatus) : null;
  const now = useNow(1000);
  const who = useWhoName(workspaceId);
  const base = `/w/${encodeURIComponent(workspaceId)}/follow-ups`;

  const tasks = useQuery({
    queryKey: followupKeys.inbox(workspaceId, view, status),
    queryFn: () => followupsApi.tasks(workspaceId, { view, status, limit: 200 }),
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
  });
  const list = tasks.data?.tasks ?? [];

  const setFilter = (key: 'view' | 'status', value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="lg" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={26}>
            Follow-ups
          </Title>
          <Text c="dimmed">Customers waiting for a person, with the time left before each SLA is breached</Text>
        </div>
        <Group>
          <Button component={Link} to={`${base}/reports`} variant="default" leftSection={<IconChart size={16} />}>
            Reports
          </Button>
          <Button component={Link} to={`${base}/rules`} variant="default" leftSection={<IconSettings size={16} />}>
            {roleAtLeast(role, 'manager') ? 'Rules and set-up' : 'Rules'}
          </Button>
        </Group>
      </Group>

      <Group justify="space-between" align="flex-end">
        <Tabs value={view} onChange={(v) => setFilter('view', v === 'all' ? null : v)}>
          <Tabs.List aria-label="Whose tasks">
            {TASK_VIEWS.map((v) => (
              <Tabs.Tab key={v} value={v}>
                {VIEW_LABEL[v]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          w={220}
          value={status}
          onChange={(v) => setFilter('status', v)}
          data={TASK_STATUSES.map((s) => ({ value: s, label: STATUS[s].label }))}
        />
      </Group>

      <TableSection
        title="Tasks"
        description={
          tasks.isSuccess ? (
            <span data-testid="task-count">
              {list.length} {list.length === 1 ? 'task' : 'tasks'}
              {tasks.data.nextCursor ? ' (newest 200)' : ''} · refreshed every 15 s
            </span>
          ) : (
            'Newest first'
          )
        }
        error={tasks.error}
        errorTitle="Could not load the tasks"
        ariaLabel="Follow-up tasks"
        minWidth={1000}
        highlightOnHover
        head={
          <>
            <Table.Th>Task</Table.Th>
            <Table.Th>Customer</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Priority</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>SLA</Table.Th>
          </>
        }
        colSpan={6}
        loading={tasks.isPending}
        empty={
          tasks.isSuccess &&
          list.length === 0 && (
            <Stack align="center" gap={4} py="lg">
              <Text fw={500}>{view === 'mine' ? 'Nothing assigned to you' : view === 'team' ? 'No tasks for your teams' : 'No tasks'}</Text>
              <Text size="sm" c="dimmed">
                Rules turn events and answers into tasks: enable a template under “Rules and set-up”.
              </Text>
            </Stack>
          )
        }
      >
        {list.map((t) => (
          <Table.Tr key={t.id} data-task-id={t.id}>
            <Table.Td>
              <Stack gap={2}>
                <Anchor component={Link} to={`${base}/tasks/${encodeURIComponent(t.id)}`} fw={500} size="sm" data-testid="task-link">
                  {t.title}
                </Anchor>
                <Text size="xs" c="dimmed" title={formatDateTime(t.startedAt)}>
                  {t.triggerKind} · started {formatRelative(t.startedAt, now)}
                </Text>
              </Stack>
            </Table.Td>
            <Table.Td>
              {t.customerId ? (
                <Anchor component={Link} to={`/w/${encodeURIComponent(workspaceId)}/customers/${encodeURIComponent(t.customerId)}`} size="sm" data-testid="task-customer">
                  {t.respondent.value}
                </Anchor>
              ) : (
                <Text size="sm" data-testid="task-customer">
                  {t.respondent.value}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {identityLabel(t.respondent.kind)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" data-testid="task-owner" c={t.ownerUserId ? undefined : 'dimmed'}>
                {who(t.ownerUserId)}
              </Text>
            </Table.Td>
            <Table.Td>
              <PriorityBadge priority={t.priority} />
            </Table.Td>
            <Table.Td>
              <StatusBadge status={t.status} />
            </Table.Td>
            <Table.Td>
              <Countdown task={t} now={now} />
            </Table.Td>
          </Table.Tr>
        ))}
      </TableSection>
    </Stack>
  );
}
