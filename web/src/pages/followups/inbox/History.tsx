import { Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { TaskEvent } from '../../../api/followups';
import { formatDateTime, formatRelative } from '../../../components/format';
import { formatDuration, TRACK_LABEL } from './clock';

const EVENT_LABEL: Record<string, string> = {
  created: 'Created',
  assigned: 'Assigned',
  contacted: 'Contacted',
  waiting: 'Waiting on customer',
  resumed: 'Resumed',
  escalated: 'Escalated',
  breached: 'SLA breached',
  resolved: 'Resolved',
  note: 'Note',
};

type Details = Record<string, unknown>;
const rec = (d: unknown): Details => (typeof d === 'object' && d !== null && !Array.isArray(d) ? (d as Details) : {});
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const at = (v: unknown): string => {
  const n = num(v);
  return n === null ? '—' : formatDateTime(new Date(n).toISOString());
};

/** One line about an event's details, in words. */
function detailText(e: TaskEvent, who: (id: string | null) => string): string {
  const d = rec(e.details);
  switch (e.type) {
    case 'created': {
      const src = rec(d.source);
      return `from ${str(src.type) ?? 'a trigger'} ${str(src.id) ?? ''}; first contact due ${at(d.firstContactDueAt)}`.trim();
    }
    case 'assigned':
      return `to ${who(str(d.ownerUserId))}${str(d.how) ? ` (${str(d.how)})` : ''}${'previous' in d ? `, was ${who(str(d.previous))}` : ''}`;
    case 'contacted':
      return `at ${at(d.contactedAt)}; due ${at(d.dueAt)}`;
    case 'waiting':
      return d.clockPaused ? 'clock paused' : 'clock keeps running (policy)';
    case 'resumed':
      return `clock running again after ${formatDuration(num(d.pausedMs) ?? 0)} paused in total`;
    case 'escalated':
    case 'breached': {
      const of = str(d.of) === 'resolution' ? TRACK_LABEL.resolution : TRACK_LABEL.first_contact;
      return `${of} at ${num(d.atPercent) ?? '?'} %${num(d.latenessMs) ? `, fired ${formatDuration(num(d.latenessMs) ?? 0)} after its point` : ''}`;
    }
    case 'resolved':
      return d.dueAt ? `resolution due ${at(d.dueAt)}` : '';
    case 'note':
      return str(d.text) ?? '';
    default:
      return '';
  }
}

/** The task's history from its task events, oldest first. */
export function History({ events, who }: { events: TaskEvent[]; who: (id: string | null) => string }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="task-history-heading">
      <Stack gap="xs">
        <Title order={2} fz="lg" id="task-history-heading">
          History
        </Title>
        {events.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing yet.
          </Text>
        ) : (
          <Table verticalSpacing={6} fz="sm" aria-label="Task history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>What</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>When</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((e) => (
                <Table.Tr key={e.id} data-event-type={e.type}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {EVENT_LABEL[e.type] ?? e.type}
                    </Text>
                    <Text size="xs" c="dimmed" style={e.type === 'note' ? { whiteSpace: 'pre-line' } : undefined}>
                      {detailText(e, who)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{who(e.actor)}</Table.Td>
                  <Table.Td>
                    <Tooltip label={formatDateTime(e.at)}>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatRelative(e.at)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
