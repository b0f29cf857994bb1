import { Alert, Badge, Button, Group, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../api/client';
import { followupKeys, followupsApi, type Rule, type RuleDefinition } from '../../../api/followups';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { formatDateTime, formatRelative } from '../../../components/format';
import { TableSection } from '../../../components/TableSection';
import { RuleEditor } from './RuleEditor';

/** "When a feedback answer / Lead Created …, if 2 conditions: create a task (detractor), notify owner". */
export function describeRule(d: RuleDefinition): string {
  const when = d.trigger.kind === 'event' ? `event “${d.trigger.event}”` : d.trigger.kind === 'feedback' ? (d.trigger.surveyId ? `an answer to ${d.trigger.surveyId}` : 'a feedback answer') : d.trigger.tag ? `tag “${d.trigger.tag}” added` : 'a profile change';
  const n = d.conditions?.length ?? 0;
  const what = d.actions.map((a) => (a.type === 'create_task' ? `task (${a.slaKind})` : a.type === 'notify' ? `notify ${typeof a.target === 'string' ? a.target : a.target.targetId}` : a.type === 'send_survey' ? `send survey ${a.surveyId}` : `tag “${a.tag}”`));
  return `When ${when}${n ? `, if ${n} ${n === 1 ? 'condition' : 'conditions'}` : ''}${d.count ? `, ${d.count.atLeast}× in ${d.count.withinDays} days` : ''}: ${what.join(', ')}`;
}

export function RulesTab({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const qc = useQueryClient();
  const rules = useQuery({ queryKey: followupKeys.rules(workspaceId), queryFn: () => followupsApi.rules(workspaceId) });
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const invalidate = () => {
    void qc.invalidateQueries({ queryKey: followupKeys.rules(workspaceId) });
    void qc.invalidateQueries({ queryKey: followupKeys.templates(workspaceId) });
  };
  const toggle = useMutation({ mutationFn: (r: Rule) => followupsApi.updateRule(workspaceId, r.id, { enabled: !r.enabled }), onSettled: invalidate });
  const remove = useMutation({
    mutationFn: (r: Rule) => followupsApi.deleteRule(workspaceId, r.id),
    onSuccess: () => {
      setDeleting(null);
      invalidate();
    },
  });
  const list = rules.data?.rules ?? [];

  return (
    <Stack>
      {toggle.isError && (
        <Alert color="red" role="alert" title="Could not change the rule">
          {errorMessage(toggle.error)}
        </Alert>
      )}
      <TableSection
        title="Rules"
        description="Rules turn events, answers and profile changes into tasks, notifications, surveys and tags."
        action={canManage && <Button onClick={() => setEditing('new')}>New rule</Button>}
        error={rules.error}
        errorTitle="Could not load the rules"
        ariaLabel="Rules"
        minWidth={860}
        head={
          <>
            <Table.Th>Enabled</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>What it does</Table.Th>
            <Table.Th>Changed</Table.Th>
            <Table.Th />
          </>
        }
        colSpan={5}
        loading={rules.isPending}
        empty={rules.isSuccess && list.length === 0 && <Text c="dimmed" ta="center" py="md">No rules yet. Enable a template, or write one.</Text>}
      >
        {list.map((r) => (
          <Table.Tr key={r.id} data-rule-id={r.id}>
            <Table.Td>
              <Switch checked={r.enabled} disabled={!canManage || toggle.isPending} onChange={() => toggle.mutate(r)} aria-label={`${r.enabled ? 'Disable' : 'Enable'} ${r.name}`} label={r.enabled ? 'On' : 'Off'} />
            </Table.Td>
            <Table.Td>
              <Text size="sm" fw={500}>
                {r.name}
              </Text>
              <Group gap={4}>
                {r.template && (
                  <Badge size="xs" variant="outline">
                    template {r.template}
                  </Badge>
                )}
                {r.loopDetectedAt && (
                  <Tooltip label={JSON.stringify(r.loopDetail)}>
                    <Badge size="xs" color="red">
                      loop stopped {formatRelative(r.loopDetectedAt)}
                    </Badge>
                  </Tooltip>
                )}
              </Group>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{describeRule(r.definition)}</Text>
            </Table.Td>
            <Table.Td>
              <Tooltip label={formatDateTime(r.updatedAt)}>
                <Text size="sm" c="dimmed">
                  {formatRelative(r.updatedAt)}
                </Text>
              </Tooltip>
            </Table.Td>
            <Table.Td>
              <Group gap={4} justify="flex-end" wrap="nowrap">
                <Button size="compact-sm" variant="default" onClick={() => setEditing(r)}>
                  {canManage ? 'Edit' : 'View'}
                </Button>
                {canManage && (
                  <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDeleting(r)}>
                    Delete
                  </Button>
                )}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </TableSection>
      {editing !== null && <RuleEditor key={editing === 'new' ? 'new' : editing.id} workspaceId={workspaceId} rule={editing === 'new' ? null : editing} opened onClose={() => setEditing(null)} />}
      <ConfirmModal opened={deleting !== null} title="Delete this rule?" confirmLabel="Delete rule" onConfirm={() => deleting && remove.mutate(deleting)} onClose={() => setDeleting(null)} loading={remove.isPending} error={remove.error}>
        “{deleting?.name}” stops firing. The tasks it made stay.
      </ConfirmModal>
    </Stack>
  );
}
