import { Badge, Button, Group, List, Paper, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { fullLanguagesOf, type SurveyDefinition } from '../../../api/surveys';
import { LANGUAGE_CODES, languageName, missingIn } from './model';

interface Props {
  definition: SurveyDefinition;
  onChange: (next: SurveyDefinition) => void;
  /** Languages the builder shows (those used, and any just added). */
  languages: string[];
  onAddLanguage: (lang: string) => void;
  lang: string;
  onLang: (lang: string) => void;
  readOnly: boolean;
}

/** Which language is being edited, adding one, and which wordings are missing in which language. */
export function LanguagesPanel({ definition, onChange, languages, onAddLanguage, lang, onLang, readOnly }: Props) {
  const [adding, setAdding] = useState<string | null>(null);
  const dl = definition.defaultLanguage;
  const complete = fullLanguagesOf(definition);
  const options = LANGUAGE_CODES.filter((c) => !languages.includes(c)).map((c) => ({ value: c, label: `${languageName(c)} (${c})` }));

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Translations">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={3} fz="md">
              Translations
            </Title>
            <Text size="sm" c="dimmed">
              Respondents see the first language the survey is fully written in of: the one asked for, their profile’s, their browser’s, then {languageName(dl)}.
            </Text>
          </div>
        </Group>
        <Group align="flex-end" gap="sm">
          <div>
            <Text size="sm" fw={500} mb={4} id="editing-language-label">
              Editing language
            </Text>
            <SegmentedControl
              aria-labelledby="editing-language-label"
              value={lang}
              onChange={onLang}
              data={languages.map((l) => ({ value: l, label: `${languageName(l)}${l === dl ? ' (default)' : ''}` }))}
            />
          </div>
          {!readOnly && (
            <>
              <Select
                label="Add a language"
                placeholder="Choose a language"
                searchable
                data={options}
                value={adding}
                onChange={setAdding}
                w={220}
              />
              <Button
                variant="light"
                disabled={!adding}
                onClick={() => {
                  if (!adding) return;
                  onAddLanguage(adding);
                  setAdding(null);
                }}
              >
                Add language
              </Button>
            </>
          )}
        </Group>
        <Stack gap={6} aria-label="Missing wordings" data-testid="missing-wordings">
          {languages.map((l) => {
            const missing = missingIn(definition, l);
            const isComplete = complete.includes(l);
            return (
              <div key={l} data-language={l}>
                <Group gap="xs">
                  <Text size="sm" fw={500}>
                    {languageName(l)}
                  </Text>
                  {missing.length === 0 ? (
                    <Badge color="teal" variant="light">
                      complete
                    </Badge>
                  ) : (
                    <Badge color={isComplete ? 'yellow' : 'orange'} variant="light">
                      {missing.length} missing
                    </Badge>
                  )}
                  {!isComplete && l !== dl && (
                    <Text size="xs" c="dimmed">
                      not offered to respondents until every question is translated
                    </Text>
                  )}
                  {isComplete && missing.length > 0 && (
                    <Text size="xs" c="dimmed">
                      offered; the missing texts fall back to defaults
                    </Text>
                  )}
                  {!readOnly && l !== dl && isComplete && (
                    <Button size="compact-xs" variant="subtle" onClick={() => onChange({ ...definition, defaultLanguage: l })}>
                      Make default
                    </Button>
                  )}
                </Group>
                {missing.length > 0 && (
                  <List size="xs" c="dimmed" ml="md">
                    {missing.map((s) => (
                      <List.Item key={s.path}>{s.label}</List.Item>
                    ))}
                  </List>
                )}
              </div>
            );
          })}
        </Stack>
      </Stack>
    </Paper>
  );
}
