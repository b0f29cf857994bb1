import { Alert, Box, Group, Paper, SegmentedControl, Select, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { previewSurvey, type Branding, type PreviewQuestion, type SurveyDefinition } from '../../../api/surveys';
import { languageName } from './model';

interface Props {
  definition: SurveyDefinition;
  /** The workspace's branding (feedback settings); the survey's own overrides it. */
  workspaceBranding: Branding | undefined;
  languages: string[];
  lang: string;
  onLang: (lang: string) => void;
}

const FALLBACK_COLOUR = '#2f6fed';
const RTL = new Set(['ar', 'he', 'fa', 'ur']);
const SAFE_LOGO = /^(https:\/\/[^\s"'<>]+|data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+)$/;

function Scale({ q, colour, value, onPick }: { q: PreviewQuestion; colour: string; value: number | undefined; onPick: (n: number) => void }) {
  if (!q.scale) return null;
  const points = Array.from({ length: q.scale.max - q.scale.min + 1 }, (_, k) => (q.scale?.min ?? 0) + k);
  return (
    <Stack gap={4}>
      <Group gap={4} wrap="nowrap" role="radiogroup" aria-label={q.text}>
        {points.map((n) => {
          const on = value === n;
          return (
            <UnstyledButton
              key={n}
              role="radio"
              aria-checked={on}
              onClick={() => onPick(n)}
              style={{
                flex: 1,
                minWidth: 0,
                textAlign: 'center',
                padding: '8px 0',
                fontSize: 13,
                borderRadius: 6,
                border: `1px solid ${on ? colour : 'var(--mantine-color-gray-4)'}`,
                background: on ? colour : 'white',
                color: on ? 'white' : 'var(--mantine-color-dark-7)',
              }}
            >
              {n}
            </UnstyledButton>
          );
        })}
      </Group>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {q.scale.lowLabel}
        </Text>
        <Text size="xs" c="dimmed" ta="end">
          {q.scale.highLabel}
        </Text>
      </Group>
    </Stack>
  );
}

/**
 * The survey as the respondent will see it, in a phone-width frame: the language chosen as the
 * hosted page chooses it (a language counts once every question is written in it), default
 * wordings where the survey gives none, the survey's branding over the workspace's.
 */
export function Preview({ definition, workspaceBranding, languages, lang, onLang }: Props) {
  const [view, setView] = useState<'questions' | 'thanks'>('questions');
  const [scores, setScores] = useState<Record<string, number>>({});
  const survey = previewSurvey(definition, lang, workspaceBranding);
  const colour = survey.branding.colour && /^#[0-9a-fA-F]{6}$/.test(survey.branding.colour) ? survey.branding.colour : FALLBACK_COLOUR;
  const logo = survey.branding.logoUrl && SAFE_LOGO.test(survey.branding.logoUrl) ? survey.branding.logoUrl : undefined;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={2} fz="lg">
          Preview
        </Title>
        <SegmentedControl
          size="xs"
          value={view}
          onChange={(v) => setView(v as 'questions' | 'thanks')}
          data={[
            { value: 'questions', label: 'Questions' },
            { value: 'thanks', label: 'Thank-you' },
          ]}
          aria-label="Preview page"
        />
      </Group>
      <Select
        label="Preview language"
        data={languages.map((l) => ({ value: l, label: languageName(l) }))}
        value={lang}
        onChange={(v) => v && onLang(v)}
        allowDeselect={false}
        maw={260}
      />
      {survey.language !== lang && (
        <Alert color="yellow" p="xs" role="note">
          Not every question is written in {languageName(lang)} yet: a respondent asking for it sees {languageName(survey.language)}.
        </Alert>
      )}
      <Paper
        withBorder
        shadow="sm"
        radius={28}
        p={10}
        w={395}
        maw="100%"
        style={{ background: 'var(--mantine-color-dark-7)' }}
      >
        <Box
          role="region"
          aria-label="Survey preview"
          data-testid="survey-preview"
          lang={survey.language}
          dir={RTL.has(survey.language) ? 'rtl' : 'ltr'}
          style={{ background: 'white', borderRadius: 20, height: 640, overflowY: 'auto', width: '100%', maxWidth: 375 }}
        >
          <div style={{ height: 6, background: colour, borderTopLeftRadius: 20, borderTopRightRadius: 20 }} />
          <Stack gap="lg" p="lg">
            {(logo || survey.branding.companyName) && (
              <Group gap="sm">
                {logo && <img src={logo} alt={survey.branding.companyName ?? 'Logo'} style={{ maxHeight: 36, maxWidth: 140, objectFit: 'contain' }} />}
                {survey.branding.companyName && (
                  <Text fw={600} size="sm">
                    {survey.branding.companyName}
                  </Text>
                )}
              </Group>
            )}
            {view === 'thanks' ? (
              <Text size="lg" fw={500} data-testid="preview-thank-you">
                {survey.thankYou}
              </Text>
            ) : (
              <>
                {survey.title && (
                  <Title order={3} fz={20}>
                    {survey.title}
                  </Title>
                )}
                {survey.questions.map((q) => (
                  <Stack key={q.id} gap={8} data-question-id={q.id}>
                    <Text fw={500} size="sm">
                      {q.text || <em style={{ color: 'var(--mantine-color-red-6)' }}>(no wording)</em>}
                      {q.required && (
                        <span aria-hidden style={{ color: 'var(--mantine-color-red-6)' }}>
                          {' '}
                          *
                        </span>
                      )}
                    </Text>
                    {q.scale ? (
                      <Scale q={q} colour={colour} value={scores[q.id]} onPick={(n) => setScores((s) => ({ ...s, [q.id]: n }))} />
                    ) : (
                      <textarea rows={3} style={{ width: '100%', borderRadius: 6, border: '1px solid var(--mantine-color-gray-4)', padding: 8, font: 'inherit' }} aria-label={q.text} />
                    )}
                    {q.followUp && (
                      <Stack gap={4} mt={4}>
                        <Text size="sm">{q.followUp}</Text>
                        <textarea rows={2} style={{ width: '100%', borderRadius: 6, border: '1px solid var(--mantine-color-gray-4)', padding: 8, font: 'inherit' }} aria-label={q.followUp} />
                      </Stack>
                    )}
                  </Stack>
                ))}
                <UnstyledButton
                  onClick={() => setView('thanks')}
                  style={{ background: colour, color: 'white', borderRadius: 8, padding: '10px 16px', textAlign: 'center', fontWeight: 600 }}
                >
                  {survey.language === 'fr' ? 'Envoyer' : survey.language === 'de' ? 'Senden' : survey.language === 'es' ? 'Enviar' : survey.language === 'nl' ? 'Versturen' : 'Send'}
                </UnstyledButton>
              </>
            )}
          </Stack>
        </Box>
      </Paper>
    </Stack>
  );
}
