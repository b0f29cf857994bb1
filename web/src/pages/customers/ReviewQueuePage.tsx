import { Alert, Anchor, Badge, Button, Group, Paper, SegmentedControl, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import {
  customerKeys,
  customersApi,
  SUGGESTION_STATUSES,
  type Suggestion,
  type SuggestionPage,
  type SuggestionSide,
  type SuggestionStatus,
} from '../../api/customers';
import { roleAtLeast } from '../../api/roles';
import { formatDateTime, formatRelative } from '../../components/format';
import { useWorkspace } from '../../components/workspace';
import { IconArrowLeft, IconGitMerge } from '../../components/icons';
import { sourceLabel } from './Identities';
import { EvidenceView, FIELD_ORDER, customerName, fieldLabel, formatScore, formatWeight, identityLabel, useActorName } from './shared';

const PAGE = 25;

const STATUS_LABEL: Record<SuggestionStatus, string> = { open: 'Open', merged: 'Merged', 'kept-apart': 'Kept apart' };

const isStatus = (v: string | null): v is SuggestionStatus => (SUGGESTION_STATUSES as readonly string[]).includes(v ?? '');

const NAME_FIELDS = new Set(['name', 'firstName', 'lastName']);

/**
 * Fields of both records in a stable order, with the comparisons that scored each. Names come
 * first as one row (one side may hold a full name, the other first and last names), with the
 * comparisons of all name parts.
 */
function fieldRows(s: Suggestion) {
  const evidence = s.evidence.fields ?? [];
  const keys = new Set([...Object.keys(s.a.features), ...Object.keys(s.b.features), ...evidence.map((f) => f.field)]);
  const others = [...FIELD_ORDER.filter((k) => keys.has(k) && !NAME_FIELDS.has(k)), ...[...keys].filter((k) => !FIELD_ORDER.includes(k)).sort()];
  return [
    { field: 'name', a: s.a.name, b: s.b.name, evidence: evidence.filter((f) => NAME_FIELDS.has(f.field)) },
    ...others.map((field) => ({
      field,
      a: s.a.features[field] ?? null,
      b: s.b.features[field] ?? null,
      evidence: evidence.filter((f) => f.field === field),
    })),
  ];
}

function SideHeading({ side, letter, base }: { side: SuggestionSide; letter: string; base: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" fw={700} tt="uppercase">
        Record {letter}
      </Text>
      <Anchor component={Link} to={`${base}/${encodeURIComponent(side.customerId)}`} fw={600} size="sm">
        {customerName(side.name)}
      </Anchor>
    </Stack>
  );
}

function SideIdentities({ side }: { side: SuggestionSide }) {
  if (side.identities.length === 0) return <Text size="sm">—</Text>;
  return (
    <Stack gap={2}>
      {side.identities.map((i) => (
        <Text key={`${i.kind}:${i.value}`} size="sm" style={{ wordBreak: 'break-word' }}>
          <Text span c="dimmed">
            {identityLabel(i.kind)}{' '}
          </Text>
          <span className="ec-mono">{i.value}</span>{' '}
          <Badge variant="outline" color="gray" size="xs" tt="none">
            {sourceLabel(i.source)}
          </Badge>
        </Text>
      ))}
    </Stack>
  );
}

interface CardProps {
  s: Suggestion;
  base: string;
  canDecide: boolean;
  deciding: 'merge' | 'keep-apart' | null;
  /** Some decision is being recorded: one at a time. */
  busy: boolean;
  error: unknown;
  onDecide: (decision: 'merge' | 'keep-apart') => void;
  actorName: (actor: string | null) => string;
}

function SuggestionCard({ s, base, canDecide, deciding, busy, error, onDecide, actorName }: CardProps) {
  const rows = fieldRows(s);
  const names = `${customerName(s.a.name)} and ${customerName(s.b.name)}`;
  const titleId = `suggestion-${s.id}`;
  return (
    <Paper withBorder radius="md" p="lg" component="article" aria-labelledby={titleId} data-suggestion-id={s.id}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} fz="md" id={titleId}>
              {names}
            </Title>
            <Text size="xs" c="dimmed">
              Suggested {formatRelative(s.createdAt)}
              {s.decidedAt && ` · ${s.status === 'merged' ? 'merged' : 'kept apart'} ${formatDateTime(s.decidedAt)} by ${actorName(s.decidedBy)}`}
            </Text>
          </div>
          <Group gap="sm" align="center">
            {s.reason === 'conflicting-ids' ? (
              <Tooltip label="Both hold a different strong id of the same kind, so they were not merged silently" multiline maw={300}>
                <Badge color="orange" variant="light" size="lg">
                  Conflicting ids
                </Badge>
              </Tooltip>
            ) : null}
            {s.score !== null && (
              <Stack gap={0} align="flex-end">
                <Text fz={24} fw={700} lh={1} data-testid="suggestion-score">
                  {formatScore(s.score)}
                </Text>
                <Text size="xs" c="dimmed">
                  match probability
                </Text>
              </Stack>
            )}
          </Group>
        </Group>

        <Table.ScrollContainer minWidth={720}>
          <Table withTableBorder withColumnBorders verticalSpacing={6} fz="sm" aria-label={`Records side by side: ${names}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={130}>Field</Table.Th>
                <Table.Th>
                  <SideHeading side={s.a} letter="A" base={base} />
                </Table.Th>
                <Table.Th>
                  <SideHeading side={s.b} letter="B" base={base} />
                </Table.Th>
                <Table.Th>Comparison</Table.Th>
                <Table.Th ta="right" w={90}>
                  Weight
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.field} data-field={r.field}>
                  <Table.Td c="dimmed">{fieldLabel(r.field)}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-word' }}>{r.a ?? '—'}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-word' }}>{r.b ?? '—'}</Table.Td>
                  <Table.Td c={r.evidence.length > 0 ? undefined : 'dimmed'}>
                    {r.evidence.length === 0
                      ? 'not compared'
                      : r.evidence.map((e) => (
                          <div key={e.field}>{e.label}</div>
                        ))}
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {r.evidence.length === 0
                      ? '—'
                      : r.evidence.map((e) => (
                          <Text key={e.field} size="sm" fw={600} c={e.weight > 0 ? 'teal.8' : e.weight < 0 ? 'red.8' : 'dimmed'}>
                            {formatWeight(e.weight)}
                          </Text>
                        ))}
                  </Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Td c="dimmed">Identities</Table.Td>
                <Table.Td>
                  <SideIdentities side={s.a} />
                </Table.Td>
                <Table.Td>
                  <SideIdentities side={s.b} />
                </Table.Td>
                <Table.Td colSpan={2} c="dimmed">
                  {s.reason === 'conflicting-ids' ? 'see the conflict below' : ''}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>

        <EvidenceView evidence={{ ...s.evidence, fields: undefined }} label={`Evidence: ${names}`} />

        {error != null && (
          <Alert color="red" role="alert" title="Could not record the decision">
            {errorMessage(error)}
          </Alert>
        )}
        {s.status === 'open' && canDecide && (
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => onDecide('keep-apart')}
              loading={deciding === 'keep-apart'}
              disabled={busy && deciding !== 'keep-apart'}
              aria-label={`Keep apart: ${names}`}
            >
              Keep apart
            </Button>
            <Button
              onClick={() => onDecide('merge')}
              loading={deciding === 'merge'}
              disabled={busy && deciding !== 'merge'}
              leftSection={<IconGitMerge size={16} />}
              aria-label={`Merge: ${names}`}
            >
              Merge
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** The merge-review queue: pairs that may be one person, side by side with the evidence. */
export function ReviewQueuePage() {
  const { workspaceId, role } = useWorkspace();
  const canDecide = roleAtLeast(role, 'manager');
  const qc = useQueryClient();
  const actorName = useActorName(workspaceId);
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status: SuggestionStatus = isStatus(raw) ? raw : 'open';
  const base = `/w/${encodeURIComponent(workspaceId)}/customers`;
  const [done, setDone] = useState<{ decision: 'merge' | 'keep-apart'; names: string; customerId: string } | null>(null);

  const queue = useInfiniteQuery({
    queryKey: customerKeys.queue(workspaceId, status),
    queryFn: ({ pageParam }) => customersApi.suggestions(workspaceId, { status, limit: PAGE, before: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const suggestions = queue.data?.pages.flatMap((p) => p.suggestions) ?? [];

  const decide = useMutation({
    mutationFn: (v: { s: Suggestion; decision: 'merge' | 'keep-apart' }) => customersApi.decide(workspaceId, v.s.id, v.decision),
    onSuccess: (result, { s, decision }) => {
      // A decided suggestion leaves the open queue at once.
      qc.setQueryData<InfiniteData<SuggestionPage, string | null>>(customerKeys.queue(workspaceId, 'open'), (data) =>
        data ? { ...data, pages: data.pages.map((p) => ({ ...p, suggestions: p.suggestions.filter((x) => x.id !== s.id) })) } : data,
      );
      setDone({ decision, names: `${customerName(s.a.name)} and ${customerName(s.b.name)}`, customerId: result.suggestion.a.customerId });
      void qc.invalidateQueries({ queryKey: customerKeys.all(workspaceId) });
    },
  });

  return (
    <Stack gap="lg" maw={1200}>
      <Group>
        <Button component={Link} to={base} variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={14} />}>
          All customers
        </Button>
      </Group>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={26}>
            Merge review
          </Title>
          <Text c="dimmed" maw={760}>
            Pairs of records that may be one person but were not certain enough to merge automatically, or that hold
            conflicting ids. Compare them side by side, then merge them or keep them apart for good.
          </Text>
        </div>
        <SegmentedControl
          aria-label="Which suggestions"
          value={status}
          onChange={(v) => {
            setDone(null);
            decide.reset();
            setParams(v === 'open' ? {} : { status: v });
          }}
          data={SUGGESTION_STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
        />
      </Group>

      {!canDecide && status === 'open' && (
        <Alert color="gray" title="Read only">
          Only managers, admins and owners can merge customers or keep them apart.
        </Alert>
      )}
      {done && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setDone(null)} title={done.decision === 'merge' ? 'Merged' : 'Kept apart'}>
          {done.decision === 'merge' ? (
            <>
              {done.names} are now one customer.{' '}
              <Anchor component={Link} to={`${base}/${encodeURIComponent(done.customerId)}`}>
                Open the customer
              </Anchor>
            </>
          ) : (
            <>{done.names} stay two customers and will not be suggested again.</>
          )}
        </Alert>
      )}
      {queue.isError && (
        <Alert color="red" role="alert" title="Could not load the review queue">
          {errorMessage(queue.error)}
        </Alert>
      )}
      {queue.isPending && (
        <Stack>
          <Skeleton h={220} radius="md" />
          <Skeleton h={220} radius="md" />
        </Stack>
      )}
      {queue.isSuccess && suggestions.length === 0 && (
        <Paper withBorder radius="md" p="xl">
          <Stack align="center" gap={4}>
            <Text fw={500}>
              {status === 'open' ? 'Nothing to review' : status === 'merged' ? 'No merged suggestions yet' : 'No pairs kept apart yet'}
            </Text>
            <Text size="sm" c="dimmed" ta="center">
              {status === 'open'
                ? 'Pairs that may be the same person show up here when identity resolution is unsure.'
                : 'Suggestions decided in the review queue are listed here.'}
            </Text>
          </Stack>
        </Paper>
      )}

      <Stack gap="md">
        {suggestions.map((s) => (
          <SuggestionCard
            key={s.id}
            s={s}
            base={base}
            canDecide={canDecide}
            busy={decide.isPending}
            deciding={decide.isPending && decide.variables?.s.id === s.id ? decide.variables.decision : null}
            error={decide.isError && decide.variables?.s.id === s.id ? decide.error : null}
            onDecide={(decision) => decide.mutate({ s, decision })}
            actorName={actorName}
          />
        ))}
      </Stack>

      {queue.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void queue.fetchNextPage()} loading={queue.isFetchingNextPage}>
            Load more suggestions
          </Button>
        </Group>
      )}
    </Stack>
  );
}
