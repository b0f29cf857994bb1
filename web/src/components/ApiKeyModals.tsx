/**
 * Creating an API key, shared by Settings → API keys and the Sources page:
 * the create form, then the one-time display of the new token.
 */
import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { api } from '../api/endpoints';
import { ROLE_LABEL, roleAtLeast } from '../api/roles';
import { ROLES, type ApiKey, type KeyKind, type Role } from '../api/types';
import { IconAlert } from './icons';
import { useWorkspace } from './workspace';

export const KIND_LABEL: Record<KeyKind, string> = { write: 'Write key', secret: 'Secret key' };

export interface CreatedKey {
  key: ApiKey;
  token: string;
}

export function CreateKeyModal({
  opened,
  onClose,
  onCreated,
  actorRole,
  kind: fixedKind,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (key: ApiKey, token: string) => void;
  actorRole: Role;
  /** Create only this kind of key (no kind switch), e.g. write keys on the Sources page. */
  kind?: KeyKind;
}) {
  const { workspaceId } = useWorkspace();
  const qc = useQueryClient();
  const [chosenKind, setKind] = useState<KeyKind>('write');
  const kind = fixedKind ?? chosenKind;
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  // A key never gets more power than the person creating it.
  const roleChoices = ROLES.filter((r) => roleAtLeast(actorRole, r));
  const title = fixedKind ? `Create a ${KIND_LABEL[fixedKind].toLowerCase()}` : 'Create an API key';

  const create = useMutation({
    mutationFn: () =>
      api.createKey(workspaceId, kind === 'secret' ? { kind, name: name.trim(), role } : { kind, name: name.trim() }),
    onSuccess: async ({ key, token }) => {
      await qc.invalidateQueries({ queryKey: ['keys', workspaceId] });
      void qc.invalidateQueries({ queryKey: ['overview', workspaceId] });
      void qc.invalidateQueries({ queryKey: ['ingest-sources', workspaceId] });
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
  const kindHelp =
    kind === 'write'
      ? 'Write keys only send data to the tracking API. They may be embedded in websites and apps.'
      : 'Secret keys call the REST API with the role you choose. Keep them on servers, never in a browser or app.';

  return (
    <Modal opened={opened} onClose={close} title={title} centered>
      <form onSubmit={onSubmit} aria-label={title}>
        <Stack>
          {create.isError && (
            <Alert color="red" role="alert">
              {errorMessage(create.error)}
            </Alert>
          )}
          {fixedKind ? (
            <Text size="sm" c="dimmed">
              {kindHelp}
            </Text>
          ) : (
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
                {kindHelp}
              </Text>
            </Stack>
          )}
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

/** Shows a new key's token once. `children` adds content below it (e.g. how to use the key). */
export function TokenModal({
  created,
  onClose,
  children,
}: {
  created: CreatedKey | null;
  onClose: () => void;
  children?: ReactNode;
}) {
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
          {children}
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
