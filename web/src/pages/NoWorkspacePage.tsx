import { Alert, Button, Center, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { errorMessage } from '../api/client';
import { api } from '../api/endpoints';
import { useSession, useSessionActions } from '../auth/session';

/** A logged-in person with no workspace yet: create one. */
export function NoWorkspacePage() {
  const session = useSession();
  const { refresh } = useSessionActions();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api.createWorkspace(name.trim()),
    onSuccess: async ({ workspace }) => {
      await refresh();
      navigate(`/w/${encodeURIComponent(workspace.id)}`, { replace: true });
    },
  });
  const first = session.data?.memberships[0];
  if (first) return <Navigate to={`/w/${encodeURIComponent(first.workspaceId)}`} replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" radius="lg" maw={460} w="100%">
        <form onSubmit={onSubmit}>
          <Stack>
            <Title order={1} fz="xl">
              Create your first workspace
            </Title>
            <Text c="dimmed" size="sm">
              You are not a member of any workspace yet. Create one, or ask a workspace admin to add you.
            </Text>
            {create.isError && (
              <Alert color="red" role="alert">
                {errorMessage(create.error)}
              </Alert>
            )}
            <TextInput label="Workspace name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Create workspace
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
