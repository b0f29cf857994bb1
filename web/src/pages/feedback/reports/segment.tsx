/** The Segment filter shared by the Responses and Reports pages: trait key and value inputs, and one chip per condition (ANDed). */
import { Button, Group, Pill, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { MAX_SEGMENT_CONDITIONS, TRAIT_KEY } from '../../../api/feedback-reports';

const MAX_VALUE = 200;

/** The conditions kept in the address (`?segment=plan:pro&segment=country:FR`), well-formed ones only, at most 5, no repeats. */
export function segmentFromParams(params: URLSearchParams): string[] {
  const out: string[] = [];
  for (const s of params.getAll('segment')) {
    const at = s.indexOf(':');
    if (at > 0 && TRAIT_KEY.test(s.slice(0, at)) && s.length - at - 1 >= 1 && s.length - at - 1 <= MAX_VALUE && !out.includes(s)) out.push(s);
  }
  return out.slice(0, MAX_SEGMENT_CONDITIONS);
}

/** `segment` params replaced by these conditions. */
export function withSegmentParams(prev: URLSearchParams, segment: string[]): URLSearchParams {
  const next = new URLSearchParams(prev);
  next.delete('segment');
  for (const s of segment) next.append('segment', s);
  return next;
}

export function SegmentFilter({ value, onChange }: { value: string[]; onChange: (segment: string[]) => void }) {
  const [key, setKey] = useState('');
  const [text, setText] = useState('');
  const trimmedKey = key.trim();
  const trimmedText = text.trim();
  const keyError = trimmedKey !== '' && !TRAIT_KEY.test(trimmedKey) ? 'Letters, digits, _ . - (at most 64)' : null;
  const full = value.length >= MAX_SEGMENT_CONDITIONS;
  const condition = `${trimmedKey}:${trimmedText}`;
  const canAdd = trimmedKey !== '' && trimmedText !== '' && !keyError && trimmedText.length <= MAX_VALUE && !full && !value.includes(condition);
  const add = () => {
    if (!canAdd) return;
    onChange([...value, condition]);
    setKey('');
    setText('');
  };
  return (
    <Stack gap={4}>
      <Group align="flex-end" gap={6} wrap="nowrap" role="group" aria-label="Segment">
        <TextInput
          label="Segment"
          placeholder="trait, e.g. plan"
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
          error={keyError}
          maxLength={64}
          w={130}
          aria-label="Segment trait"
          onKeyDown={(e) => e.key === 'Enter' && add()}
        />
        <TextInput
          placeholder="value, e.g. pro"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          maxLength={MAX_VALUE}
          w={130}
          aria-label="Segment value"
          onKeyDown={(e) => e.key === 'Enter' && add()}
        />
        <Button variant="default" onClick={add} disabled={!canAdd} title={full ? `At most ${MAX_SEGMENT_CONDITIONS} conditions` : 'Only customers with this trait value'}>
          Add
        </Button>
      </Group>
      {value.length > 0 && (
        <Group gap={4} aria-label="Segment conditions" data-testid="segment-chips">
          {value.map((s) => {
            const at = s.indexOf(':');
            return (
              // Mantine hides a pill's remove button from keyboards and screen readers (it expects Backspace in a PillsInput); here it is the only way to remove a condition.
              <Pill key={s} withRemoveButton onRemove={() => onChange(value.filter((x) => x !== s))} removeButtonProps={{ 'aria-label': `Remove segment ${s}`, 'aria-hidden': false, tabIndex: 0 }}>
                {s.slice(0, at)} = {s.slice(at + 1)}
              </Pill>
            );
          })}
          {value.length > 1 && (
            <Text span size="xs" c="dimmed">
              (all of them)
            </Text>
          )}
        </Group>
      )}
    </Stack>
  );
}
