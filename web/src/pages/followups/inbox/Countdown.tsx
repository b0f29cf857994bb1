import { Badge, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import type { Task } from '../../../api/followups';
import { formatDateTime } from '../../../components/format';
import { clockOf, clockText, LEVEL } from './clock';

/** A task's live SLA countdown: a coloured badge with the level in words, the time left, and a bar. */
export function Countdown({ task, now, withBar = false }: { task: Task; now: number; withBar?: boolean }) {
  const c = clockOf(task, now);
  const level = LEVEL[c.level];
  const text = clockText(c);
  return (
    <Tooltip label={c.dueAt ? `Due ${formatDateTime(c.dueAt)}` : level.word} disabled={!c.dueAt}>
      <Stack gap={4} data-testid="countdown" data-level={c.level} aria-label={`SLA: ${level.word}, ${text}`}>
        <Group gap={6} wrap="nowrap">
          <Badge color={level.color} variant={c.level === 'breached' ? 'filled' : 'light'} size="sm" className="ec-badge-fit">
            {level.word}
          </Badge>
          <Text size="sm" data-testid="countdown-text" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} c={c.level === 'breached' ? 'red.8' : undefined}>
            {text}
          </Text>
        </Group>
        {withBar && c.fractionLeft !== null && <Progress value={c.fractionLeft * 100} color={level.color} size="sm" aria-hidden />}
      </Stack>
    </Tooltip>
  );
}
