import { ActionIcon, Badge, Button, Group, Menu, Paper, Select, Stack, Switch, Text, Tooltip } from '@mantine/core';
import { DEFAULT_WORDING, QUESTION_TYPES, type Issue, type Question, type QuestionType, type SurveyDefinition } from '../../../api/surveys';
import { issuesAt, newQuestionId, QUESTION_TYPE_LABEL, wordingIssue } from './model';
import { WordingField } from './WordingField';

interface Props {
  definition: SurveyDefinition;
  onChange: (next: SurveyDefinition) => void;
  lang: string;
  issues: Issue[];
  readOnly: boolean;
}

const MAX_QUESTIONS = 20;

function starterText(type: QuestionType): string {
  switch (type) {
    case 'nps':
      return 'How likely are you to recommend us to a friend or colleague?';
    case 'csat':
      return 'How satisfied are you with our service?';
    case 'ces':
      return 'It was easy to get what I needed.';
    default:
      return 'Tell us more.';
  }
}

/** The questions: add, remove, reorder; type, wording, required, NPS follow-up and scale labels. */
export function QuestionsEditor({ definition, onChange, lang, issues, readOnly }: Props) {
  const dl = definition.defaultLanguage;
  const qs = definition.questions;
  const defaults = DEFAULT_WORDING[lang] ?? DEFAULT_WORDING.en;
  const setQuestions = (questions: Question[]) => onChange({ ...definition, questions });
  const setQ = (i: number, patch: Partial<Question>) => setQuestions(qs.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  const move = (i: number, by: number) => {
    const next = [...qs];
    const [q] = next.splice(i, 1);
    if (q) next.splice(i + by, 0, q);
    setQuestions(next);
  };
  const usedMetrics = new Set(qs.filter((q) => q.type !== 'text').map((q) => q.type));
  const add = (type: QuestionType) => setQuestions([...qs, { id: newQuestionId(qs, type), type, text: { [dl]: starterText(type) }, required: false }]);

  return (
    <Stack gap="md">
      {qs.map((q, i) => {
        const n = i + 1;
        const path = `definition.questions.${i}`;
        return (
          <Paper key={`${q.id}-${i}`} withBorder p="md" radius="md" aria-label={`Question ${n}`} component="section">
            <Stack gap="sm">
              <Group justify="space-between" wrap="nowrap">
                <Group gap="xs">
                  <Badge variant="light">Question {n}</Badge>
                  <Text size="xs" c="dimmed" className="ec-mono">
                    id: {q.id}
                  </Text>
                </Group>
                {!readOnly && (
                  <Group gap={4}>
                    <Tooltip label="Move up">
                      <ActionIcon variant="default" aria-label={`Move question ${n} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                        ↑
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Move down">
                      <ActionIcon variant="default" aria-label={`Move question ${n} down`} disabled={i === qs.length - 1} onClick={() => move(i, 1)}>
                        ↓
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={qs.length === 1 ? 'A survey needs at least one question' : 'Remove'}>
                      <ActionIcon
                        variant="default"
                        color="red"
                        aria-label={`Remove question ${n}`}
                        disabled={qs.length === 1}
                        onClick={() => setQuestions(qs.filter((_, j) => j !== i))}
                      >
                        ×
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                )}
              </Group>
              {issuesAt(issues, `${path}.id`) && (
                <Text size="sm" c="red" role="alert">
                  {issuesAt(issues, `${path}.id`)}
                </Text>
              )}
              <Group grow align="flex-start">
                <Select
                  label={`Question ${n} type`}
                  data={QUESTION_TYPES.map((t) => ({ value: t, label: QUESTION_TYPE_LABEL[t], disabled: t !== 'text' && t !== q.type && usedMetrics.has(t) }))}
                  value={q.type}
                  allowDeselect={false}
                  readOnly={readOnly}
                  error={issuesAt(issues, `${path}.type`)}
                  onChange={(v) => v && setQ(i, { type: v as QuestionType })}
                />
                <Switch
                  mt={30}
                  label="Required"
                  checked={q.required}
                  disabled={readOnly}
                  onChange={(e) => setQ(i, { required: e.currentTarget.checked })}
                />
              </Group>
              <WordingField
                label={`Question ${n} wording`}
                wording={q.text}
                lang={lang}
                defaultLang={dl}
                required={lang === dl}
                readOnly={readOnly}
                multiline
                error={wordingIssue(issues, `${path}.text`, lang)}
                onChange={(text) => setQ(i, { text })}
              />
              {q.type === 'nps' && (
                <WordingField
                  label={`Question ${n} follow-up`}
                  wording={q.followUp}
                  lang={lang}
                  defaultLang={dl}
                  readOnly={readOnly}
                  fallback={defaults?.why}
                  error={wordingIssue(issues, `${path}.followUp`, lang)}
                  onChange={(followUp) => setQ(i, { followUp })}
                />
              )}
              {q.type !== 'text' && (
                <Group grow align="flex-start">
                  <WordingField
                    label={`Question ${n} low label`}
                    wording={q.lowLabel}
                    lang={lang}
                    defaultLang={dl}
                    readOnly={readOnly}
                    fallback={defaults?.low[q.type]}
                    error={wordingIssue(issues, `${path}.lowLabel`, lang)}
                    onChange={(lowLabel) => setQ(i, { lowLabel })}
                  />
                  <WordingField
                    label={`Question ${n} high label`}
                    wording={q.highLabel}
                    lang={lang}
                    defaultLang={dl}
                    readOnly={readOnly}
                    fallback={defaults?.high[q.type]}
                    error={wordingIssue(issues, `${path}.highLabel`, lang)}
                    onChange={(highLabel) => setQ(i, { highLabel })}
                  />
                </Group>
              )}
            </Stack>
          </Paper>
        );
      })}
      {issuesAt(issues, 'definition.questions') && !qs.some((_, i) => issuesAt(issues, `definition.questions.${i}`)) && (
        <Text size="sm" c="red" role="alert">
          {issuesAt(issues, 'definition.questions')}
        </Text>
      )}
      {!readOnly && (
        <Group>
          <Menu position="bottom-start">
            <Menu.Target>
              <Button variant="light" disabled={qs.length >= MAX_QUESTIONS}>
                Add a question
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {QUESTION_TYPES.map((t) => (
                <Menu.Item key={t} disabled={t !== 'text' && usedMetrics.has(t)} onClick={() => add(t)}>
                  {QUESTION_TYPE_LABEL[t]}
                  {t !== 'text' && usedMetrics.has(t) ? ' (one per survey)' : ''}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Text size="xs" c="dimmed">
            At most one NPS, one CSAT and one CES question per survey; up to {MAX_QUESTIONS} questions.
          </Text>
        </Group>
      )}
    </Stack>
  );
}
