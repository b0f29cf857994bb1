import { Alert, Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../../api/client';
import { issuesOf, sendSurvey, type Issue, type Respondent, type Survey, type SurveyDefinition } from '../../../api/surveys';
import { issuesAt, languageName, wordingIssue } from './model';
import { RespondentFields } from './RespondentFields';
import { WordingField } from './WordingField';

interface Props {
  workspaceId: string;
  survey: Survey;
  definition: SurveyDefinition;
  onChange: (next: SurveyDefinition) => void;
  lang: string;
  languages: string[];
  onLang: (lang: string) => void;
  issues: Issue[];
  readOnly: boolean;
  canManage: boolean;
  dirty: boolean;
}

/** The e-mail's wording (saved in the definition) and sending the survey to one person now. */
export function EmailSection({ workspaceId, survey, definition, onChange, lang, languages, onLang, issues, readOnly, canManage, dirty }: Props) {
  const dl = definition.defaultLanguage;
  const email = definition.email;
  const [respondent, setRespondent] = useState<Respondent>({ kind: 'email', value: '' });
  const send = useMutation({
    mutationFn: () => sendSurvey(workspaceId, survey.id, { respondent: { kind: respondent.kind, value: respondent.value.trim() }, channel: 'email' }),
  });
  const unavailable = send.error instanceof ApiError && send.error.status === 404 && send.error.code === 'ROUTE_NOT_FOUND';
  const notConfigured = send.error instanceof ApiError && send.error.code === 'EMAIL_NOT_CONFIGURED';
  const sendIssues = send.error instanceof ApiError ? issuesOf(send.error.details) : [];
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!respondent.value.trim()) return;
    send.mutate();
  };

  // As the e-mail is rendered: the subject falls back to the survey's title, then to a stock line.
  const title = definition.title?.[lang]?.trim() || definition.title?.[dl]?.trim();
  const company = definition.branding.companyName?.trim();
  const stockSubject = lang === 'fr' ? 'Une petite question' : lang === 'de' ? 'Eine kurze Frage' : lang === 'es' ? 'Una pregunta rápida' : lang === 'nl' ? 'Een korte vraag' : 'A quick question';
  const subjectFallback = title || (company ? `${company}: ${stockSubject}` : stockSubject);

  return (
    <Stack gap="md">
      {languages.length > 1 && (
        <SegmentedControl size="xs" w="fit-content" aria-label="E-mail language" value={lang} onChange={onLang} data={languages.map((l) => ({ value: l, label: languageName(l) }))} />
      )}
      <WordingField
        label="E-mail subject"
        wording={email.subject}
        lang={lang}
        defaultLang={dl}
        readOnly={readOnly}
        fallback={subjectFallback}
        error={wordingIssue(issues, 'definition.email.subject', lang)}
        onChange={(subject) => onChange({ ...definition, email: { ...email, subject } })}
      />
      <WordingField
        label="E-mail intro"
        wording={email.intro}
        lang={lang}
        defaultLang={dl}
        readOnly={readOnly}
        multiline
        error={wordingIssue(issues, 'definition.email.intro', lang)}
        onChange={(intro) => onChange({ ...definition, email: { ...email, intro } })}
      />
      {canManage && (
        <form onSubmit={onSubmit} aria-label="Send the survey by e-mail">
          <Stack gap="sm">
            <Text fw={500} size="sm">
              Send to…
            </Text>
            <Text size="sm" c="dimmed">
              One e-mail now, in the person’s language, with the scores in the message; the workspace’s contact limit and quiet
              hours apply.
            </Text>
            {dirty && (
              <Alert color="yellow" role="note" p="xs">
                Unsaved changes are not in the e-mail: save first.
              </Alert>
            )}
            <RespondentFields idPrefix="send" kinds={['email', 'user_id']} value={respondent} onChange={setRespondent} error={issuesAt(sendIssues, 'respondent')} />
            {unavailable && (
              <Alert color="gray" role="alert" title="Not available yet">
                This server cannot send surveys by e-mail yet. Make a link for the person instead, or use a trigger.
              </Alert>
            )}
            {notConfigured && (
              <Alert color="gray" role="alert" title="E-mail is not set up on this server">
                {errorMessage(send.error)}. Make a link for the person instead.
              </Alert>
            )}
            {send.isError && !unavailable && !notConfigured && sendIssues.length === 0 && (
              <Alert color="red" role="alert">
                {errorMessage(send.error)}
              </Alert>
            )}
            {send.isSuccess && (
              <Alert color="teal" role="status">
                {send.data?.status === 'pending'
                  ? `Queued: the survey is on its way to ${send.data.respondent?.value ?? 'the respondent'} (the contact limit and quiet hours apply).`
                  : `The survey is on its way to ${send.data?.respondent?.value ?? 'the respondent'}.`}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={send.isPending} disabled={!respondent.value.trim() || survey.status !== 'active'}>
                Send e-mail
              </Button>
              {survey.status !== 'active' && (
                <Text size="xs" c="dimmed">
                  Open the survey to send it.
                </Text>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
