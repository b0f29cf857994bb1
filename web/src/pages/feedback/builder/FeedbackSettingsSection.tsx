import { Alert, Button, Group, NumberInput, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../../api/client';
import { issuesOf, putFeedbackSettings, surveyKeys, type FeedbackSettings } from '../../../api/surveys';
import { issuesAt } from './model';

const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** One sentence on the workspace's contact limit and quiet hours. */
export function contactRules(s: FeedbackSettings): string {
  const limit = s.contactLimitDays > 0 ? `Nobody is asked more than once in ${s.contactLimitDays} days, across all surveys.` : 'No contact limit: a person may be asked by every survey.';
  const quiet = s.quietHours
    ? `No e-mail is sent between ${hh(s.quietHours.start)} and ${hh(s.quietHours.end)} of the customer’s local time (${s.defaultTimeZone} when their profile has none).`
    : 'E-mails go out at any hour.';
  return `${limit} ${quiet} Links stay valid for ${s.linkLifetimeDays} days.`;
}

function SettingsForm({ workspaceId, settings, onDone }: { workspaceId: string; settings: FeedbackSettings; onDone: () => void }) {
  const qc = useQueryClient();
  const [s, setS] = useState<FeedbackSettings>(settings);
  const save = useMutation({
    mutationFn: () => putFeedbackSettings(workspaceId, s),
    onSuccess: (next) => {
      qc.setQueryData(surveyKeys.settings(workspaceId), next);
      onDone();
    },
  });
  const issues = save.error instanceof ApiError ? issuesOf(save.error.details) : [];
  const num = (v: number | string, fallback: number) => (typeof v === 'number' ? v : fallback);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={onSubmit} aria-label="Feedback settings">
      <Stack gap="sm">
        <Group grow align="flex-start">
          <NumberInput
            label="Contact limit (days)"
            description="0: no limit"
            min={0}
            max={365}
            allowDecimal={false}
            value={s.contactLimitDays}
            error={issuesAt(issues, 'contactLimitDays')}
            onChange={(v) => setS({ ...s, contactLimitDays: num(v, 0) })}
          />
          <NumberInput
            label="Link lifetime (days)"
            min={1}
            max={365}
            allowDecimal={false}
            value={s.linkLifetimeDays}
            error={issuesAt(issues, 'linkLifetimeDays')}
            onChange={(v) => setS({ ...s, linkLifetimeDays: num(v, 30) })}
          />
        </Group>
        <Switch
          label="Quiet hours"
          description="Hold e-mails during the customer’s night."
          checked={s.quietHours !== null}
          onChange={(e) => setS({ ...s, quietHours: e.currentTarget.checked ? { start: 21, end: 8 } : null })}
        />
        {s.quietHours && (
          <Group grow align="flex-start">
            <NumberInput
              label="Quiet from (hour)"
              min={0}
              max={23}
              allowDecimal={false}
              value={s.quietHours.start}
              error={issuesAt(issues, 'quietHours')}
              onChange={(v) => s.quietHours && setS({ ...s, quietHours: { ...s.quietHours, start: num(v, 21) } })}
            />
            <NumberInput
              label="Quiet until (hour)"
              min={0}
              max={23}
              allowDecimal={false}
              value={s.quietHours.end}
              onChange={(v) => s.quietHours && setS({ ...s, quietHours: { ...s.quietHours, end: num(v, 8) } })}
            />
          </Group>
        )}
        <TextInput
          label="Default time zone"
          description="For customers whose profile has none, e.g. Europe/Paris."
          value={s.defaultTimeZone}
          error={issuesAt(issues, 'defaultTimeZone')}
          onChange={(e) => setS({ ...s, defaultTimeZone: e.currentTarget.value })}
        />
        {save.isError && issues.length === 0 && (
          <Alert color="red" role="alert">
            {errorMessage(save.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The workspace's contact limit and quiet hours, as a reminder; admins may change them. */
export function FeedbackSettingsSection({ workspaceId, settings, error, isAdmin }: { workspaceId: string; settings: FeedbackSettings | undefined; error: unknown; isAdmin: boolean }) {
  const [editing, setEditing] = useState(false);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Contact rules" bg="gray.0">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} fz="sm">
            Contact rules for the whole workspace
          </Title>
          {isAdmin && settings && !editing && (
            <Button size="compact-sm" variant="light" onClick={() => setEditing(true)}>
              Change
            </Button>
          )}
        </Group>
        {error != null && (
          <Alert color="red" role="alert">
            {errorMessage(error)}
          </Alert>
        )}
        {settings && !editing && (
          <Text size="sm" data-testid="contact-rules">
            {contactRules(settings)}
          </Text>
        )}
        {settings && editing && <SettingsForm workspaceId={workspaceId} settings={settings} onDone={() => setEditing(false)} />}
        {!isAdmin && (
          <Text size="xs" c="dimmed">
            Admins and owners can change these.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
