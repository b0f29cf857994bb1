import { Button, Code, Group, Table, Text, Tooltip } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import type { AuditEntry } from '../../api/types';
import { formatDateTime, formatRelative } from '../../components/format';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';

const PAGE = 50;

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** Details as "key: value" pairs (rendered as text, never as markup). */
function detailPairs(details: unknown): [string, string][] {
  if (details === null || details === undefined) return [];
  if (typeof details === 'object' && !Array.isArray(details)) {
    return Object.entries(details as Record<string, unknown>).map(([k, v]) => [k, valueText(v)]);
  }
  return [['', valueText(details)]];
}

function actorText(e: AuditEntry): string {
  return e.actor.label || e.actor.id || e.actor.type;
}

export function AuditTab() {
  const { workspaceId } = useWorkspace();
  const audit = useInfiniteQuery({
    queryKey: ['audit', workspaceId],
    queryFn: ({ pageParam }) => api.audit(workspaceId, { limit: PAGE, before: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const entries = audit.data?.pages.flatMap((p) => p.entries) ?? [];

  return (
    <TableSection
      title="Audit log"
      description="Who changed what in this workspace, newest first."
      action={
        <Button variant="default" onClick={() => void audit.refetch()} loading={audit.isRefetching && !audit.isFetchingNextPage}>
          Refresh
        </Button>
      }
      error={audit.error}
      errorTitle="Could not load the audit log"
      ariaLabel="Audit log"
      minWidth={820}
      striped
      head={
        <>
          <Table.Th w={190}>When</Table.Th>
          <Table.Th>Actor</Table.Th>
          <Table.Th>Action</Table.Th>
          <Table.Th>Target</Table.Th>
          <Table.Th>Details</Table.Th>
        </>
      }
      colSpan={5}
      loading={audit.isPending}
      skeletonRows={4}
      empty={
        audit.isSuccess &&
        entries.length === 0 && (
          <Text ta="center" c="dimmed" py="md">
            Nothing has been recorded yet.
          </Text>
        )
      }
      footer={
        audit.hasNextPage && (
          <Group justify="center">
            <Button variant="default" onClick={() => void audit.fetchNextPage()} loading={audit.isFetchingNextPage}>
              Load older entries
            </Button>
          </Group>
        )
      }
    >
      {entries.map((e) => {
        const details = detailPairs(e.details);
        return (
          <Table.Tr key={e.id}>
            <Table.Td>
              <Tooltip label={formatRelative(e.at)}>
                <Text size="sm">{formatDateTime(e.at)}</Text>
              </Tooltip>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{actorText(e)}</Text>
              <Text size="xs" c="dimmed">
                {e.actor.type}
              </Text>
            </Table.Td>
            <Table.Td>
              <Code>{e.action}</Code>
            </Table.Td>
            <Table.Td>
              {e.target ? (
                <Text size="sm">
                  {e.target.type}{' '}
                  <Text span size="xs" c="dimmed" className="ec-mono">
                    {e.target.id}
                  </Text>
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  —
                </Text>
              )}
            </Table.Td>
            <Table.Td maw={380}>
              {details.length > 0 && (
                <Text size="xs" c="dimmed" lineClamp={3}>
                  {details.map(([k, v], i) => (
                    <span key={k || i}>
                      {i > 0 && ' · '}
                      {k && <b>{k}: </b>}
                      {v}
                    </span>
                  ))}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        );
      })}
    </TableSection>
  );
}
