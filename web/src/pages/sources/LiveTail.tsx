import {
  ActionIcon,
  Alert,
  Badge,
  Code,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import type { EventType, EventView } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { IconChevronRight } from '../../components/icons';

/** Rows kept in memory: the newest this many. */
export const TAIL_CAP = 200;
const INITIAL = 50;
const PAGE = 100;
const POLL_MS = 2000;
const MAX_BACKOFF_MS = 30_000;

export const EVENT_TYPE_COLOR: Record<EventType, string> = {
  identify: 'violet',
  track: 'blue',
  page: 'teal',
  screen: 'cyan',
  group: 'orange',
  alias: 'gray',
};

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeOfDay.format(d);
}

/** Pretty JSON as text, for a <pre>; never interpreted as HTML. */
export function prettyJson(value: unknown): string {
  if (value === undefined) return '—';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Merge tail events into the list (newest first): each id once, in id order (ids sort by the
 * time they were stored), capped. The tail sends recent events more than once (see
 * `useLiveTail`), and an event that committed late on another server arrives after newer
 * ones: it takes its place by id, not the top.
 */
export function mergeTail(current: EventView[], arrived: EventView[], cap = TAIL_CAP): EventView[] {
  if (arrived.length === 0) return current;
  const seen = new Set(current.map((e) => e.id));
  const fresh: EventView[] = [];
  for (const e of arrived) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    fresh.push(e);
  }
  if (fresh.length === 0) return current;
  return [...fresh, ...current].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, cap);
}

/** Ids remembered to tell new events from ones the tail sends again; oldest forgotten first. */
const SEEN_CAP = 2000;

interface TailState {
  events: EventView[];
  loading: boolean;
  error: unknown;
  /** Ids that arrived through the tail (not the first page), to highlight once. */
  arrived: ReadonlySet<string>;
  lastPolledAt: number | null;
}

/**
 * The newest events, then every event stored after them: GET /events/tail without a cursor,
 * then with the cursor it returns, every two seconds while not paused (at once again while
 * full pages come back and the cursor moves, to catch up; slower after errors).
 *
 * The server keeps the cursor up to 5 seconds behind the newest event, because with several
 * server processes an event can commit a moment after a newer one was read: the last seconds
 * are sent again with each answer, and ids already here are dropped.
 */
export function useLiveTail(workspaceId: string, paused: boolean): TailState {
  const [state, setState] = useState<TailState>({
    events: [],
    loading: true,
    error: null,
    arrived: new Set(),
    lastPolledAt: null,
  });
  const cursor = useRef<string | null>(null);
  const started = useRef(false);
  const arrived = useRef(new Set<string>());
  const seen = useRef(new Set<string>());
  const qc = useQueryClient();

  useEffect(() => {
    if (paused) return;
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;

    /** The events not seen before, remembered from now on. */
    const unseen = (events: EventView[]): EventView[] => {
      const fresh = events.filter((e) => !seen.current.has(e.id));
      for (const e of fresh) seen.current.add(e.id);
      for (const id of seen.current) {
        if (seen.current.size <= SEEN_CAP) break;
        seen.current.delete(id);
      }
      return fresh;
    };

    const tick = async () => {
      let again = POLL_MS;
      try {
        if (!started.current) {
          const first = await api.tailEvents(workspaceId, { limit: INITIAL, signal: ctrl.signal });
          cursor.current = first.cursor;
          started.current = true;
          const events = mergeTail([], unseen(first.events));
          setState((s) => ({ ...s, events, loading: false, error: null, lastPolledAt: Date.now() }));
        } else {
          const before = cursor.current;
          const tail = await api.tailEvents(workspaceId, { after: before, limit: PAGE, signal: ctrl.signal });
          cursor.current = tail.cursor ?? before;
          const fresh = unseen(tail.events);
          for (const e of fresh) arrived.current.add(e.id);
          // A full page that moved the cursor: more is waiting. (A full page of events still inside
          // the settle window comes back unchanged until they settle: no point asking at once.)
          if (tail.events.length >= PAGE && cursor.current !== before) again = 0;
          if (fresh.length > 0) {
            // New events: the per-source counts and the chart are stale too.
            void qc.invalidateQueries({ queryKey: ['ingest-sources', workspaceId] });
            void qc.invalidateQueries({ queryKey: ['event-counts', workspaceId] });
            void qc.invalidateQueries({ queryKey: ['keys', workspaceId] }); // "last used"
          }
          setState((s) => {
            const events = mergeTail(s.events, fresh);
            // Forget highlight ids of rows that fell off the end.
            if (arrived.current.size > TAIL_CAP * 2) {
              const kept = new Set(events.map((e) => e.id));
              for (const id of arrived.current) if (!kept.has(id)) arrived.current.delete(id);
            }
            return { ...s, events, error: null, loading: false, arrived: arrived.current, lastPolledAt: Date.now() };
          });
        }
        failures = 0;
      } catch (err) {
        if (ctrl.signal.aborted) return;
        failures += 1;
        again = Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** failures);
        setState((s) => ({ ...s, loading: false, error: err }));
      }
      if (!ctrl.signal.aborted) timer = setTimeout(() => void tick(), again);
    };
    void tick();
    return () => {
      ctrl.abort();
      if (timer) clearTimeout(timer);
    };
  }, [workspaceId, paused, qc]);

  return state;
}

function UserCell({ e }: { e: EventView }) {
  if (e.userId) {
    return (
      <Text size="sm" ff="monospace" truncate maw={220} title={e.userId}>
        {e.userId}
      </Text>
    );
  }
  if (e.anonymousId) {
    return (
      <Group gap={6} wrap="nowrap">
        <Badge size="xs" variant="outline" color="gray" className="ec-badge-fit">
          anon
        </Badge>
        <Text size="sm" ff="monospace" c="dimmed" truncate maw={190} title={e.anonymousId}>
          {e.anonymousId}
        </Text>
      </Group>
    );
  }
  return (
    <Text size="sm" c="dimmed">
      —
    </Text>
  );
}

function eventLabel(e: EventView): string {
  return e.name ? `${e.type} ${e.name}` : e.type;
}

function EventDetails({ e }: { e: EventView }) {
  return (
    <Stack gap="xs" py={4}>
      <Group gap="lg">
        <Text size="xs" c="dimmed">
          Message id{' '}
          <Text span ff="monospace" size="xs" c="dark">
            {e.messageId}
          </Text>
        </Text>
        <Text size="xs" c="dimmed">
          Sent {formatDateTime(e.timestamp)} · received {formatDateTime(e.receivedAt)}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Stack gap={4}>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            {e.type === 'identify' || e.type === 'group' ? 'Traits / properties' : 'Properties'}
          </Text>
          <Code block className="ec-json" data-testid="event-properties">
            {prettyJson(e.properties)}
          </Code>
        </Stack>
        <Stack gap={4}>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            Context
          </Text>
          <Code block className="ec-json" data-testid="event-context">
            {prettyJson(e.context)}
          </Code>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

/** The live tail table. */
export function LiveTail({ workspaceId, paused }: { workspaceId: string; paused: boolean }) {
  const tail = useLiveTail(workspaceId, paused);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback((id: string) => {
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  return (
    <Stack gap="xs">
      {tail.error != null && (
        <Alert color="red" role="alert" title="Could not load events">
          {errorMessage(tail.error)} Retrying…
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={640} maxHeight={560}>
          <Table verticalSpacing={6} highlightOnHover aria-label="Live events" stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36}>
                  <VisuallyHidden>Details</VisuallyHidden>
                </Table.Th>
                <Table.Th>Time</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Event</Table.Th>
                <Table.Th>User</Table.Th>
                <Table.Th>Source</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tail.loading &&
                [0, 1, 2].map((i) => (
                  <Table.Tr key={i}>
                    <Table.Td colSpan={6}>
                      <Skeleton h={20} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              {tail.events.map((e) => {
                const expanded = open.has(e.id);
                const detailsId = `event-details-${e.id}`;
                return (
                  <Fragment key={e.id}>
                    <Table.Tr
                      className={tail.arrived.has(e.id) ? 'ec-arrived' : undefined}
                      data-event-id={e.id}
                      onClick={() => toggle(e.id)}
                      style={{ cursor: 'pointer' }}
                    >
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          size="sm"
                          aria-expanded={expanded}
                          aria-controls={expanded ? detailsId : undefined}
                          aria-label={`Details of ${eventLabel(e)}`}
                          onClick={(ev) => {
                            ev.stopPropagation();
                            toggle(e.id);
                          }}
                        >
                          <IconChevronRight
                            size={16}
                            style={{ transform: expanded ? 'rotate(90deg)' : undefined, transition: 'transform 120ms' }}
                          />
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td>
                        <Tooltip label={`Received ${formatDateTime(e.receivedAt)}`} openDelay={400}>
                          <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                            {formatTime(e.receivedAt)}
                          </Text>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={EVENT_TYPE_COLOR[e.type] ?? 'gray'} size="sm" className="ec-badge-fit">
                          {e.type}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {e.name ? (
                          <Text size="sm" fw={500} truncate maw={240} title={e.name}>
                            {e.name}
                          </Text>
                        ) : (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <UserCell e={e} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" truncate maw={180} title={e.source.keyName ?? e.source.keyId}>
                          {e.source.keyName ?? e.source.keyId}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                    {expanded && (
                      <Table.Tr id={detailsId} bg="var(--mantine-color-gray-0)">
                        <Table.Td />
                        <Table.Td colSpan={5}>
                          <EventDetails e={e} />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
              {!tail.loading && tail.events.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Stack align="center" gap={4} py="lg">
                      <Text fw={500}>No events yet</Text>
                      <Text size="sm" c="dimmed" ta="center">
                        Events sent with a write key show up here as they arrive.
                      </Text>
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Text size="xs" c="dimmed">
        {tail.events.length === TAIL_CAP
          ? `Showing the newest ${TAIL_CAP} events.`
          : `${tail.events.length} event${tail.events.length === 1 ? '' : 's'} shown.`}{' '}
        {tail.lastPolledAt ? `Checked at ${formatTime(new Date(tail.lastPolledAt).toISOString())}.` : ''}
      </Text>
    </Stack>
  );
}

/** Title row of the live panel: a live/paused indicator. */
export function LiveHeading({ paused }: { paused: boolean }) {
  return (
    <Group gap="xs" align="center">
      <Title order={2} fz="lg">
        Live events
      </Title>
      <Tooltip label={paused ? 'Paused' : 'Checking for new events every 2 seconds'}>
        <span className="ec-live-dot" data-paused={paused ? '' : undefined} aria-hidden="true" />
      </Tooltip>
      <Text size="sm" c={paused ? 'dimmed' : 'teal'} fw={500} role="status">
        {paused ? 'Paused' : 'Live'}
      </Text>
    </Group>
  );
}
