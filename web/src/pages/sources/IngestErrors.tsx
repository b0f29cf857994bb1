import { Badge, Code, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { formatDateTime, formatRelative } from '../../components/format';
import { TableSection } from '../../components/TableSection';

/**
 * Recent messages the tracking API rejected, newest first, and requests it refused as a whole
 * (a body that is not JSON, too large …: no message id, and the endpoint as the type).
 */
export function IngestErrors({ workspaceId, paused }: { workspaceId: string; paused: boolean }) {
  const errors = useQuery({
    queryKey: ['ingest-errors', workspaceId],
    queryFn: () => api.ingestErrors(workspaceId, { limit: 50 }),
    refetchInterval: paused ? false : 4000,
  });
  const list = errors.data?.errors ?? [];

  return (
    <TableSection
      title="Validation errors"
      description="Messages, and whole requests, the tracking API rejected."
      action={
        list.length > 0 && (
          <Badge color="red" variant="light">
            {list.length}
            {list.length >= 50 ? '+' : ''} recent
          </Badge>
        )
      }
      error={errors.error}
      errorTitle="Could not load validation errors"
      ariaLabel="Validation errors"
      minWidth={420}
      maxHeight={560}
      verticalSpacing={6}
      head={
        <>
          <Table.Th>Time</Table.Th>
          <Table.Th>Error</Table.Th>
          <Table.Th>Message</Table.Th>
        </>
      }
      colSpan={3}
      loading={errors.isPending}
      skeletonRows={1}
      empty={
        errors.isSuccess &&
        list.length === 0 && (
          <Stack align="center" gap={4} py="lg">
            <Text fw={500}>No validation errors</Text>
            <Text size="sm" c="dimmed" ta="center">
              Rejected messages and requests are listed here with the reason.
            </Text>
          </Stack>
        )
      }
    >
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
    </TableSection>
  );
}
