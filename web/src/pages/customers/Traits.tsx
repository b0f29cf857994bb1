import { Badge, Button, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { Fragment, useState } from 'react';
import type { TraitView } from '../../api/customers';
import { formatDateTime, formatRelative } from '../../components/format';
import { sourceLabel } from './Identities';
import { fieldLabel, valueText } from './shared';

/** Epoch milliseconds under a time-like key (firstSeenAt, signedUpAt) read as a date. */
function traitText(key: string, value: unknown): string {
  if (typeof value === 'number' && /(At|Date|Time)$/.test(key) && value > 946_684_800_000 && value < 4_102_444_800_000) {
    return new Date(value).toLocaleString();
  }
  return valueText(value);
}

function TraitCells({ t, older }: { t: TraitView; older?: boolean }) {
  return (
    <>
      <Table.Td>
        <Text size="sm" c={older ? 'dimmed' : undefined} style={{ overflowWrap: 'anywhere' }}>
          {traitText(t.key, t.value)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={2} align="flex-start">
          <Badge variant="outline" color="gray" size="sm" tt="none" className="ec-badge-fit">
            {sourceLabel(t.source)}
          </Badge>
          <Tooltip label={formatDateTime(t.observedAt)}>
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {formatRelative(t.observedAt)}
            </Text>
          </Tooltip>
        </Stack>
      </Table.Td>
    </>
  );
}

/** Current trait values with their source and time; older values from other sources fold away. */
export function Traits({ traits }: { traits: TraitView[] }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const keys = [...new Set(traits.map((t) => t.key))];
  const toggle = (key: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="traits-heading">
      <Stack gap="sm">
        <div>
          <Title order={2} fz="lg" id="traits-heading">
            Traits
          </Title>
          <Text size="sm" c="dimmed">
            The newest value of each trait across sources, with where and when it was stated.
          </Text>
        </div>
        {keys.length === 0 ? (
          <Text size="sm" c="dimmed">
            No traits yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={380}>
            <Table verticalSpacing={6} fz="sm" aria-label="Traits">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Trait</Table.Th>
                  <Table.Th>Value</Table.Th>
                  <Table.Th>Source</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.map((key) => {
                  const values = traits.filter((t) => t.key === key);
                  const current = values.find((t) => t.current) ?? values[0];
                  if (!current) return null;
                  const older = values.filter((t) => t !== current);
                  const isOpen = open.has(key);
                  return (
                    <Fragment key={key}>
                      <Table.Tr data-trait={key}>
                        <Table.Td>
                          <Text size="sm" fw={500}>
                            {fieldLabel(key)}
                          </Text>
                          {older.length > 0 && (
                            <Button
                              variant="subtle"
                              size="compact-xs"
                              onClick={() => toggle(key)}
                              aria-expanded={isOpen}
                              aria-label={`${isOpen ? 'Hide' : 'Show'} older values of ${fieldLabel(key)}`}
                            >
                              {isOpen ? 'Hide older' : `${older.length} older`}
                            </Button>
                          )}
                        </Table.Td>
                        <TraitCells t={current} />
                      </Table.Tr>
                      {isOpen &&
                        older.map((t, i) => (
                          <Table.Tr key={`${key}:${i}`} data-trait-older={key} bg="var(--mantine-color-gray-0)">
                            <Table.Td>
                              <Text size="xs" c="dimmed" pl="sm">
                                earlier
                              </Text>
                            </Table.Td>
                            <TraitCells t={t} older />
                          </Table.Tr>
                        ))}
                    </Fragment>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
