/** The pieces every row of the home page is made of: a section with its heading, a figure tile with its change, and an empty state that says where to start. */
import { Anchor, Box, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import { Link } from 'react-router';

export function HomeSection({ title, description, testId, actions, children }: { title: string; description?: ReactNode; testId: string; actions?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <Box component="section" aria-labelledby={id} data-testid={testId}>
      <Group justify="space-between" align="flex-end" mb="sm" gap="sm">
        <div>
          <Title order={2} fz="lg" id={id}>
            {title}
          </Title>
          {description && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
        </div>
        {actions}
      </Group>
      {children}
    </Box>
  );
}

/** A signed difference, rounded as shown: "+3", "−1.5", "±0". */
export function signed(delta: number, digits = 0): string {
  const f = Number(delta.toFixed(digits)) || 0;
  const text = Math.abs(f).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${f > 0 ? '+' : f < 0 ? '−' : '±'}${text}`;
}

/**
 * "↑ +3 vs Oct 2026 (was 12)": the change of a figure against the period before, or why there
 * is none. `better` says which direction is good (churn and time to contact: down), for colour.
 */
export function ChangeAgainst({ current, previous, format, digits = 0, unit = '', against, better = 'up' }: { current: number | null; previous: number | null; format: (v: number) => string; digits?: number; unit?: string; against: string; better?: 'up' | 'down' }) {
  if (current === null || previous === null) {
    return (
      <Text size="xs" c="dimmed" data-testid="change">
        {previous === null ? `Nothing to compare with in ${against}` : 'No figure in this period'}
      </Text>
    );
  }
  const d = Number((current - previous).toFixed(digits)) || 0;
  const arrow = d > 0 ? '↑' : d < 0 ? '↓' : '→';
  const good = d === 0 ? undefined : (d > 0) === (better === 'up') ? 'teal.8' : 'red.8';
  return (
    <Text size="xs" c={good ?? 'dimmed'} fw={600} data-testid="change">
      <span role="img" aria-label={d > 0 ? 'up' : d < 0 ? 'down' : 'unchanged'}>
        {arrow}
      </span>{' '}
      {signed(current - previous, digits)}
      {unit} vs {against} (was {format(previous)})
    </Text>
  );
}

export function StatTile({ label, value, hint, change, testId }: { label: string; value: ReactNode; hint?: ReactNode; change?: ReactNode; testId: string }) {
  const id = useId();
  return (
    <Paper withBorder radius="md" p="md" role="group" aria-labelledby={id} data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} id={id}>
        {label}
      </Text>
      <Text fz={26} fw={700} lh={1.2} mt={4} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="value">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
      {change}
    </Paper>
  );
}

export function StartHere({ icon, title, children, to, linkText, testId }: { icon: ReactNode; title: string; children: ReactNode; to: string; linkText: string; testId: string }) {
  return (
    <Stack align="center" gap="xs" py={32} role="status" data-testid={testId}>
      <ThemeIcon size={52} radius="xl" variant="light" color="gray">
        {icon}
      </ThemeIcon>
      <Text fw={600}>{title}</Text>
      <Text size="sm" c="dimmed" ta="center" maw={520}>
        {children}{' '}
        <Anchor component={Link} to={to} size="sm">
          {linkText}
        </Anchor>
        .
      </Text>
    </Stack>
  );
}
