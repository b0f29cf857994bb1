import { Anchor, Badge, Button, CloseButton, Group, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { customerKeys, customersApi } from '../../api/customers';
import { formatDateTime, formatRelative } from '../../components/format';
import { IconUsers } from '../../components/icons';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';
import { IconSearch } from '../../components/icons';
import { customerName } from './shared';

const PAGE = 50;
const QUEUE_PEEK = 25;
const nf = new Intl.NumberFormat();

/** The review-queue button, with the number of open suggestions (counted up to one page). */
export function ReviewQueueButton({ workspaceId }: { workspaceId: string }) {
  const queue = useQuery({
    queryKey: customerKeys.queueCount(workspaceId),
    queryFn: () => customersApi.suggestions(workspaceId, { status: 'open', limit: QUEUE_PEEK }),
  });
  const n = queue.data?.suggestions.length ?? 0;
  const label = queue.data ? (queue.data.nextCursor ? `${n}+` : String(n)) : null;
  return (
    <Button
      component={Link}
      to={`/w/${encodeURIComponent(workspaceId)}/customers/review`}
      variant="light"
      leftSection={<IconUsers size={16} />}
      rightSection={
        label !== null && (
          <Badge size="sm" circle={label.length < 3} color={n > 0 ? 'orange' : 'gray'} data-testid="open-suggestions">
            {label}
          </Badge>
        )
      }
      aria-label={label === null ? 'Review queue' : `Review queue: ${label} open`}
    >
      Review queue
    </Button>
  );
}

/** Customers: a searchable list of everyone the identity graph has resolved. */
export function CustomersPage() {
  const { workspaceId, workspaceName } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const [input, setInput] = useState(() => params.get('q') ?? '');
  const [debounced] = useDebouncedValue(input, 300);
  const search = debounced.trim().slice(0, 200);

  // Keep the search in the address, so that going back to the list finds it again.
  useEffect(() => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (search) next.set('q', search);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, [search, setParams]);

  const list = useInfiniteQuery({
    queryKey: customerKeys.list(workspaceId, search),
    queryFn: ({ pageParam, signal }) =>
      customersApi.list(workspaceId, { search: search || undefined, limit: PAGE, before: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // While a new search runs, keep showing the previous rows (marked busy) rather than flashing.
    placeholderData: keepPreviousData,
  });
  const customers = list.data?.pages.flatMap((p) => p.customers) ?? [];
  const fresh = list.isSuccess && !list.isPlaceholderData;
  const base = `/w/${encodeURIComponent(workspaceId)}/customers`;

  return (
    <Stack gap="lg" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={26}>
            Customers
          </Title>
          <Text c="dimmed">One profile per person in {workspaceName}, resolved from every source</Text>
        </div>
        <ReviewQueueButton workspaceId={workspaceId} />
      </Group>

      <TextInput
        label="Search customers"
        description="A name, e-mail, phone number or id, or the start of one. Misspelt names are found by sound."
        placeholder="e.g. Fairweather, ann@example.com, +44 7700 900123"
        type="search"
        maxLength={200}
        value={input}
        onChange={(e) => setInput(e.currentTarget.value)}
        leftSection={<IconSearch size={16} />}
        rightSection={input ? <CloseButton aria-label="Clear search" onClick={() => setInput('')} /> : null}
        maw={640}
      />

      <TableSection
        title={search ? 'Search results' : 'All customers'}
        description={
          <span role="status" aria-live="polite" data-testid="customer-results">
            {search
              ? fresh
                ? `${nf.format(customers.length)} ${customers.length === 1 ? 'customer matches' : 'customers match'} “${search}”: names that start so first, then names that sound alike.`
                : `Searching for “${search}”…`
              : 'Most recently changed first.'}
          </span>
        }
        error={list.error}
        errorTitle="Could not load customers"
        ariaLabel="Customers"
        minWidth={860}
        highlightOnHover
        head={
          <>
            <Table.Th>Name</Table.Th>
            <Table.Th>E-mail</Table.Th>
            <Table.Th>Phone</Table.Th>
            <Table.Th ta="right">Source profiles</Table.Th>
            <Table.Th>Updated</Table.Th>
          </>
        }
        colSpan={5}
        loading={list.isPending}
        skeletonRows={5}
        empty={
          fresh &&
          customers.length === 0 &&
          (search ? (
            <Stack align="center" gap={4} py="lg">
              <Text fw={500}>No customer matches “{search}”</Text>
              <Text size="sm" c="dimmed">
                Try the start of a name, an e-mail address, a phone number or an id.
              </Text>
            </Stack>
          ) : (
            <Stack align="center" gap={4} py="lg">
              <Text fw={500}>No customers yet</Text>
              <Text size="sm" c="dimmed">
                Customers appear here as events arrive and files are imported on the{' '}
                <Anchor component={Link} to={`/w/${encodeURIComponent(workspaceId)}/sources`}>
                  Sources
                </Anchor>{' '}
                page.
              </Text>
            </Stack>
          ))
        }
        footer={
          list.hasNextPage && (
            <Group justify="center">
              <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                Load more customers
              </Button>
            </Group>
          )
        }
      >
        {customers.map((c) => (
          <Table.Tr key={c.id} data-customer-id={c.id} style={list.isPlaceholderData ? { opacity: 0.55 } : undefined}>
            <Table.Td>
              <Anchor component={Link} to={`${base}/${encodeURIComponent(c.id)}`} fw={500} size="sm">
                {customerName(c.name)}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Text size="sm" truncate maw={280} title={c.email ?? undefined}>
                {c.email ?? '—'}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                {c.phone ?? '—'}
              </Text>
            </Table.Td>
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="profile-count">
              {nf.format(c.profiles)}
            </Table.Td>
            <Table.Td>
              <Tooltip label={formatDateTime(c.updatedAt)}>
                <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatRelative(c.updatedAt)}
                </Text>
              </Tooltip>
            </Table.Td>
          </Table.Tr>
        ))}
      </TableSection>
    </Stack>
  );
}
