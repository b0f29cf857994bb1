import { ActionIcon, Button, Group, NumberInput, Paper, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import type { EventFilter, Issue, SurveyDefinition, Trigger } from '../../../api/surveys';
import { issuesAt, newTriggerId } from './model';

interface Props {
  definition: SurveyDefinition;
  onChange: (next: SurveyDefinition) => void;
  issues: Issue[];
  readOnly: boolean;
}

const OPS: { value: EventFilter['op']; label: string }[] = [
  { value: 'eq', label: 'is' },
  { value: 'neq', label: 'is not' },
  { value: 'gt', label: '>' },
  { value: 'gte', label: '≥' },
  { value: 'lt', label: '<' },
  { value: 'lte', label: '≤' },
  { value: 'contains', label: 'contains' },
  { value: 'exists', label: 'is present' },
];

/** Send the survey by e-mail when a tracked event matches; saved in the definition. */
export function TriggersSection({ definition, onChange, issues, readOnly }: Props) {
  const ts = definition.triggers;
  const setTs = (triggers: Trigger[]) => onChange({ ...definition, triggers });
  const setT = (i: number, patch: Partial<Trigger>) => setTs(ts.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  const setF = (i: number, k: number, patch: Partial<EventFilter>) =>
    setT(i, { where: (ts[i]?.where ?? []).map((f, j) => (j === k ? { ...f, ...patch } : f)) });

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        When an event arrives for a customer and matches, the survey is e-mailed to them after the delay (if the survey is open,
        they have an e-mail address, and the contact limit and quiet hours allow). Values that look like numbers or true/false
        are compared as such.
      </Text>
      {ts.length === 0 && (
        <Text size="sm" c="dimmed" fs="italic">
          No triggers: the survey is sent only by hand, by link or by the widget.
        </Text>
      )}
      {ts.map((t, i) => {
        const n = i + 1;
        const path = `definition.triggers.${i}`;
        return (
          <Paper key={t.id} withBorder p="md" radius="md" component="section" aria-label={`Trigger ${n}`}>
            <Stack gap="sm">
              <Group justify="space-between">
                <Switch label={`Trigger ${n} enabled`} checked={t.enabled} disabled={readOnly} onChange={(e) => setT(i, { enabled: e.currentTarget.checked })} />
                {!readOnly && (
                  <Button size="compact-sm" variant="subtle" color="red" onClick={() => setTs(ts.filter((_, j) => j !== i))}>
                    Remove trigger {n}
                  </Button>
                )}
              </Group>
              {issuesAt(issues, `${path}.id`) && (
                <Text size="sm" c="red" role="alert">
                  {issuesAt(issues, `${path}.id`)}
                </Text>
              )}
              <TextInput
                label={`Trigger ${n} event`}
                placeholder="Ticket Solved"
                value={t.event}
                readOnly={readOnly}
                maxLength={200}
                required
                error={issuesAt(issues, `${path}.event`)}
                onChange={(e) => setT(i, { event: e.currentTarget.value })}
              />
              <Stack gap={6}>
                <Text size="sm" fw={500}>
                  Only when
                </Text>
                {t.where.length === 0 && (
                  <Text size="xs" c="dimmed">
                    Every such event.
                  </Text>
                )}
                {t.where.map((f, k) => (
                  <Group key={k} gap="xs" align="flex-start" wrap="nowrap">
                    <TextInput
                      aria-label={`Trigger ${n} filter ${k + 1} property`}
                      placeholder="properties.plan"
                      value={f.property}
                      readOnly={readOnly}
                      style={{ flex: 2 }}
                      error={issuesAt(issues, `${path}.where.${k}.property`)}
                      onChange={(e) => setF(i, k, { property: e.currentTarget.value })}
                    />
                    <Select
                      aria-label={`Trigger ${n} filter ${k + 1} comparison`}
                      data={OPS}
                      value={f.op}
                      allowDeselect={false}
                      readOnly={readOnly}
                      w={120}
                      onChange={(v) => v && setF(i, k, { op: v as EventFilter['op'] })}
                    />
                    {f.op !== 'exists' && (
                      <TextInput
                        aria-label={`Trigger ${n} filter ${k + 1} value`}
                        placeholder="gold"
                        value={f.value === undefined ? '' : String(f.value)}
                        readOnly={readOnly}
                        style={{ flex: 2 }}
                        error={issuesAt(issues, `${path}.where.${k}.value`)}
                        onChange={(e) => setF(i, k, { value: e.currentTarget.value })}
                      />
                    )}
                    {!readOnly && (
                      <ActionIcon
                        variant="default"
                        mt={4}
                        aria-label={`Remove trigger ${n} filter ${k + 1}`}
                        onClick={() => setT(i, { where: t.where.filter((_, j) => j !== k) })}
                      >
                        ×
                      </ActionIcon>
                    )}
                  </Group>
                ))}
                {!readOnly && (
                  <Group>
                    <Button size="compact-sm" variant="light" disabled={t.where.length >= 20} onClick={() => setT(i, { where: [...t.where, { property: '', op: 'eq', value: '' }] })}>
                      Add a filter
                    </Button>
                  </Group>
                )}
              </Stack>
              <Group grow align="flex-start">
                <NumberInput
                  label="Delay (minutes)"
                  min={0}
                  max={60 * 24 * 30}
                  allowDecimal={false}
                  value={t.delayMinutes}
                  readOnly={readOnly}
                  error={issuesAt(issues, `${path}.delayMinutes`)}
                  onChange={(v) => setT(i, { delayMinutes: typeof v === 'number' ? v : 0 })}
                />
                <NumberInput
                  label="Sample (% of matches)"
                  min={0}
                  max={100}
                  suffix="%"
                  decimalScale={1}
                  value={Math.round(t.sample * 1000) / 10}
                  readOnly={readOnly}
                  error={issuesAt(issues, `${path}.sample`)}
                  onChange={(v) => setT(i, { sample: typeof v === 'number' ? Math.min(1, Math.max(0, v / 100)) : 1 })}
                />
                <TextInput label="Channel" value="E-mail" readOnly />
              </Group>
            </Stack>
          </Paper>
        );
      })}
      {!readOnly && (
        <Group>
          <Button
            variant="light"
            disabled={ts.length >= 20}
            onClick={() => setTs([...ts, { id: newTriggerId(ts), event: '', where: [], delayMinutes: 0, channel: 'email', sample: 1, enabled: true }])}
          >
            Add a trigger
          </Button>
        </Group>
      )}
    </Stack>
  );
}
