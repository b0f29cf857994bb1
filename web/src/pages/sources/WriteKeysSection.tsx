import { Alert, Anchor, Badge, Button, Code, Grid, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { roleAtLeast } from '../../api/roles';
import { CreateKeyModal, TokenModal, type CreatedKey } from '../../components/ApiKeyModals';
import { formatDateTime, formatRelative } from '../../components/format';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';
import { SendEventsSnippet } from './SendEventsSnippet';

function WriteKeysTable() {
  const { workspaceId, role } = useWorkspace();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const keys = useQuery({ queryKey: ['keys', workspaceId], queryFn: () => api.listKeys(workspaceId) });
  const list = (keys.data?.keys ?? []).filter((k) => k.kind === 'write');

  return (
    <>
      <TableSection
        title="Write keys"
        description={
          <>
            Write keys send events to the tracking API. Manage all keys in{' '}
            <Anchor component={Link} to={`/w/${encodeURIComponent(workspaceId)}/settings/keys`} size="sm">
              Settings → API keys
            </Anchor>
            .
          </>
        }
        action={<Button onClick={() => setCreating(true)}>Create write key</Button>}
        error={keys.error}
        errorTitle="Could not load write keys"
        ariaLabel="Write keys"
        minWidth={520}
        head={
          <>
            <Table.Th>Name</Table.Th>
            <Table.Th>Prefix</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Status</Table.Th>
          </>
        }
        colSpan={4}
        loading={keys.isPending}
        skeletonRows={2}
        empty={
          keys.isSuccess &&
          list.length === 0 && (
            <Stack align="center" gap={4} py="lg">
              <Text fw={500}>No write keys yet</Text>
              <Text size="sm" c="dimmed">
                Create one to start sending events.
              </Text>
            </Stack>
          )
        }
      >
        {list.map((k) => (
          <Table.Tr key={k.id} style={k.revokedAt ? { opacity: 0.6 } : undefined}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {k.name}
              </Text>
            </Table.Td>
            <Table.Td>
              <Code>{k.prefix}…</Code>
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
                <Badge color="red" variant="light" className="ec-badge-fit">
                  Revoked
                </Badge>
              ) : (
                <Badge color="teal" variant="light" className="ec-badge-fit">
                  Active
                </Badge>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </TableSection>
      <CreateKeyModal
        opened={creating}
        kind="write"
        actorRole={role}
        onClose={() => setCreating(false)}
        onCreated={(key, token) => {
          setCreating(false);
          setCreated({ key, token });
        }}
      />
      <TokenModal created={created} onClose={() => setCreated(null)}>
        {created && (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Send a first event
            </Text>
            <SendEventsSnippet writeKey={created.token} />
          </Stack>
        )}
      </TokenModal>
    </>
  );
}

/** Write keys (admins) and how to send events with one. */
export function WriteKeysSection() {
  const { role } = useWorkspace();
  const isAdmin = roleAtLeast(role, 'admin');
  return (
    <Grid gap="lg" align="stretch">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        {isAdmin ? (
          <WriteKeysTable />
        ) : (
          <Stack>
            <div>
              <Title order={2} fz="lg">
                Write keys
              </Title>
              <Text size="sm" c="dimmed">
                Write keys send events to the tracking API.
              </Text>
            </div>
            <Alert color="gray" variant="light" data-testid="write-keys-admin-only">
              Write keys are managed by workspace admins. Ask an admin for a write key to send events.
            </Alert>
          </Stack>
        )}
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Stack h="100%">
          <div>
            <Title order={2} fz="lg">
              Send events
            </Title>
            <Text size="sm" c="dimmed">
              Any Segment-compatible library works: point it at this server.
            </Text>
          </div>
          <Paper withBorder radius="md" p="md" style={{ flex: 1 }}>
            <SendEventsSnippet />
          </Paper>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
