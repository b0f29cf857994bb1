import { Badge, Table, Text, Tooltip } from '@mantine/core';
import type { Notification, NotificationStatus } from '../../../api/followups';
import type { ReactNode } from 'react';
import { formatDateTime, formatRelative } from '../../../components/format';

export const NOTIFICATION_STATUS: Record<NotificationStatus, { label: string; color: string }> = {
  pending: { label: 'Pending', color: 'blue' },
  sending: { label: 'Sending', color: 'blue' },
  delivered: { label: 'Delivered', color: 'green' },
  failed: { label: 'Failed, retrying', color: 'orange' },
  dead: { label: 'Dead letter', color: 'red' },
};

export function NotificationStatusBadge({ status }: { status: NotificationStatus }) {
  const s = NOTIFICATION_STATUS[status] ?? { label: status, color: 'gray' };
  return (
    <Badge color={s.color} variant="light" size="sm" className="ec-badge-fit">
      {s.label}
    </Badge>
  );
}

/** Rows of a delivery log: what, where, status, attempts and the last error (as text). */
export function NotificationRows({ items, targetName, action }: { items: Notification[]; targetName: (id: string) => string; action?: (n: Notification) => ReactNode }) {
  return (
    <>
      {items.map((n) => (
        <Table.Tr key={n.id} data-notification-id={n.id} data-status={n.status}>
          <Table.Td>
            <Text size="sm">{n.title}</Text>
            <Text size="xs" c="dimmed">
              {n.event}
            </Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm">{targetName(n.targetId)}</Text>
          </Table.Td>
          <Table.Td>
            <NotificationStatusBadge status={n.status} />
          </Table.Td>
          <Table.Td>
            <Text size="sm">
              {n.attempts}
              {n.lastStatus !== null ? ` · HTTP ${n.lastStatus}` : ''}
            </Text>
            {n.lastError && (
              <Text size="xs" c="red.8" style={{ wordBreak: 'break-word' }}>
                {n.lastError}
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            <Tooltip label={formatDateTime(n.createdAt)}>
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                {formatRelative(n.createdAt)}
              </Text>
            </Tooltip>
          </Table.Td>
          {action && <Table.Td>{action(n)}</Table.Td>}
        </Table.Tr>
      ))}
    </>
  );
}

/** A notification target id as a person reads it: `user:<id>` is a member; else the target's name. */
export function targetLabel(id: string, targets: { id: string; name: string }[] | undefined, who: (id: string) => string): string {
  if (id.startsWith('user:')) return `${who(id)} (e-mail)`;
  return targets?.find((t) => t.id === id)?.name ?? id;
}
