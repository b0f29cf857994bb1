import { ActionIcon, Button, Group, JsonInput, Modal, Paper, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CONDITION_OPS, followupKeys, followupsApi, PRIORITIES, type Action, type Condition, type ConditionOp, type ConditionValue, type Rule, type RuleDefinition, type Trigger } from '../../../api/followups';
import { ApiErrorAlert, errorAt } from './errors';
import { TestPanel } from './TestPanel';

export const EMPTY_RULE: RuleDefinition = {
  trigger: { kind: 'feedback' },
  conditions: [{ field: 'feedback.category', op: 'eq', value: 'detractor' }],
  actions: [{ type: 'create_task', title: 'Call {{customer.name}} back: NPS {{feedback.score}}', priority: 'high', slaKind: 'detractor', assign: { strategy: 'account_owner' } }],
};

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** A condition's value as typed: numbers and booleans as such, lists comma-separated for "in". */
function parseValue(op: ConditionOp, text: string): ConditionValue | ConditionValue[] | undefined {
  const one = (t: string): ConditionValue => {
    const s = t.trim();
    if (s === 'true') return true;
    if (s === 'false') return false;
    if (s !== '' && !Number.isNaN(Number(s))) return Number(s);
    return s;
  };
  if (op === 'exists') return text.trim() === '' ? undefined : one(text);
  if (op === 'in') return text.split(',').map(one).filter((v) => v !== '');
  return text === '' ? undefined : one(text);
}
const valueText = (v: Condition['value']): string => (v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));

const ACTION_TEMPLATES: Record<Action['type'], Action> = {
  create_task: { type: 'create_task', title: 'Follow up with {{customer.name}}', priority: 'normal', slaKind: 'detractor', assign: { strategy: 'account_owner' } },
  notify: { type: 'notify', target: 'owner', message: 'Heads up about {{customer.name}}' },
  send_survey: { type: 'send_survey', surveyId: '' },
  tag_profile: { type: 'tag_profile', tag: 'needs-attention' },
};

/** The form half: name, trigger, conditions and the main fields of each action (the JSON holds everything). */
function DefinitionForm({ def, onChange, error }: { def: RuleDefinition; onChange: (d: RuleDefinition) => void; error: unknown }) {
  const conditions = def.conditions ?? [];
  const setTrigger = (t: Trigger) => onChange({ ...def, trigger: t });
  const setCondition = (i: number, c: Condition) => onChange({ ...def, conditions: conditions.map((x, j) => (j === i ? c : x)) });
  const setAction = (i: number, a: Action) => onChange({ ...def, actions: def.actions.map((x, j) => (j === i ? a : x)) });
  const p = (rest: string) => `definition.${rest}`;
  return (
    <Stack gap="sm">
      <Group align="flex-end" grow>
        <Select
          label="Trigger"
          value={def.trigger.kind}
          allowDeselect={false}
          data={[
            { value: 'feedback', label: 'A feedback answer' },
            { value: 'event', label: 'A tracked event' },
            { value: 'profile', label: 'A profile change or tag' },
          ]}
          onChange={(k) => setTrigger(k === 'event' ? { kind: 'event', event: '' } : k === 'profile' ? { kind: 'profile' } : { kind: 'feedback' })}
          error={errorAt(error, p('trigger.kind'))}
        />
        {def.trigger.kind === 'event' && (
          <TextInput label="Event name" value={def.trigger.event} onChange={(e) => setTrigger({ kind: 'event', event: e.currentTarget.value })} error={errorAt(error, p('trigger.event'))} />
        )}
        {def.trigger.kind === 'feedback' && (
          <TextInput
            label="Only this survey (id)"
            placeholder="any survey"
            value={def.trigger.surveyId ?? ''}
            onChange={(e) => setTrigger({ kind: 'feedback', ...(e.currentTarget.value ? { surveyId: e.currentTarget.value } : {}) })}
            error={errorAt(error, p('trigger.surveyId'))}
          />
        )}
        {def.trigger.kind === 'profile' && (
          <TextInput
            label="When this tag is added"
            placeholder="on every identify call"
            value={def.trigger.tag ?? ''}
            onChange={(e) => setTrigger({ kind: 'profile', ...(e.currentTarget.value ? { tag: e.currentTarget.value } : {}) })}
            error={errorAt(error, p('trigger.tag'))}
          />
        )}
      </Group>

      <Text size="sm" fw={500}>
        Conditions (all must hold)
      </Text>
      {conditions.map((c, i) => (
        <Group key={i} align="flex-start" gap="xs" wrap="nowrap" data-testid={`condition-${i}`}>
          <TextInput aria-label={`Condition ${i + 1} field`} placeholder="feedback.score" value={c.field} onChange={(e) => setCondition(i, { ...c, field: e.currentTarget.value })} error={errorAt(error, p(`conditions.${i}.field`))} style={{ flex: 2 }} />
          <Select aria-label={`Condition ${i + 1} operator`} value={c.op} allowDeselect={false} data={[...CONDITION_OPS]} onChange={(op) => op && setCondition(i, { ...c, op: op as ConditionOp })} w={110} error={errorAt(error, p(`conditions.${i}.op`))} />
          <TextInput
            aria-label={`Condition ${i + 1} value`}
            placeholder={c.op === 'in' ? 'a, b, c' : c.op === 'exists' ? 'true' : 'value'}
            value={valueText(c.value)}
            onChange={(e) => {
              const v = parseValue(c.op, e.currentTarget.value);
              const { value: _old, ...rest } = c;
              setCondition(i, v === undefined ? rest : { ...rest, value: v });
            }}
            error={errorAt(error, p(`conditions.${i}.value`))}
            style={{ flex: 2 }}
          />
          <ActionIcon variant="subtle" color="red" mt={6} aria-label={`Remove condition ${i + 1}`} onClick={() => onChange({ ...def, conditions: conditions.filter((_, j) => j !== i) })}>
            ×
          </ActionIcon>
        </Group>
      ))}
      {errorAt(error, p('conditions')) && (
        <Text size="xs" c="red">
          {errorAt(error, p('conditions'))}
        </Text>
      )}
      <Group>
        <Button size="xs" variant="default" onClick={() => onChange({ ...def, conditions: [...conditions, { field: def.trigger.kind === 'feedback' ? 'feedback.score' : 'event.properties.', op: 'eq', value: '' }] })}>
          Add a condition
        </Button>
      </Group>

      <Text size="sm" fw={500}>
        Actions
      </Text>
      {def.actions.map((a, i) => (
        <Paper key={i} withBorder p="xs" radius="sm" data-testid={`action-${i}`}>
          <Group align="flex-start" gap="xs" wrap="nowrap">
            <Select aria-label={`Action ${i + 1} type`} value={a.type} allowDeselect={false} w={150} data={Object.keys(ACTION_TEMPLATES)} onChange={(t) => t && setAction(i, ACTION_TEMPLATES[t as Action['type']])} />
            {a.type === 'create_task' && (
              <>
                <TextInput aria-label={`Action ${i + 1} title`} placeholder="Title" value={a.title} onChange={(e) => setAction(i, { ...a, title: e.currentTarget.value })} error={errorAt(error, p(`actions.${i}.title`))} style={{ flex: 3 }} />
                <Select aria-label={`Action ${i + 1} priority`} value={a.priority ?? 'normal'} allowDeselect={false} data={[...PRIORITIES]} onChange={(v) => v && setAction(i, { ...a, priority: v as (typeof PRIORITIES)[number] })} w={100} />
                <TextInput aria-label={`Action ${i + 1} SLA kind`} placeholder="SLA kind" value={a.slaKind} onChange={(e) => setAction(i, { ...a, slaKind: e.currentTarget.value })} error={errorAt(error, p(`actions.${i}.slaKind`))} w={130} />
              </>
            )}
            {a.type === 'notify' && (
              <TextInput aria-label={`Action ${i + 1} message`} placeholder="Message" value={a.message ?? ''} onChange={(e) => setAction(i, { ...a, message: e.currentTarget.value })} error={errorAt(error, p(`actions.${i}.message`))} style={{ flex: 3 }} />
            )}
            {a.type === 'send_survey' && (
              <TextInput aria-label={`Action ${i + 1} survey id`} placeholder="Survey id" value={a.surveyId} onChange={(e) => setAction(i, { ...a, surveyId: e.currentTarget.value })} error={errorAt(error, p(`actions.${i}.surveyId`))} style={{ flex: 3 }} />
            )}
            {a.type === 'tag_profile' && (
              <TextInput aria-label={`Action ${i + 1} tag`} placeholder="Tag" value={a.tag} onChange={(e) => setAction(i, { ...a, tag: e.currentTarget.value })} error={errorAt(error, p(`actions.${i}.tag`))} style={{ flex: 3 }} />
            )}
            <ActionIcon variant="subtle" color="red" mt={6} aria-label={`Remove action ${i + 1}`} onClick={() => onChange({ ...def, actions: def.actions.filter((_, j) => j !== i) })}>
              ×
            </ActionIcon>
          </Group>
        </Paper>
      ))}
      {errorAt(error, p('actions')) && (
        <Text size="xs" c="red">
          {errorAt(error, p('actions'))}
        </Text>
      )}
      <Group>
        <Button size="xs" variant="default" onClick={() => onChange({ ...def, actions: [...def.actions, ACTION_TEMPLATES.notify] })}>
          Add an action
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        Assignment, notify targets, counting conditions and every other option are in the JSON.
      </Text>
    </Stack>
  );
}

/** Create or change a rule: a form and the same definition as JSON, side by side; errors at their path; a test panel. */
export function RuleEditor({ workspaceId, rule, opened, onClose }: { workspaceId: string; rule: Rule | null; opened: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState(rule?.name ?? '');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [def, setDef] = useState<RuleDefinition>(rule?.definition ?? EMPTY_RULE);
  const [json, setJson] = useState(pretty(rule?.definition ?? EMPTY_RULE));
  const [jsonError, setJsonError] = useState<string | null>(null);

  const fromForm = (d: RuleDefinition) => {
    setDef(d);
    setJson(pretty(d));
    setJsonError(null);
  };
  const fromJson = (text: string) => {
    setJson(text);
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('a rule definition is a JSON object');
      const d = parsed as RuleDefinition;
      setDef({ ...d, trigger: d.trigger ?? { kind: 'feedback' }, actions: Array.isArray(d.actions) ? d.actions : [] });
      setJsonError(null);
    } catch (e) {
      setJsonError(e instanceof Error ? e.message : 'not valid JSON');
    }
  };

  const save = useMutation({
    mutationFn: () => {
      const definition = JSON.parse(json) as unknown;
      return rule ? followupsApi.updateRule(workspaceId, rule.id, { name, enabled, definition }) : followupsApi.createRule(workspaceId, { name, enabled, definition });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: followupKeys.rules(workspaceId) });
      void qc.invalidateQueries({ queryKey: followupKeys.templates(workspaceId) });
      onClose();
    },
  });

  return (
    <Modal opened={opened} onClose={onClose} title={rule ? `Edit rule: ${rule.name}` : 'New rule'} size="90%" centered>
      <Stack>
        <Group align="flex-end">
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errorAt(save.error, 'body.name')} style={{ flex: 1 }} required />
          <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} mb={8} />
        </Group>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <DefinitionForm def={def} onChange={fromForm} error={save.error} />
          <JsonInput
            label="Definition (JSON)"
            value={json}
            onChange={fromJson}
            autosize
            minRows={16}
            maxRows={32}
            error={jsonError ?? undefined}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
          />
        </SimpleGrid>
        <ApiErrorAlert error={save.error} title="The rule was not saved" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={jsonError !== null || !name.trim()}>
            {rule ? 'Save rule' : 'Create rule'}
          </Button>
        </Group>
        <Paper withBorder p="md" radius="md">
          <Title order={3} fz="md" mb="xs">
            Test this rule
          </Title>
          <TestPanel workspaceId={workspaceId} definition={jsonError ? null : json} triggerKind={def.trigger?.kind ?? 'feedback'} />
        </Paper>
      </Stack>
    </Modal>
  );
}

