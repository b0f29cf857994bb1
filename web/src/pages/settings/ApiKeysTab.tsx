import { Badge, Button, Code, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/endpoints';
import { ROLE_COLOR, ROLE_LABEL } from '../../api/roles';
import type { ApiKey } from '../../api/types';
import { CreateKeyModal, KIND_LABEL, TokenModal, type CreatedKey } from '../../components/ApiKeyModals';
import { ConfirmModal } from '../../components/ConfirmModal';
import { formatDateTime, formatRelative } from '../../components/format';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';

export function ApiKeysTab() {
  const { workspaceId, role: actorRole } = useWorkspace();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
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
