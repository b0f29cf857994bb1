import { Alert, Anchor, Button, Grid, Group, Paper, Select, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, errorMessage } from '../../api/client';
import { followupKeys, followupsApi, type Policy, type Task, type TaskAction } from '../../api/followups';
import { roleAtLeast } from '../../api/roles';
import { useSession } from '../../auth/session';
import { formatDateTime } from '../../components/format';
import { IconArrowLeft } from '../../components/icons';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';
import { identityLabel } from '../customers/shared';
import { formatDuration } from './inbox/clock';
import { Countdown } from './inbox/Countdown';
import { Customer360 } from './inbox/Customer360';
import { History } from './inbox/History';
import { PriorityBadge, StatusBadge, useMembers, useWhoName } from './inbox/labels';
import { NotificationRows, targetLabel } from './inbox/Notifications';
import { useNow } from './inbox/useNow';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={190} fw={500} c="dimmed">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

const notifyText = (n: Policy['escalation'][number]['notify']): string => (n === 'owner' ? 'the owner' : n === 'manager' ? 'the team manager' : `target ${n.targetId}`);

/** The SLA policy the task's clock follows (its plan was fixed when the task was made). */
function PolicySummary({ workspaceId, policyId }: { workspaceId: string; policyId: string | null }) {
  const policy = useQuery({
    queryKey: [...followupKeys.policies(workspaceId), policyId],
    queryFn: () => followupsApi.policy(workspaceId, policyId ?? ''),
    enabled: policyId !== null,
    retry: false,
  });
  if (policyId === null) return <Text size="sm">No SLA policy: this task has no clock.</Text>;
  if (policy.isPending) return <Skeleton h={20} />;
  if (policy.isError) return <Text size="sm" c="dimmed">{policy.error instanceof ApiError && policy.error.status === 404 ? `Policy ${policyId} (deleted; the task keeps its plan)` : errorMessage(policy.error)}</Text>;
  const p = policy.data;
  return (
    <Stack gap={2} data-testid="task-policy">
      <Text size="sm" fw={500}>
        {p.name}
      </Text>
      <Text size="xs" c="dimmed">
        First contact within {formatDuration(p.firstContactMinutes * 60_000)}
        {p.resolutionMinutes !== null ? `, resolution within ${formatDuration(p.resolutionMinutes * 60_000)}` : ''}
        {p.teamId ? ' (team working hours)' : ' (24/7)'}
        {p.pauseWhenWaiting ? '; paused while waiting on the customer' : ''}
      </Text>
      {p.escalation.length > 0 && (
        <Text size="xs" c="dimmed">
          Escalation: {p.escalation.map((e) => `${e.atPercent} % of ${e.of === 'resolution' ? 'resolution' : 'first contact'} → ${notifyText(e.notify)}`).join('; ')}
        </Text>
      )}
    </Stack>
  );
}

function Actions({ workspaceId, task, canManage, myId }: { workspaceId: string; task: Task; canManage: boolean; myId: string | null }) {
  const qc = useQueryClient();
  const members = useMembers(workspaceId).data?.members ?? [];
  const [assignee, setAssignee] = useState<string | null>(null);
  const refresh = (t?: Task) => {
    if (t) qc.setQueryData(followupKeys.task(workspaceId, t.id), (old: { task: Task } | undefined) => (old ? { ...old, task: t } : old));
    void qc.invalidateQueries({ queryKey: followupKeys.tasks(workspaceId) });
  };
  const act = useMutation({ mutationFn: (a: TaskAction) => followupsApi.act(workspaceId, task.id, a), onSuccess: (t) => refresh(t), onError: () => refresh() });
  const assign = useMutation({ mutationFn: (userId: string) => followupsApi.assign(workspaceId, task.id, userId), onSuccess: (t) => { setAssignee(null); refresh(t); }, onError: () => refresh() });
  const busy = act.isPending || assign.isPending;
  const open = task.status !== 'resolved';
  const mayTake = myId !== null && task.ownerUserId !== myId && (task.ownerUserId === null || canManage);
  const error = act.error ?? assign.error;

  return (
    <Stack gap="sm">
      <Group gap="xs">
        {(task.status === 'open' || task.status === 'waiting') && task.contactedAt === null && (
          <Button onClick={() => act.mutate('contacted')} loading={act.isPending && act.variables === 'contacted'} disabled={busy}>
            Contacted
          </Button>
        )}
        {(task.status === 'open' || task.status === 'contacted') && (
          <Button variant="default" onClick={() => act.mutate('waiting')} loading={act.isPending && act.variables === 'waiting'} disabled={busy}>
            Waiting on customer
          </Button>
        )}
        {task.status === 'waiting' && (
          <Button variant="default" onClick={() => act.mutate('resume')} loading={act.isPending && act.variables === 'resume'} disabled={busy}>
            Resume
          </Button>
        )}
        {open && (
          <Button color="green" variant="light" onClick={() => act.mutate('resolved')} loading={act.isPending && act.variables === 'resolved'} disabled={busy}>
            Resolved
          </Button>
        )}
        {open && mayTake && myId && (
          <Button variant="subtle" onClick={() => assign.mutate(myId)} loading={assign.isPending && assign.variables === myId} disabled={busy}>
            Assign to me
          </Button>
        )}
      </Group>
      {open && canManage && (
        <Group gap="xs" align="flex-end">
          <Select
            label="Assign to"
            placeholder="Choose a member"
            searchable
            w={260}
            value={assignee}
            onChange={setAssignee}
            data={members.filter((m) => m.role !== 'viewer' && m.userId !== task.ownerUserId).map((m) => ({ value: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email }))}
          />
          <Button variant="default" disabled={!assignee || busy} loading={assign.isPending && assign.variables !== myId} onClick={() => assignee && assign.mutate(assignee)}>
            Assign
          </Button>
        </Group>
      )}
      {error != null && (
        <Alert color="red" role="alert" title="That did not work">
          {errorMessage(error)}
          {error instanceof ApiError && error.code === 'TASK_CHANGED' ? ' The task is shown as it is now.' : ''}
        </Alert>
      )}
    </Stack>
  );
}

/** One follow-up task: its clock, what to do next, its history and notifications, and the customer beside it. */
export function TaskPage() {
  const { workspaceId, role } = useWorkspace();
  const { taskId = '' } = useParams();
  const session = useSession();
  const now = useNow(1000);
  const who = useWhoName(workspaceId);
  const base = `/w/${encodeURIComponent(workspaceId)}/follow-ups`;
  const canWork = roleAtLeast(role, 'agent');
  const canManage = roleAtLeast(role, 'manager');

  const detail = useQuery({ queryKey: followupKeys.task(workspaceId, taskId), queryFn: () => followupsApi.task(workspaceId, taskId), refetchInterval: 15_000 });
  const notifications = useQuery({
    queryKey: followupKeys.notifications(workspaceId, { taskId }),
    queryFn: () => followupsApi.notifications(workspaceId, { taskId, limit: 50 }),
    refetchInterval: 15_000,
  });
  const targets = useQuery({ queryKey: followupKeys.targets(workspaceId), queryFn: () => followupsApi.targets(workspaceId), staleTime: 60_000 });
  const notFound = detail.error instanceof ApiError && detail.error.status === 404;
  const task = detail.data?.task;

  return (
    <Stack gap="lg" maw={1600}>
      <Group>
        <Button component={Link} to={base} variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={14} />}>
          Inbox
        </Button>
      </Group>
      {detail.isPending && <Skeleton h={320} radius="md" />}
      {detail.isError && (
        <Alert color="red" role="alert" title={notFound ? 'No such task' : 'Could not load this task'}>
          {notFound ? 'This task does not exist in this workspace.' : errorMessage(detail.error)}
        </Alert>
      )}
      {task && detail.data && (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="lg">
              <Paper withBorder radius="md" p="lg" component="section" aria-label="Task">
                <Stack gap="md">
                  <div>
                    <Title order={1} fz={24} data-testid="task-title" style={{ wordBreak: 'break-word' }}>
                      {task.title}
                    </Title>
                    <Group gap="xs" mt={6}>
                      <StatusBadge status={task.status} />
                      <PriorityBadge priority={task.priority} />
                      <Text size="xs" c="dimmed">
                        {task.triggerKind}
                      </Text>
                    </Group>
                  </div>
                  <Countdown task={task} now={now} withBar />
                  {canWork ? (
                    <Actions workspaceId={workspaceId} task={task} canManage={canManage} myId={session.data?.user.id ?? null} />
                  ) : (
                    <Text size="sm" c="dimmed">
                      Viewers can follow tasks; agents and managers work them.
                    </Text>
                  )}
                  <Table verticalSpacing={6} fz="sm" aria-label="Task details">
                    <Table.Tbody>
                      <Row label="Owner">
                        <span data-testid="task-owner">{who(task.ownerUserId)}</span>
                      </Row>
                      <Row label="Customer">
                        {identityLabel(task.respondent.kind)} <span className="ec-mono">{task.respondent.value}</span>
                      </Row>
                      <Row label="SLA policy">
                        <PolicySummary workspaceId={workspaceId} policyId={task.policyId} />
                      </Row>
                      <Row label="Started">{formatDateTime(task.startedAt)}</Row>
                      <Row label="First contact due">
                        <span data-testid="first-contact-due">{formatDateTime(task.firstContactDueAt)}</span>
                        {task.firstBreachedAt && <Text span c="red.8"> · breached {formatDateTime(task.firstBreachedAt)}</Text>}
                      </Row>
                      <Row label="Contacted">
                        {task.contactedAt ? `${formatDateTime(task.contactedAt)} by ${who(task.contactedBy)}${task.slaMet === true ? ' · in time' : task.slaMet === false ? ' · late' : ''}` : 'Not yet'}
                      </Row>
                      <Row label="Resolution due">
                        {formatDateTime(task.resolutionDueAt)}
                        {task.resolutionBreachedAt && <Text span c="red.8"> · breached {formatDateTime(task.resolutionBreachedAt)}</Text>}
                      </Row>
                      <Row label="Resolved">{task.resolvedAt ? formatDateTime(task.resolvedAt) : 'Not yet'}</Row>
                      {(task.pausedAt || task.pausedMs > 0) && (
                        <Row label="Paused">
                          {task.pausedAt ? `since ${formatDateTime(task.pausedAt)}` : ''}
                          {task.pausedMs > 0 ? `${task.pausedAt ? '; ' : ''}${formatDuration(task.pausedMs)} of working time before` : ''}
                        </Row>
                      )}
                      <Row label="Source">
                        {task.source.type} <span className="ec-mono">{task.source.id}</span>
                      </Row>
                    </Table.Tbody>
                  </Table>
                </Stack>
              </Paper>

              <History events={detail.data.history} who={who} />

              <TableSection
                title="Notifications"
                description={
                  <>
                    Reminders and escalations about this task.{' '}
                    <Anchor component={Link} to={`${base}/rules?tab=targets`} size="sm">
                      The whole delivery log
                    </Anchor>
                  </>
                }
                error={notifications.error}
                errorTitle="Could not load the notifications"
                ariaLabel="Notifications of this task"
                minWidth={560}
                head={
                  <>
                    <Table.Th>Message</Table.Th>
                    <Table.Th>To</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Attempts</Table.Th>
                    <Table.Th>When</Table.Th>
                  </>
                }
                colSpan={5}
                loading={notifications.isPending}
                empty={notifications.isSuccess && notifications.data.notifications.length === 0 && <Text size="sm" c="dimmed">No notifications yet.</Text>}
              >
                <NotificationRows items={notifications.data?.notifications ?? []} targetName={(id) => targetLabel(id, targets.data?.targets, who)} />
              </TableSection>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Customer360 workspaceId={workspaceId} task={task} />
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
