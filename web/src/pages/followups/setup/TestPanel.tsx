import { Alert, Badge, Button, Code, Group, JsonInput, List, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { followupsApi, type RuleSample } from '../../../api/followups';
import { ApiErrorAlert } from './errors';

const SAMPLES: Record<'feedback' | 'event' | 'profile', RuleSample> = {
  feedback: { feedback: { score: 3, category: 'detractor', metric: 'nps' } },
  event: { event: { type: 'track', event: 'Lead Created', userId: 'u-1', properties: { plan: 'pro' } } },
  profile: { tag: 'vip', userId: 'u-1' },
};

/** "Test this rule": a sample event, answer or tag, and what would fire (nothing changes). */
export function TestPanel({ workspaceId, definition, triggerKind }: { workspaceId: string; definition: string | null; triggerKind: 'feedback' | 'event' | 'profile' }) {
  const [sample, setSample] = useState(() => JSON.stringify(SAMPLES[triggerKind], null, 2));
  const [customerName, setCustomerName] = useState('Ada Lovelace');
  const test = useMutation({
    mutationFn: () =>
      followupsApi.testRule(workspaceId, {
        rule: JSON.parse(definition ?? '{}') as unknown,
        sample: JSON.parse(sample) as RuleSample,
        ...(customerName.trim() ? { customer: { name: customerName.trim(), traits: {} } } : {}),
      }),
  });
  let sampleError: string | undefined;
  try {
    JSON.parse(sample);
  } catch (e) {
    sampleError = e instanceof Error ? e.message : 'not valid JSON';
  }
  const result = test.data;
  return (
    <Stack gap="sm" data-testid="rule-test">
      <Group align="flex-end">
        <Button size="xs" variant="default" onClick={() => setSample(JSON.stringify(SAMPLES[triggerKind], null, 2))}>
          Sample {triggerKind === 'profile' ? 'tag' : triggerKind}
        </Button>
        <TextInput label="Sample customer's name" description="Empty: the customer behind the sample's user id, if known" value={customerName} onChange={(e) => setCustomerName(e.currentTarget.value)} w={320} />
      </Group>
      <JsonInput label="Sample" value={sample} onChange={setSample} autosize minRows={4} error={sampleError} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }} />
      <Group>
        <Button onClick={() => test.mutate()} loading={test.isPending} disabled={!definition || sampleError !== undefined}>
          Test this rule
        </Button>
      </Group>
      <ApiErrorAlert error={test.error} title="Could not test the rule" />
      {result && (
        <Alert color={result.matched ? 'green' : 'gray'} title={result.matched ? 'It would fire' : 'It would not fire'} data-testid="rule-test-result" data-matched={result.matched}>
          <Stack gap="xs">
            {result.reasons.length > 0 && (
              <List size="sm" spacing={2}>
                {result.reasons.map((r) => (
                  <List.Item key={r}>{r}</List.Item>
                ))}
              </List>
            )}
            {result.actions.map((a, i) => (
              <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
                <Badge variant="light">{String(a.type)}</Badge>
                <Code block style={{ flex: 1 }}>
                  {JSON.stringify(a, null, 2)}
                </Code>
              </Group>
            ))}
            {result.loop && (
              <Text size="sm" c="red.8">
                Loop: this rule would close a cycle through {result.loop.join(' → ')}.
              </Text>
            )}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
