import { Alert, Anchor, Button, CopyButton, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../../api/client';
import { createLink, issuesOf, type Respondent, type Survey } from '../../../api/surveys';
import { formatDateTime } from '../../../components/format';
import { issuesAt } from './model';
import { RespondentFields } from './RespondentFields';

/** A link's address as it can be shared: absolute even when the server answers with a path. */
export const absoluteLink = (url: string) => new URL(url, window.location.origin).toString();

/** Make a signed link for one respondent and copy it. */
export function LinkSection({ workspaceId, survey, canManage }: { workspaceId: string; survey: Survey; canManage: boolean }) {
  const [respondent, setRespondent] = useState<Respondent>({ kind: 'email', value: '' });
  const [days, setDays] = useState<number | string>('');
  const make = useMutation({
    mutationFn: () =>
      createLink(workspaceId, survey.id, {
        respondent: { kind: respondent.kind, value: respondent.value.trim() },
        channel: 'link',
        ...(typeof days === 'number' ? { lifetimeDays: days } : {}),
      }),
  });
  const issues = make.error instanceof ApiError ? issuesOf(make.error.details) : [];
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!respondent.value.trim()) return;
    make.mutate();
  };
  const link = make.data ? absoluteLink(make.data.url) : null;

  if (!canManage) return <Text size="sm" c="dimmed">Only managers, admins and owners can make survey links.</Text>;
  return (
    <form onSubmit={onSubmit} aria-label="Make a link">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          A signed link answers for one person: their answer joins their customer profile, and opening it again edits the answer.
        </Text>
        {survey.status !== 'active' && (
          <Alert color="yellow" role="note">
            Open the survey before handing out links: a {survey.status} survey takes no answers.
          </Alert>
        )}
        <RespondentFields idPrefix="link" value={respondent} onChange={setRespondent} error={issuesAt(issues, 'respondent')} />
        <NumberInput
          label="Valid for (days)"
          description="Blank: the workspace’s link lifetime."
          min={1}
          max={365}
          value={days}
          onChange={setDays}
          maw={220}
          error={issuesAt(issues, 'lifetimeDays')}
        />
        {make.isError && issues.length === 0 && (
          <Alert color="red" role="alert">
            {errorMessage(make.error)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={make.isPending} disabled={!respondent.value.trim() || survey.status !== 'active'}>
            Make link
          </Button>
        </Group>
        {make.data && link && (
          <Stack gap={6} data-testid="survey-link">
            <Group align="flex-end" wrap="nowrap">
              <TextInput label="Survey link" value={link} readOnly style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} className="ec-mono" />
              <CopyButton value={link}>
                {({ copied, copy }) => (
                  <Button variant={copied ? 'light' : 'default'} color={copied ? 'teal' : undefined} onClick={copy}>
                    {copied ? 'Copied' : 'Copy link'}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="xs" c="dimmed">
              Valid until {formatDateTime(make.data.expiresAt)} ·{' '}
              <Anchor href={link} target="_blank" rel="noreferrer" size="xs">
                Open the survey page
              </Anchor>
            </Text>
          </Stack>
        )}
      </Stack>
    </form>
  );
}
