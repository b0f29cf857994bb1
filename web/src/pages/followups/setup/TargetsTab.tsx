import { Alert, Badge, Button, Code, CopyButton, Group, Modal, PasswordInput, SegmentedControl, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../api/client';
import { followupKeys, followupsApi, NOTIFICATION_STATUSES, type CreateTarget, type NotificationStatus, type NotificationTarget, type NotificationTargetWithSecret, type TargetKind } from '../../../api/followups';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { TableSection } from '../../../components/TableSection';
import { NOTIFICATION_STATUS, NotificationRows, targetLabel } from '../inbox/Notifications';
import { useWhoName } from '../inbox/labels';
import { ApiErrorAlert, errorAt } from './errors';

const KIND_LABEL: Record<TargetKind, string> = { webhook: 'Webhook', slack: 'Slack-compatible', email: 'E-mail' };

/** Add a target; a webhook's signing secret is shown once, right after creation. */
function NewTarget({ workspaceId, onClose }: { workspaceId: string; onClose: () => void }) {
  const qc = useQueryClient();
  const [kind, setKind] = useState<TargetKind>('webhook');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [address, setAddress] = useState('');
  const [secret, setSecret] = useState('');
  const [created, setCreated] = useState<NotificationTargetWithSecret | null>(null);
  const create = useMutation({
    mutationFn: () => {
      const input: CreateTarget = kind === 'email' ? { kind, name, address } : kind === 'slack' ? { kind, name, url } : { kind, name, url, ...(secret ? { secret } : {}) };
      return followupsApi.createTarget(workspaceId, input);
    },
    onSuccess: (t) => {
      void qc.invalidateQueries({ queryKey: followupKeys.targets(workspaceId) });
      if (t.secret) setCreated(t);
      else onClose();
    },
  });
  const e = create.error;
  if (created) {
    return (
      <Modal opened onClose={onClose} title="Your webhook's signing secret" centered>
        <Stack>
          <Text size="sm">
            Deliveries to “{created.name}” are signed with this secret. It is shown now and never again: store it where your receiver can read it.
          </Text>
          <Code block data-testid="target-secret">
            {created.secret}
          </Code>
          <Group justify="flex-end">
            <CopyButton value={created.secret ?? ''}>{({ copied, copy }) => <Button variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }
  return (
    <Modal opened onClose={onClose} title="New notification target" centered>
      <Stack>
        <SegmentedControl value={kind} onChange={(v) => setKind(v as TargetKind)} data={(['webhook', 'slack', 'email'] as const).map((k) => ({ value: k, label: KIND_LABEL[k] }))} aria-label="Kind" />
        <TextInput label="Name" required value={name} onChange={(ev) => setName(ev.currentTarget.value)} error={errorAt(e, 'body.name')} />
        {kind === 'email' ? (
          <TextInput label="E-mail address" required type="email" value={address} onChange={(ev) => setAddress(ev.currentTarget.value)} error={errorAt(e, 'body.address')} />
        ) : (
          <TextInput label={kind === 'slack' ? 'Incoming-webhook URL' : 'URL'} description="https, without credentials in it" required value={url} onChange={(ev) => setUrl(ev.currentTarget.value)} error={errorAt(e, 'body.url')} />
        )}
        {kind === 'webhook' && <PasswordInput label="Signing secret" description="Empty: one is generated and shown once" value={secret} onChange={(ev) => setSecret(ev.currentTarget.value)} error={errorAt(e, 'body.secret')} />}
        <ApiErrorAlert error={e} title="The target was not added" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => create.mutate()} loading={create.isPending}>
            Add target
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function DeliveryLog({ workspaceId, canManage, targets }: { workspaceId: string; canManage: boolean; targets: NotificationTarget[] | undefined }) {
  const qc = useQueryClient();
  const who = useWhoName(workspaceId);
  const [status, setStatus] = useState<NotificationStatus | 'all'>('all');
  const filter = { status: status === 'all' ? null : status };
  const log = useQuery({ queryKey: followupKeys.notifications(workspaceId, filter), queryFn: () => followupsApi.notifications(workspaceId, { ...filter, limit: 100 }), refetchInterval: 15_000 });
  const replay = useMutation({ mutationFn: (id: string) => followupsApi.replay(workspaceId, id), onSettled: () => void qc.invalidateQueries({ queryKey: ['followups', workspaceId, 'notifications'] }) });
  const items = log.data?.notifications ?? [];
  return (
    <Stack>
      <SegmentedControl
        value={status}
        onChange={(v) => setStatus(v as NotificationStatus | 'all')}
        aria-label="Delivery status"
        w="fit-content"
        data={[{ value: 'all', label: 'All' }, ...NOTIFICATION_STATUSES.map((s) => ({ value: s, label: s === 'dead' ? 'Dead letters' : NOTIFICATION_STATUS[s].label }))]}
      />
      {replay.isError && (
        <Alert color="red" role="alert" title="Could not replay">
          {errorMessage(replay.error)}
        </Alert>
      )}
      <TableSection
        title="Delivery log"
        description="Newest first. Dead letters failed every attempt; replay sends one again with fresh attempts."
        error={log.error}
        errorTitle="Could not load the delivery log"
        ariaLabel="Delivery log"
        minWidth={900}
        head={
          <>
            <Table.Th>Message</Table.Th>
            <Table.Th>To</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Attempts</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th />
          </>
        }
        colSpan={6}
        loading={log.isPending}
        empty={log.isSuccess && items.length === 0 && <Text c="dimmed" ta="center" py="md">{status === 'dead' ? 'No dead letters.' : 'Nothing sent yet.'}</Text>}
      >
        <NotificationRows
          items={items}
          targetName={(id) => targetLabel(id, targets, who)}
          action={(n) =>
            canManage && (n.status === 'dead' || n.status === 'failed') ? (
              <Button size="compact-sm" variant="default" onClick={() => replay.mutate(n.id)} loading={replay.isPending && replay.variables === n.id}>
                Replay
              </Button>
            ) : null
          }
        />
      </TableSection>
    </Stack>
  );
}

export function TargetsTab({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const qc = useQueryClient();
  const targets = useQuery({ queryKey: followupKeys.targets(workspaceId), queryFn: () => followupsApi.targets(workspaceId) });
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<NotificationTarget | null>(null);
  const [tested, setTested] = useState<Record<string, { ok: boolean; text: string }>>({});
  const invalidate = () => void qc.invalidateQueries({ queryKey: followupKeys.targets(workspaceId) });
  const toggle = useMutation({ mutationFn: (t: NotificationTarget) => followupsApi.updateTarget(workspaceId, t.id, { enabled: !t.enabled }), onSettled: invalidate });
  const test = useMutation({
    mutationFn: (t: NotificationTarget) => followupsApi.testTarget(workspaceId, t.id),
    onSuccess: (r, t) => {
      setTested((x) => ({ ...x, [t.id]: { ok: r.ok, text: r.ok ? 'Test delivered' : `Test failed: ${r.notification.lastError ?? (r.notification.lastStatus ? `HTTP ${r.notification.lastStatus}` : r.notification.status)}` } }));
      void qc.invalidateQueries({ queryKey: ['followups', workspaceId, 'notifications'] });
    },
    onError: (err, t) => setTested((x) => ({ ...x, [t.id]: { ok: false, text: errorMessage(err) } })),
  });
  const remove = useMutation({
    mutationFn: (t: NotificationTarget) => followupsApi.deleteTarget(workspaceId, t.id),
    onSuccess: () => {
      setDeleting(null);
      invalidate();
    },
  });
  const list = targets.data?.targets ?? [];
  return (
    <Stack gap="xl">
      <TableSection
        title="Notification targets"
        description="Where escalations and rule notifications go besides members’ e-mail: webhooks (signed), Slack-compatible incoming webhooks, e-mail addresses."
        action={canManage && <Button onClick={() => setAdding(true)}>New target</Button>}
        error={targets.error ?? toggle.error}
        errorTitle="Could not load or change the targets"
        ariaLabel="Notification targets"
        minWidth={860}
        head={
          <>
            <Table.Th>Enabled</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Where</Table.Th>
            <Table.Th />
          </>
        }
        colSpan={5}
        loading={targets.isPending}
        empty={targets.isSuccess && list.length === 0 && <Text c="dimmed" ta="center" py="md">No targets yet.</Text>}
      >
        {list.map((t) => (
          <Table.Tr key={t.id} data-target-id={t.id}>
            <Table.Td>
              <Switch checked={t.enabled} disabled={!canManage} onChange={() => toggle.mutate(t)} aria-label={`${t.enabled ? 'Disable' : 'Enable'} ${t.name}`} label={t.enabled ? 'On' : 'Off'} />
            </Table.Td>
            <Table.Td>{t.name}</Table.Td>
            <Table.Td>
              <Group gap={4}>
                {KIND_LABEL[t.kind]}
                {t.kind === 'webhook' && (
                  <Badge size="xs" variant="outline" color={t.signed ? 'teal' : 'gray'}>
                    {t.signed ? 'signed' : 'unsigned'}
                  </Badge>
                )}
              </Group>
            </Table.Td>
            <Table.Td>
              <Text size="sm" className="ec-mono" style={{ wordBreak: 'break-all' }}>
                {t.url ?? t.address}
              </Text>
              {tested[t.id] && (
                <Text size="xs" c={tested[t.id]?.ok ? 'teal.8' : 'red.8'} role="status">
                  {tested[t.id]?.text}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              {canManage && (
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <Button size="compact-sm" variant="default" onClick={() => test.mutate(t)} loading={test.isPending && test.variables.id === t.id}>
                    Test
                  </Button>
                  <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDeleting(t)}>
                    Delete
                  </Button>
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </TableSection>
      <DeliveryLog workspaceId={workspaceId} canManage={canManage} targets={targets.data?.targets} />
      {adding && <NewTarget workspaceId={workspaceId} onClose={() => setAdding(false)} />}
      <ConfirmModal opened={deleting !== null} title="Remove this target?" confirmLabel="Remove target" onConfirm={() => deleting && remove.mutate(deleting)} onClose={() => setDeleting(null)} loading={remove.isPending} error={remove.error}>
        “{deleting?.name}” gets nothing more; its delivery log stays, and notifications still waiting for it fail.
      </ConfirmModal>
    </Stack>
  );
}
