import { Badge, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IDENTIFIER_KINDS, type IdentityView } from '../../api/customers';
import { formatDateTime, formatRelative } from '../../components/format';
import { IDENTITY_LABEL } from './shared';

/** How a source names itself: "events:key_…" → "events (key_…)". */
export function sourceLabel(source: string): string {
  const i = source.indexOf(':');
  return i > 0 ? `${source.slice(0, i)} (${source.slice(i + 1)})` : source;
}

function Seen({ first, last }: { first: string; last: string }) {
  return (
    <Stack gap={0}>
      <Tooltip label={`First seen ${formatDateTime(first)}`}>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          first {formatRelative(first)}
        </Text>
      </Tooltip>
      <Tooltip label={`Last seen ${formatDateTime(last)}`}>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          last {formatRelative(last)}
        </Text>
      </Tooltip>
    </Stack>
  );
}

/** The identifiers that make up a customer, grouped by kind, each with its source, first and last seen. */
export function Identities({ identities }: { identities: IdentityView[] }) {
  const groups = IDENTIFIER_KINDS.map((kind) => ({ kind, rows: identities.filter((i) => i.kind === kind) })).filter((g) => g.rows.length > 0);
  const shared = identities.filter((i) => i.shared).length;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="identities-heading">
      <Stack gap="sm">
        <div>
          <Title order={2} fz="lg" id="identities-heading">
            Identities
          </Title>
          <Text size="sm" c="dimmed">
            The identifiers that tie this customer together, and where each was seen.
            {shared > 0 && ' Shared identifiers were seen on several people and no longer count as evidence.'}
          </Text>
        </div>
        {groups.length === 0 ? (
          <Text size="sm" c="dimmed">
            No identifiers.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={380}>
            <Table verticalSpacing={6} fz="sm" aria-label="Identities">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Identifier</Table.Th>
                  <Table.Th>Source</Table.Th>
                  <Table.Th>Seen</Table.Th>
                </Table.Tr>
              </Table.Thead>
              {groups.map((g) => (
                <Table.Tbody key={g.kind} data-identity-kind={g.kind}>
                  <Table.Tr>
                    <Table.Th colSpan={3} scope="rowgroup" bg="var(--mantine-color-gray-0)">
                      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
                        {IDENTITY_LABEL[g.kind]} ({g.rows.length})
                      </Text>
                    </Table.Th>
                  </Table.Tr>
                  {g.rows.map((i) => (
                    <Table.Tr key={`${i.kind}:${i.value}:${i.profileId}`} data-identity={`${i.kind}:${i.value}`}>
                      <Table.Td>
                        <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                          {i.value}
                        </Text>
                        {i.shared && (
                          <Stack gap={2} mt={2}>
                            <Badge color="orange" variant="light" size="sm" tt="none" className="ec-badge-fit">
                              Shared — not used as evidence
                            </Badge>
                            <Text size="xs" c="dimmed">
                              {i.shared}
                            </Text>
                          </Stack>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="outline" color="gray" size="sm" tt="none" className="ec-badge-fit">
                          {sourceLabel(i.source)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Seen first={i.firstSeenAt} last={i.lastSeenAt} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              ))}
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
