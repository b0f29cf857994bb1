import { Alert, Badge, Code, Group, Paper, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import { formatDateTime, formatRelative } from '../../components/format';

/** Recent messages the tracking API rejected, newest first. */
export function IngestErrors({ workspaceId, paused }: { workspaceId: string; paused: boolean }) {
  const errors = useQuery({
    queryKey: ['ingest-errors', workspaceId],
    queryFn: () => api.ingestErrors(workspaceId, { limit: 50 }),
    refetchInterval: paused ? false : 4000,
  });
  const list = errors.data?.errors ?? [];

  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end" gap="xs">
        <div>
          <Title order={2} fz="lg">
            Validation errors
          </Title>
          <Text size="sm" c="dimmed">
            Messages the tracking API rejected.
          </Text>
        </div>
        {list.length > 0 && (
          <Badge color="red" variant="light">
            {list.length}
            {list.length >= 50 ? '+' : ''} recent
          </Badge>
        )}
      </Group>
      {errors.isError && (
        <Alert color="red" role="alert" title="Could not load validation errors">
          {errorMessage(errors.error)}
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={420} maxHeight={560}>
          <Table verticalSpacing={6} aria-label="Validation errors" stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Error</Table.Th>
                <Table.Th>Message</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {errors.isPending && (
                <Table.Tr>
                  <Table.Td colSpan={3}>
                    <Skeleton h={20} />
                  </Table.Td>
                </Table.Tr>
              )}
              {list.map((e, i) => (
                <Table.Tr key={`${e.at}-${e.messageId ?? ''}-${i}`}>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <Tooltip label={formatDateTime(e.at)}>
                      <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {formatRelative(e.at)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <Stack gap={2}>
                      <Code c="red.8" style={{ alignSelf: 'flex-start' }}>
                        {e.code}
                      </Code>
                      <Text size="sm" style={{ wordBreak: 'break-word' }}>
                        {e.message}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <Stack gap={2}>
                      <Text size="xs">
                        <Text span c="dimmed" size="xs">
                          type{' '}
                        </Text>
                        {e.type ?? '—'}
                      </Text>
                      <Text size="xs" style={{ wordBreak: 'break-all' }}>
                        <Text span c="dimmed" size="xs">
                          id{' '}
                        </Text>
                        <Text span ff="monospace" size="xs">
                          {e.messageId ?? '—'}
                        </Text>
                      </Text>
                      <Text size="xs">
                        <Text span c="dimmed" size="xs">
                          key{' '}
                        </Text>
                        <Text span ff="monospace" size="xs">
                          {e.keyPrefix ? `${e.keyPrefix}…` : '—'}
                        </Text>
                      </Text>
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
              {errors.isSuccess && list.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={3}>
                    <Stack align="center" gap={4} py="lg">
                      <Text fw={500}>No validation errors</Text>
                      <Text size="sm" c="dimmed" ta="center">
                        Rejected messages and the reason are listed here.
                      </Text>
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    </Stack>
  );
}
