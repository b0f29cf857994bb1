import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import { grantableRoles, ROLE_COLOR, ROLE_LABEL, roleAtLeast } from '../../api/roles';
import type { Member, Role } from '../../api/types';
import { useSession } from '../../auth/session';
import { ConfirmModal } from '../../components/ConfirmModal';
import { formatDateTime } from '../../components/format';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';

const MIN_PASSWORD = 12;

function AddMemberModal({ opened, onClose, actorRole }: { opened: boolean; onClose: () => void; actorRole: Role }) {
  const { workspaceId } = useWorkspace();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('agent');

  const reset = () => {
    setEmail('');
    setName('');
    setPassword('');
    setRole('agent');
  };
  const add = useMutation({
    mutationFn: () =>
      api.addMember(workspaceId, { email: email.trim(), name: name.trim(), role, ...(password ? { password } : {}) }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['members', workspaceId] });
      void qc.invalidateQueries({ queryKey: ['overview', workspaceId] });
      reset();
      add.reset();
      onClose();
    },
  });
  const close = () => {
    add.reset();
    onClose();
  };
  const passwordTooShort = password.length > 0 && password.length < MIN_PASSWORD;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !name.trim() || passwordTooShort) return;
    add.mutate();
  };

  return (
    <Modal opened={opened} onClose={close} title="Add a member" centered>
      <form onSubmit={onSubmit} aria-label="Add a member">
        <Stack>
          {add.isError && (
            <Alert color="red" role="alert">
              {errorMessage(add.error)}
            </Alert>
          )}
          <TextInput label="E-mail" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} data-autofocus />
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <PasswordInput
            label="Password"
            description={`Needed only if this person has no account yet: at least ${MIN_PASSWORD} characters.`}
            value={password}
            error={passwordTooShort ? `Use at least ${MIN_PASSWORD} characters` : undefined}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Select
            label="Role"
            data={grantableRoles(actorRole).map((r) => ({ value: r, label: ROLE_LABEL[r] }))}
            value={role}
            onChange={(v) => v && setRole(v as Role)}
            allowDeselect={false}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending} disabled={!email.trim() || !name.trim() || passwordTooShort}>
              Add member
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RoleCell({ member, actorRole, canManage, isSelf }: { member: Member; actorRole: Role; canManage: boolean; isSelf: boolean }) {
  const { workspaceId } = useWorkspace();
  const qc = useQueryClient();
  const change = useMutation({
    mutationFn: (role: Role) => api.changeMemberRole(workspaceId, member.userId, role),
    onSettled: () => qc.invalidateQueries({ queryKey: ['members', workspaceId] }),
  });
  // Only an owner may change an owner's role (or grant owner).
  const editable = canManage && !isSelf && (member.role !== 'owner' || actorRole === 'owner');
  if (!editable) {
    return (
      <Badge variant="light" color={ROLE_COLOR[member.role] ?? 'gray'}>
        {ROLE_LABEL[member.role] ?? member.role}
      </Badge>
    );
  }
  return (
    <Stack gap={4}>
      <Select
        aria-label={`Role of ${member.name || member.email}`}
        size="xs"
        w={140}
        data={grantableRoles(actorRole).map((r) => ({ value: r, label: ROLE_LABEL[r] }))}
        value={change.isPending && change.variables ? change.variables : member.role}
        onChange={(v) => v && v !== member.role && change.mutate(v as Role)}
        allowDeselect={false}
        disabled={change.isPending}
      />
      {change.isError && (
        <Text size="xs" c="red" role="alert">
          {errorMessage(change.error)}
        </Text>
      )}
    </Stack>
  );
}

export function MembersTab() {
  const { workspaceId, role: actorRole } = useWorkspace();
  const session = useSession();
  const qc = useQueryClient();
  const canManage = roleAtLeast(actorRole, 'admin');
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);

  const members = useQuery({ queryKey: ['members', workspaceId], queryFn: () => api.listMembers(workspaceId) });
  const remove = useMutation({
    mutationFn: (m: Member) => api.removeMember(workspaceId, m.userId),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['members', workspaceId] });
      void qc.invalidateQueries({ queryKey: ['overview', workspaceId] });
      setRemoving(null);
    },
  });

  const list = members.data?.members ?? [];
  const me = session.data?.user.id;

  return (
    <>
      <TableSection
        title="Members"
        description="People who can sign in to this workspace, and what they may do."
        action={canManage && <Button onClick={() => setAdding(true)}>Add member</Button>}
        error={members.error}
        errorTitle="Could not load members"
        ariaLabel="Members"
        minWidth={640}
        highlightOnHover
        head={
          <>
            <Table.Th>Name</Table.Th>
            <Table.Th>E-mail</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Member since</Table.Th>
            {canManage && (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </>
        }
        colSpan={canManage ? 5 : 4}
        loading={members.isPending}
        empty={
          members.isSuccess &&
          list.length === 0 && (
            <Text ta="center" c="dimmed" py="md">
              No members yet.
            </Text>
          )
        }
      >
        {list.map((m) => {
          const isSelf = m.userId === me;
          const removable = canManage && !isSelf && (m.role !== 'owner' || actorRole === 'owner');
          return (
            <Table.Tr key={m.userId}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {m.name}
                  {isSelf && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      (you)
                    </Text>
                  )}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{m.email}</Text>
              </Table.Td>
              <Table.Td>
                <RoleCell member={m} actorRole={actorRole} canManage={canManage} isSelf={isSelf} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {formatDateTime(m.createdAt)}
                </Text>
              </Table.Td>
              {canManage && (
                <Table.Td ta="right">
                  {removable && (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove ${m.name || m.email}`}
                      onClick={() => {
                        remove.reset();
                        setRemoving(m);
                      }}
                    >
                      Remove
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          );
        })}
      </TableSection>

      {canManage && <AddMemberModal opened={adding} onClose={() => setAdding(false)} actorRole={actorRole} />}
      <ConfirmModal
        opened={removing !== null}
        title="Remove member"
        confirmLabel="Remove member"
        onClose={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing)}
        loading={remove.isPending}
        error={remove.error}
      >
        <Text size="sm" span>
          Remove <b>{removing?.name || removing?.email}</b> from this workspace? They will lose access immediately.
        </Text>
      </ConfirmModal>
    </>
  );
}
