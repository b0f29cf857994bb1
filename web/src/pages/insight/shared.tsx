import { Badge, Group, List, Text } from '@mantine/core';
import { BAND_COLOR, BAND_LABEL, type Band, type Contribution } from '../../api/insight';

/** Health 0–100 with its band. */
export function HealthBadge({ health, band }: { health: number; band: Band }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text fw={700} fz="lg" data-testid="health-value">
        {Math.round(health)}
      </Text>
      <Badge color={BAND_COLOR[band]} variant="light" data-testid="health-band">
        {BAND_LABEL[band]}
      </Badge>
    </Group>
  );
}

/** "−6 since last week", coloured by direction; a dash when there is no snapshot to compare with. */
export function ChangeText({ change, summary }: { change: number | null; summary?: string | null }) {
  if (change === null) return <Text c="dimmed" size="sm">—</Text>;
  const n = Math.round(change);
  return (
    <Text size="sm" c={n < 0 ? 'red' : n > 0 ? 'teal' : 'dimmed'} title={summary ?? undefined} data-testid="health-change">
      {n === 0 ? '±0' : n > 0 ? `+${n}` : `−${Math.abs(n)}`} since last week
    </Text>
  );
}

/** The reasons of the top contributions, as plain text (names and values are never markup). */
export function Reasons({ top }: { top: Contribution[] }) {
  if (top.length === 0) return <Text size="sm" c="dimmed">No signal moves this score</Text>;
  return (
    <List size="sm" spacing={2} data-testid="health-reasons">
      {top.map((c) => (
        <List.Item key={c.signal}>
          <Text size="sm" c={c.points < 0 ? 'red.8' : 'teal.8'} span>
            {c.reason}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

export const money = (v: number | null, currency: string | null) =>
  v === null ? '—' : currency ? new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(v) : v.toFixed(0);
export const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
