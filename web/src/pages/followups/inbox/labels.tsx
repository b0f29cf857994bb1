/** Badges and names shared by the inbox and the task page. Everything renders as text. */
import { Badge } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { TaskStatus } from '../../../api/followups';
import { api } from '../../../api/endpoints';
import type { Member } from '../../../api/types';

export const STATUS: Record<TaskStatus, { label: string; color: string }> = {
  open: { label: 'Open', color: 'blue' },
  waiting: { label: 'Waiting on customer', color: 'gray' },
  contacted: { label: 'Contacted', color: 'teal' },
  resolved: { label: 'Resolved', color: 'green' },
};

export function StatusBadge({ status }: { status: TaskStatus }) {
  const s = STATUS[status] ?? { label: status, color: 'gray' };
  return (
    <Badge color={s.color} variant="light" data-testid="task-status" data-status={status} className="ec-badge-fit">
      {s.label}
    </Badge>
  );
}

const PRIORITY_COLOR: Record<string, string> = { low: 'gray', normal: 'blue', high: 'orange', urgent: 'red' };

export function PriorityBadge({ priority }: { priority: string }) {
  return (
    <Badge color={PRIORITY_COLOR[priority] ?? 'gray'} variant="outline" size="sm" data-testid="task-priority" className="ec-badge-fit">
      {priority}
    </Badge>
  );
}

/** The workspace's members (for owner names and the assign menu). */
export function useMembers(workspaceId: string) {
  return useQuery({ queryKey: ['members', workspaceId], queryFn: () => api.listMembers(workspaceId), staleTime: 60_000 });
}

/** A user id, or an actor (`user:<id>`, `key:<id>`, `rule:<id>`, `sla`), as a person would say it. */
export function useWhoName(workspaceId: string): (who: string | null | undefined) => string {
  const members = useMembers(workspaceId).data?.members;
  return useCallback((who) => whoName(who, members), [members]);
}

export function whoName(who: string | null | undefined, members: Member[] | undefined): string {
  if (!who) return 'Unassigned';
  if (who === 'sla') return 'SLA clock';
  if (who.startsWith('rule:')) return 'Rule';
  if (who.startsWith('key:')) return 'API key';
  const id = who.startsWith('user:') ? who.slice(5) : who;
  const m = members?.find((x) => x.userId === id);
  return m ? m.name || m.email : id;
}
