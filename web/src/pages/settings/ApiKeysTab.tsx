import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import { ROLE_COLOR, ROLE_LABEL, roleAtLeast } from '../../api/roles';
import { ROLES, type ApiKey, type KeyKind, type Role } from '../../api/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { formatDateTime, formatRelative } from '../../components/format';
import { IconAlert } from '../../components/icons';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';

const KIND_LABEL: Record<KeyKind, string> = { write: 'Write key', secret: 'Secret key' };

function CreateKeyModal({
  opened,
  onClose,
  onCreated,
  actorRole,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (key: ApiKey, token: string) => void;
  actorRole: Role;
}) {
  const { workspaceId } = useWorkspace();
  const qc = useQueryClient();
  const [kind, setKind] = useState<KeyKind>('write');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  // A key never gets more power than the person creating it.
  const roleChoices = ROLES.filter((r) => roleAtLeast(actorRole, r));

  const create = useMutation({
    mutationFn: () =>
      api.createKey(workspaceId, kind === 'secret' ? { kind, name: name.trim(), role } : { kind, name: name.trim() }),
    onSuccess: async ({ key, token }) => {
      await qc.invalidateQueries({ queryKey: ['keys', workspaceId] });
      void qc.invalidateQueries({ queryKey: ['overview', workspaceId] });
      setName('');
      create.reset();
      onCreated(key, token);
    },
  });
  const close = () => {
    create.reset();
    onClose();
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };

  return (
    <Modal opened={opened} onClose={close} title="Create an API key" centered>
      <form onSubmit={onSubmit} aria-label="Create an API key">
        <Stack>
          {create.isError && (
            <Alert color="red" role="alert">
              {errorMessage(create.error)}
            </Alert>
          )}
          <Stack gap={4}>
            <Text size="sm" fw={500} id="key-kind-label">
              Kind
            </Text>
            <SegmentedControl
              aria-labelledby="key-kind-label"
              fullWidth
              value={kind}
              onChange={(v) => setKind(v as KeyKind)}
              data={[
                { value: 'write', label: 'Write key' },
                { value: 'secret', label: 'Secret key' },
              ]}
            />
            <Text size="xs" c="dimmed">
              {kind === 'write'
                ? 'Write keys only send data to the tracking API. They may be embedded in websites and apps.'
                : 'Secret keys call the REST API with the role you choose. Keep them on servers, never in a browser or app.'}
            </Text>
          </Stack>
          <TextInput
            label="Key name"
            description="So you can tell keys apart, e.g. “Website tracking” or “CRM sync”."
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-autofocus
          />
          {kind === 'secret' && (
            <Select
              label="Key role"
              data={roleChoices.map((r) => ({ value: r, label: ROLE_LABEL[r] }))}
              value={role}
              onChange={(v) => v && setRole(v as Role)}
              allowDeselect={false}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function TokenModal({ created, onClose }: { created: { key: ApiKey; token: string } | null; onClose: () => void }) {
  return (
    <Modal
      opened={created !== null}
      onClose={onClose}
      title="Your new API key"
      centered
      size="lg"
      closeOnClickOutside={false}
    >
      {created && (
        <Stack>
          <Alert color="yellow" icon={<IconAlert />} title="Copy this key now">
            This is the only time the full key is shown. Store it somewhere safe: you won&apos;t be able to see it
            again. If you lose it, revoke it and create a new one.
          </Alert>
          <Text size="sm">
            {KIND_LABEL[created.key.kind] ?? created.key.kind} <b>{created.key.name}</b>
          </Text>
          <Group gap="xs" wrap="nowrap" align="center">
            <Code block className="ec-mono" data-testid="new-key-token" style={{ flex: 1 }} aria-label="API key token">
              {created.token}
            </Code>
            <CopyButton value={created.token}>
              {({ copied, copy }) => (
                <Button color={copied ? 'teal' : 'blue'} onClick={copy} variant={copied ? 'light' : 'filled'} miw={96}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Done
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

export function ApiKeysTab() {
  const { workspaceId, role: actorRole } = useWorkspace();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ key: ApiKey; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const keys = useQuery({ queryKey: ['keys', workspaceId], queryFn: () => api.listKeys(workspaceId) });
  const revoke = useMutation({
    mutationFn: (k: ApiKey) => api.revokeKey(workspaceId, k.id),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['keys', workspaceId] });
      void qc.invalidateQueries({ queryKey: ['overview', workspaceId] });
      setRevoking(null);
    },
  });
  const list = keys.data?.keys ?? [];

  return (
    <>
      <TableSection
        title="API keys"
        description="Write keys send events and imports; secret keys call the REST API with a role."
        action={<Button onClick={() => setCreating(true)}>Create API key</Button>}
        error={keys.error}
        errorTitle="Could not load API keys"
        ariaLabel="API keys"
        minWidth={860}
        highlightOnHover
        head={
          <>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Prefix</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </>
        }
        colSpan={8}
        loading={keys.isPending}
        skeletonRows={2}
        empty={
          keys.isSuccess &&
          list.length === 0 && (
            <Stack align="center" gap={4} py="lg">
              <Text fw={500}>No API keys yet</Text>
              <Text size="sm" c="dimmed">
                Create a write key to start sending events, or a secret key to use the REST API.
              </Text>
            </Stack>
          )
        }
      >
        {list.map((k) => (
          <Table.Tr key={k.id} data-revoked={k.revokedAt ? 'true' : undefined} style={k.revokedAt ? { opacity: 0.6 } : undefined}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {k.name}
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color={k.kind === 'secret' ? 'grape' : 'blue'}>
                {KIND_LABEL[k.kind] ?? k.kind}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Code>{k.prefix}…</Code>
            </Table.Td>
            <Table.Td>
              {k.kind === 'write' ? (
                <Text size="sm" c="dimmed">
                  events only
                </Text>
              ) : k.role ? (
                <Badge variant="outline" color={ROLE_COLOR[k.role] ?? 'gray'}>
                  {ROLE_LABEL[k.role] ?? k.role}
                </Badge>
              ) : (
                <Text size="sm" c="dimmed">
                  —
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm" c="dimmed">
                {formatDateTime(k.createdAt)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Tooltip label={formatDateTime(k.lastUsedAt)} disabled={!k.lastUsedAt}>
                <Text size="sm" c="dimmed">
                  {formatRelative(k.lastUsedAt)}
                </Text>
              </Tooltip>
            </Table.Td>
            <Table.Td>
              {k.revokedAt ? (
                <Tooltip label={`Revoked ${formatDateTime(k.revokedAt)}`}>
                  <Badge color="red" variant="light">
                    Revoked
                  </Badge>
                </Tooltip>
              ) : (
                <Badge color="teal" variant="light">
                  Active
                </Badge>
              )}
            </Table.Td>
            <Table.Td ta="right">
              {!k.revokedAt && (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  aria-label={`Revoke ${k.name}`}
                  onClick={() => {
                    revoke.reset();
                    setRevoking(k);
                  }}
                >
                  Revoke
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </TableSection>

      <CreateKeyModal
        opened={creating}
        onClose={() => setCreating(false)}
        actorRole={actorRole}
        onCreated={(key, token) => {
          setCreating(false);
          setCreated({ key, token });
        }}
      />
      <TokenModal created={created} onClose={() => setCreated(null)} />
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke API key"
        confirmLabel="Revoke key"
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        loading={revoke.isPending}
        error={revoke.error}
      >
        <Text size="sm" span>
          Revoke <b>{revoking?.name}</b>? Anything using this key will stop working immediately. This cannot be
          undone.
        </Text>
      </ConfirmModal>
    </>
  );
}
