import { Alert, Anchor, Badge, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError, errorMessage } from '../../../api/client';
import { customerKeys, customersApi } from '../../../api/customers';
import type { Task } from '../../../api/followups';
import { Identities } from '../../customers/Identities';
import { customerName, identityLabel } from '../../customers/shared';
import { Timeline } from '../../customers/Timeline';
import { Traits } from '../../customers/Traits';

/** The customer behind a task, beside it: who they are, their traits and identities, and one timeline. */
export function Customer360({ workspaceId, task }: { workspaceId: string; task: Task }) {
  const customerId = task.customerId;
  const customer = useQuery({
    queryKey: customerKeys.one(workspaceId, customerId ?? ''),
    queryFn: () => customersApi.get(workspaceId, customerId ?? ''),
    enabled: customerId !== null,
  });

  if (customerId === null) {
    return (
      <Paper withBorder radius="md" p="lg" component="section" aria-label="Customer" data-testid="customer-360">
        <Stack gap="xs">
          <Title order={2} fz="lg">
            Customer
          </Title>
          <Alert color="gray" role="note" title="No customer profile" data-testid="no-customer">
            This task has no customer id: the {identityLabel(task.respondent.kind).toLowerCase()} <span className="ec-mono">{task.respondent.value}</span> was not
            linked to a customer profile when the task was made.
          </Alert>
        </Stack>
      </Paper>
    );
  }

  const view = customer.data;
  const notFound = customer.error instanceof ApiError && customer.error.status === 404;
  return (
    <Stack gap="lg" component="section" aria-label="Customer" data-testid="customer-360">
      {customer.isPending && <Skeleton h={240} radius="md" />}
      {customer.isError && (
        <Alert color="red" role="alert" title={notFound ? 'No such customer' : 'Could not load the customer'}>
          {notFound ? 'The customer of this task no longer exists in this workspace.' : errorMessage(customer.error)}
        </Alert>
      )}
      {view && (
        <>
          <Paper withBorder radius="md" p="lg">
            <Group justify="space-between" align="flex-start">
              <Stack gap={4}>
                <Title order={2} fz={22} data-testid="customer-name">
                  {customerName(view.name)}
                </Title>
                <Group gap="lg">
                  <Text size="sm">
                    <Text span c="dimmed">
                      E-mail{' '}
                    </Text>
                    {view.email ?? '—'}
                  </Text>
                  <Text size="sm">
                    <Text span c="dimmed">
                      Phone{' '}
                    </Text>
                    {view.phone ?? '—'}
                  </Text>
                </Group>
              </Stack>
              <Stack gap={4} align="flex-end">
                <Badge variant="light">
                  {view.profiles} source {view.profiles === 1 ? 'profile' : 'profiles'}
                </Badge>
                <Anchor component={Link} to={`/w/${encodeURIComponent(workspaceId)}/customers/${encodeURIComponent(view.id)}`} size="sm">
                  Open the customer page
                </Anchor>
              </Stack>
            </Group>
          </Paper>
          <Timeline key={`${view.id}:${view.updatedAt}:${view.profiles}`} workspaceId={workspaceId} customerId={view.id} first={view.timeline} />
          <Traits traits={view.traits} />
          <Identities identities={view.identities} />
        </>
      )}
    </Stack>
  );
}
