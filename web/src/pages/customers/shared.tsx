/** Labels, formatting and the evidence view shared by the customer pages. Everything renders as text. */
import { Badge, Group, List, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Evidence, IdentifierKind, MergeRule } from '../../api/customers';
import { api } from '../../api/endpoints';

export const IDENTITY_LABEL: Record<IdentifierKind, string> = {
  email: 'E-mail',
  phone: 'Phone',
  user_id: 'User id',
  anonymous_id: 'Anonymous id',
  external: 'Source record',
};

export function identityLabel(kind: string): string {
  return IDENTITY_LABEL[kind as IdentifierKind] ?? kind;
}

export const FIELD_LABEL: Record<string, string> = {
  name: 'Name',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'E-mail',
  phone: 'Phone',
  birthDate: 'Date of birth',
  address: 'Address',
  postcode: 'Postcode',
  city: 'City',
  country: 'Country',
};

/** The order in which person fields are compared side by side. */
export const FIELD_ORDER = ['name', 'firstName', 'lastName', 'email', 'phone', 'birthDate', 'address', 'postcode', 'city', 'country'];

export function fieldLabel(field: string): string {
  if (FIELD_LABEL[field]) return FIELD_LABEL[field];
  // camelCase → "Camel case"
  const words = field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const RULE: Record<MergeRule, { label: string; color: string; hint: string }> = {
  'shared-identifier': { label: 'Shared identifier', color: 'blue', hint: 'Both held the same strong identifier.' },
  alias: { label: 'Alias', color: 'cyan', hint: 'An alias call said the two ids are one person.' },
  probabilistic: { label: 'Probabilistic match', color: 'grape', hint: 'Names, e-mails, phones, dates and addresses agreed well enough to merge automatically.' },
  manual: { label: 'By a person', color: 'teal', hint: 'A person merged them, by hand or from the review queue.' },
};

/** A probability as a percentage that never rounds to a certainty it is not. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined || Number.isNaN(score)) return '—';
  const pct = score * 100;
  if (pct >= 99.95 && score < 1) return '> 99.9 %';
  if (pct > 0 && pct < 0.05) return '< 0.1 %';
  return `${pct.toFixed(1)} %`;
}

/** A field weight (log₂ Bayes factor) with its sign. */
export function formatWeight(weight: number): string {
  const v = Math.abs(weight) < 0.005 ? 0 : weight;
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(2)}`;
}

const weightColor = (w: number) => (w > 0.005 ? 'teal' : w < -0.005 ? 'red' : 'gray');

/** A trait or data value as one line of text. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(valueText).join(', ');
  if (typeof v === 'object') {
    const values = Object.values(v as Record<string, unknown>);
    // An address-like object of plain values reads best as a list.
    if (values.every((x) => typeof x === 'string' || typeof x === 'number')) return values.map(String).join(', ');
  }
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/**
 * Who acted on a merge or a suggestion: automatic resolution ('system'), or a person (the API
 * gives their e-mail, or a key's name; the member list gives the name when they are still here).
 */
export function useActorName(workspaceId: string): (actor: string | null | undefined) => string {
  const members = useQuery({ queryKey: ['members', workspaceId], queryFn: () => api.listMembers(workspaceId), staleTime: 60_000 });
  const list = members.data?.members;
  return useCallback(
    (actor) => {
      if (!actor) return '—';
      if (actor === 'system') return 'Automatic resolution';
      const m = list?.find((x) => x.userId === actor || x.email === actor);
      return m ? m.name || m.email : actor;
    },
    [list],
  );
}

/** Why two profiles are (or may be) one person: the summary, per-field weights or shared identifiers, and any block. */
export function EvidenceView({ evidence, label }: { evidence: Evidence; label: string }) {
  const fields = evidence.fields ?? [];
  const identifiers = evidence.identifiers ?? [];
  return (
    <Stack gap="xs">
      <Text size="sm">{evidence.summary}</Text>
      {fields.length > 0 && (
        <Table withTableBorder verticalSpacing={4} fz="sm" aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Field</Table.Th>
              <Table.Th>Comparison</Table.Th>
              <Table.Th ta="right">Weight</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fields.map((f) => (
              <Table.Tr key={f.field} data-field={f.field}>
                <Table.Td>{fieldLabel(f.field)}</Table.Td>
                <Table.Td>{f.label}</Table.Td>
                <Table.Td ta="right">
                  <Badge variant="light" color={weightColor(f.weight)} className="ec-badge-fit" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {formatWeight(f.weight)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {identifiers.length > 0 && (
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            Shared identifiers
          </Text>
          <List size="sm" spacing={2} aria-label={label}>
            {identifiers.map((i) => (
              <List.Item key={`${i.kind}:${i.value}`}>
                <Group gap={6} wrap="nowrap">
                  <Text span size="sm" c="dimmed">
                    {identityLabel(i.kind)}
                  </Text>
                  <Text span size="sm" className="ec-mono">
                    {i.value}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        </div>
      )}
      {evidence.blockedBy && (
        <Text size="sm" c="orange.8">
          <Text span fw={600}>
            Blocked by:{' '}
          </Text>
          {evidence.blockedBy}
        </Text>
      )}
    </Stack>
  );
}

export function customerName(name: string | null | undefined): string {
  return name?.trim() ? name : 'Unnamed customer';
}
