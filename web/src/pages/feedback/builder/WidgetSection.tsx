import { Button, Code, CopyButton, Group, NumberInput, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import type { Issue, SurveyDefinition } from '../../../api/surveys';
import { issuesAt } from './model';

interface Props {
  surveyId: string;
  definition: SurveyDefinition;
  onChange: (next: SurveyDefinition) => void;
  issues: Issue[];
  readOnly: boolean;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

export function widgetSnippets(origin: string, surveyId: string) {
  const src = `${origin}/widget.js`;
  return {
    token: `<script async src="${escapeAttr(src)}" data-survey="${escapeAttr(surveyId)}" data-token="TOKEN_FROM_YOUR_BACKEND"></script>`,
    anonymous: `<script async src="${escapeAttr(src)}" data-survey="${escapeAttr(surveyId)}" data-anonymous-id="ANONYMOUS_ID_OF_THE_VISITOR"></script>`,
  };
}

function Snippet({ code, label }: { code: string; label: string }) {
  return (
    <Stack gap={6}>
      <Code block className="ec-json" aria-label={label}>
        {code}
      </Code>
      <Group justify="flex-end">
        <CopyButton value={code}>
          {({ copied, copy }) => (
            <Button size="xs" variant={copied ? 'light' : 'default'} color={copied ? 'teal' : undefined} onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

/** The in-app widget: the snippet to paste, and when it shows (saved in the definition). */
export function WidgetSection({ surveyId, definition, onChange, issues, readOnly }: Props) {
  const w = definition.widget;
  const set = (patch: Partial<SurveyDefinition['widget']>) => onChange({ ...definition, widget: { ...w, ...patch } });
  const snippets = widgetSnippets(window.location.origin, surveyId);
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Paste this before <code>&lt;/body&gt;</code> on pages where signed-in customers may be asked. Your backend makes the
        token for the signed-in person with <code>POST /api/workspaces/…/surveys/{surveyId}/links</code> and{' '}
        <code>{'{"channel": "api", "respondent": {"kind": "user_id", "value": "…"}}'}</code> (an API key with the feedback
        permission), and puts it in <code>data-token</code>. Never put an API key in the page.
      </Text>
      <Snippet code={snippets.token} label="Widget snippet" />
      <Switch
        label="Allow anonymous visitors"
        description="Let the widget ask visitors known only by their anonymous id (for example analytics.js’s)."
        checked={definition.allowAnonymous}
        disabled={readOnly}
        onChange={(e) => onChange({ ...definition, allowAnonymous: e.currentTarget.checked })}
      />
      {definition.allowAnonymous && (
        <>
          <Text size="sm" c="dimmed">
            For visitors who are not signed in, pass their anonymous id instead of a token:
          </Text>
          <Snippet code={snippets.anonymous} label="Widget snippet for anonymous visitors" />
        </>
      )}
      <TagsInput
        label="Pages"
        description="URL paths where the widget may show; * matches anything (e.g. /checkout/*). None: every page. Press Enter after each."
        placeholder={readOnly ? undefined : '/account/*'}
        value={w.pages}
        readOnly={readOnly}
        maxTags={20}
        error={issuesAt(issues, 'definition.widget.pages')}
        onChange={(pages) => set({ pages })}
      />
      <TextInput
        label="Show after the event"
        description="The name of an event tracked on the page (emptychair.track(name)); blank: when the page loads."
        placeholder="Order Completed"
        value={w.event ?? ''}
        readOnly={readOnly}
        maxLength={200}
        error={issuesAt(issues, 'definition.widget.event')}
        onChange={(e) => set({ event: e.currentTarget.value })}
      />
      <Group grow align="flex-start">
        <NumberInput
          label="Delay (seconds)"
          min={0}
          max={3600}
          allowDecimal={false}
          value={w.delaySeconds}
          readOnly={readOnly}
          error={issuesAt(issues, 'definition.widget.delaySeconds')}
          onChange={(v) => set({ delaySeconds: typeof v === 'number' ? v : 0 })}
        />
        <NumberInput
          label="Sample (% of eligible visitors)"
          min={0}
          max={100}
          suffix="%"
          decimalScale={1}
          value={Math.round(w.sample * 1000) / 10}
          readOnly={readOnly}
          error={issuesAt(issues, 'definition.widget.sample')}
          onChange={(v) => set({ sample: typeof v === 'number' ? Math.min(1, Math.max(0, v / 100)) : 1 })}
        />
      </Group>
    </Stack>
  );
}
