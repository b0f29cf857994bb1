import { ActionIcon, Button, Group, Modal, NumberInput, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { followupKeys, followupsApi, type EscalationStep, type NotifyTarget, type Policy, type PolicyInput } from '../../../api/followups';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { TableSection } from '../../../components/TableSection';
import { formatDuration } from '../inbox/clock';
import { ApiErrorAlert, errorAt } from './errors';

const notifyValue = (n: NotifyTarget): string => (typeof n === 'string' ? n : `target:${n.targetId}`);
const notifyOf = (v: string): NotifyTarget => (v.startsWith('target:') ? { targetId: v.slice(7) } : (v as 'owner' | 'manager'));

function PolicyForm({ workspaceId, policy, onClose }: { workspaceId: string; policy: Policy | null; onClose: () => void }) {
  const qc = useQueryClient();
  const teams = useQuery({ queryKey: followupKeys.teams(workspaceId), queryFn: () => followupsApi.teams(workspaceId) });
  const targets = useQuery({ queryKey: followupKeys.targets(workspaceId), queryFn: () => followupsApi.targets(workspaceId) });
  const [form, setForm] = useState<PolicyInput>(
    policy
      ? { name: policy.name, triggerKind: policy.triggerKind, firstContactMinutes: policy.firstContactMinutes, resolutionMinutes: policy.resolutionMinutes, teamId: policy.teamId, pauseWhenWaiting: policy.pauseWhenWaiting, escalation: policy.escalation }
      : { name: '', triggerKind: '', firstContactMinutes: 60, resolutionMinutes: null, teamId: null, pauseWhenWaiting: true, escalation: [{ atPercent: 50, of: 'first_contact', notify: 'owner' }] },
  );
  const steps = form.escalation ?? [];
  const setStep = (i: number, s: EscalationStep) => setForm({ ...form, escalation: steps.map((x, j) => (j === i ? s : x)) });
  const save = useMutation({
    mutationFn: () => {
      if (!policy) return followupsApi.createPolicy(workspaceId, form);
      const { triggerKind: _k, ...patch } = form;
      return followupsApi.updatePolicy(workspaceId, policy.id, patch);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: followupKeys.policies(workspaceId) });
      onClose();
    },
  });
  const e = save.error;
  const notifyData = [
    { value: 'owner', label: 'The task owner' },
    { value: 'manager', label: 'The team manager' },
    ...(targets.data?.targets ?? []).map((t) => ({ value: `target:${t.id}`, label: `${t.name} (${t.kind})` })),
  ];
  return (
    <Modal opened onClose={onClose} title={policy ? `Edit SLA policy: ${policy.name}` : 'New SLA policy'} size="lg" centered>
      <Stack>
        <TextInput label="Name" required value={form.name} onChange={(ev) => setForm({ ...form, name: ev.currentTarget.value })} error={errorAt(e, 'body.name')} />
        <TextInput
          label="Kind"
          description="Rules name it as their SLA kind, e.g. detractor, lead"
          required
          disabled={policy !== null}
          value={form.triggerKind}
          onChange={(ev) => setForm({ ...form, triggerKind: ev.currentTarget.value })}
          error={errorAt(e, 'body.triggerKind')}
        />
        <Group grow>
          <NumberInput label="First contact within (minutes)" min={1} required value={form.firstContactMinutes} onChange={(v) => setForm({ ...form, firstContactMinutes: Number(v) })} error={errorAt(e, 'body.firstContactMinutes')} />
          <NumberInput
            label="Resolution within (minutes)"
            placeholder="no target"
            min={1}
            value={form.resolutionMinutes ?? ''}
            onChange={(v) => setForm({ ...form, resolutionMinutes: v === '' ? null : Number(v) })}
            error={errorAt(e, 'body.resolutionMinutes')}
          />
        </Group>
        <Group grow align="flex-end">
          <Select label="Calendar" description="Whose working hours count" placeholder="24/7" clearable value={form.teamId ?? null} onChange={(v) => setForm({ ...form, teamId: v })} data={(teams.data?.teams ?? []).map((t) => ({ value: t.id, label: `${t.name} (${t.calendar.timeZone})` }))} error={errorAt(e, 'body.teamId')} />
          <Switch label="Pause while waiting on the customer" checked={form.pauseWhenWaiting ?? true} onChange={(ev) => setForm({ ...form, pauseWhenWaiting: ev.currentTarget.checked })} mb={8} />
        </Group>
        <Text size="sm" fw={500}>
          Escalation steps
        </Text>
        {steps.map((s, i) => (
          <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
            <NumberInput aria-label={`Step ${i + 1} at percent`} suffix=" %" min={1} max={1000} w={100} value={s.atPercent} onChange={(v) => setStep(i, { ...s, atPercent: Number(v) })} error={errorAt(e, `body.escalation.${i}.atPercent`)} />
            <Select
              aria-label={`Step ${i + 1} of`}
              w={150}
              allowDeselect={false}
              value={s.of ?? 'first_contact'}
              data={[
                { value: 'first_contact', label: 'of first contact' },
                { value: 'resolution', label: 'of resolution' },
              ]}
              onChange={(v) => setStep(i, { ...s, of: v as 'first_contact' | 'resolution' })}
              error={errorAt(e, `body.escalation.${i}.of`)}
            />
            <Select aria-label={`Step ${i + 1} notify`} style={{ flex: 1 }} allowDeselect={false} value={notifyValue(s.notify)} data={notifyData} onChange={(v) => v && setStep(i, { ...s, notify: notifyOf(v) })} error={errorAt(e, `body.escalation.${i}.notify`, true)} />
            <ActionIcon variant="subtle" color="red" mt={6} aria-label={`Remove step ${i + 1}`} onClick={() => setForm({ ...form, escalation: steps.filter((_, j) => j !== i) })}>
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button size="xs" variant="default" onClick={() => setForm({ ...form, escalation: [...steps, { atPercent: 100, of: 'first_contact', notify: 'manager' }] })}>
            Add a step
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          100 % of a target is its breach, recorded whether or not a step notifies anyone then.
        </Text>
        <ApiErrorAlert error={e} title="The policy was not saved" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {policy ? 'Save policy' : 'Create policy'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function PoliciesTab({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const qc = useQueryClient();
  const policies = useQuery({ queryKey: followupKeys.policies(workspaceId), queryFn: () => followupsApi.policies(workspaceId) });
  const teams = useQuery({ queryKey: followupKeys.teams(workspaceId), queryFn: () => followupsApi.teams(workspaceId) });
  const [editing, setEditing] = useState<Policy | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Policy | null>(null);
  const remove = useMutation({
    mutationFn: (p: Policy) => followupsApi.deletePolicy(workspaceId, p.id),
    onSuccess: () => {
      setDeleting(null);
      void qc.invalidateQueries({ queryKey: followupKeys.policies(workspaceId) });
    },
  });
  const list = policies.data?.policies ?? [];
  const teamName = (id: string | null) => (id ? (teams.data?.teams.find((t) => t.id === id)?.name ?? id) : '24/7');
  return (
    <>
      <TableSection
        title="SLA policies"
        description="How fast each kind of task must be answered and resolved, on whose hours, and who hears when it slips. Running clocks keep the plan they started with."
        action={canManage && <Button onClick={() => setEditing('new')}>New policy</Button>}
        error={policies.error}
        errorTitle="Could not load the SLA policies"
        ariaLabel="SLA policies"
        minWidth={860}
        head={
          <>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>First contact</Table.Th>
            <Table.Th>Resolution</Table.Th>
            <Table.Th>Calendar</Table.Th>
            <Table.Th>Escalation</Table.Th>
            <Table.Th />
          </>
        }
        colSpan={7}
        loading={policies.isPending}
        empty={policies.isSuccess && list.length === 0 && <Text c="dimmed" ta="center" py="md">No SLA policies yet.</Text>}
      >
        {list.map((p) => (
          <Table.Tr key={p.id} data-policy-id={p.id}>
            <Table.Td>{p.name}</Table.Td>
            <Table.Td className="ec-mono">{p.triggerKind}</Table.Td>
            <Table.Td>{formatDuration(p.firstContactMinutes * 60_000)}</Table.Td>
            <Table.Td>{p.resolutionMinutes === null ? '—' : formatDuration(p.resolutionMinutes * 60_000)}</Table.Td>
            <Table.Td>
              {teamName(p.teamId)}
              {p.pauseWhenWaiting ? '' : ' · no pause'}
            </Table.Td>
            <Table.Td>
              <Text size="xs">{p.escalation.map((s) => `${s.atPercent} % ${s.of === 'resolution' ? 'res.' : '1st'} → ${typeof s.notify === 'string' ? s.notify : s.notify.targetId}`).join('; ') || '—'}</Text>
            </Table.Td>
            <Table.Td>
              {canManage && (
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <Button size="compact-sm" variant="default" onClick={() => setEditing(p)}>
                    Edit
                  </Button>
                  <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDeleting(p)}>
                    Delete
                  </Button>
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </TableSection>
      {editing !== null && <PolicyForm key={editing === 'new' ? 'new' : editing.id} workspaceId={workspaceId} policy={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      <ConfirmModal opened={deleting !== null} title="Delete this SLA policy?" confirmLabel="Delete policy" onConfirm={() => deleting && remove.mutate(deleting)} onClose={() => setDeleting(null)} loading={remove.isPending} error={remove.error}>
        New tasks of kind “{deleting?.triggerKind}” get no clock unless another policy of that kind exists. Running clocks keep their plan.
      </ConfirmModal>
    </>
  );
}
