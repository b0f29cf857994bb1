import { Group, Select, TextInput } from '@mantine/core';
import type { Respondent } from '../../../api/surveys';

export const RESPONDENT_KINDS: { value: Respondent['kind']; label: string; placeholder: string }[] = [
  { value: 'email', label: 'E-mail', placeholder: 'ann@example.com' },
  { value: 'user_id', label: 'User id', placeholder: 'u-123' },
  { value: 'anonymous_id', label: 'Anonymous id', placeholder: 'anon-7f3c…' },
];

/** Who a link or an e-mail is for: a kind of identifier and its value. */
export function RespondentFields({
  value,
  onChange,
  kinds = RESPONDENT_KINDS.map((k) => k.value),
  idPrefix,
  error,
}: {
  value: Respondent;
  onChange: (r: Respondent) => void;
  kinds?: Respondent['kind'][];
  idPrefix: string;
  error?: string;
}) {
  const options = RESPONDENT_KINDS.filter((k) => kinds.includes(k.value));
  const current = options.find((k) => k.value === value.kind) ?? options[0];
  return (
    <Group align="flex-start" grow>
      <Select
        id={`${idPrefix}-kind`}
        label="Respondent identified by"
        data={options.map((k) => ({ value: k.value, label: k.label }))}
        value={value.kind}
        allowDeselect={false}
        onChange={(v) => v && onChange({ ...value, kind: v as Respondent['kind'] })}
      />
      <TextInput
        id={`${idPrefix}-value`}
        label={current?.label ?? 'Identifier'}
        placeholder={current?.placeholder}
        value={value.value}
        maxLength={300}
        error={error}
        onChange={(e) => onChange({ ...value, value: e.currentTarget.value })}
      />
    </Group>
  );
}
