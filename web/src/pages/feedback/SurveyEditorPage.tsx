import { Alert, Anchor, Badge, Button, Grid, Group, List, Paper, Skeleton, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, errorMessage } from '../../api/client';
import { roleAtLeast } from '../../api/roles';
import {
  getFeedbackSettings,
  getSurvey,
  issuesOf,
  surveyKeys,
  updateSurvey,
  DEFAULT_WORDING,
  type Issue,
  type Survey,
  type SurveyDefinition,
  type SurveyStatus,
} from '../../api/surveys';
import { formatDateTime } from '../../components/format';
import { IconArrowLeft } from '../../components/icons';
import { useWorkspace } from '../../components/workspace';
import { BrandingEditor } from './builder/BrandingEditor';
import { EmailSection } from './builder/EmailSection';
import { FeedbackSettingsSection } from './builder/FeedbackSettingsSection';
import { LanguagesPanel } from './builder/LanguagesPanel';
import { LinkSection } from './builder/LinkSection';
import { cleanDefinition, describePath, issuesAt, languagesUsed, wordingIssue } from './builder/model';
import { Preview } from './builder/Preview';
import { QuestionsEditor } from './builder/QuestionsEditor';
import { StatusBadge } from './builder/StatusBadge';
import { TriggersSection } from './builder/TriggersSection';
import { WidgetSection } from './builder/WidgetSection';
import { WordingField } from './builder/WordingField';

type Tab = 'content' | 'design' | 'distribution';

/** Which tab shows the field an issue names. */
function tabOf(path: string): Tab {
  if (path.startsWith('definition.branding')) return 'design';
  if (/^definition\.(widget|email|triggers|allowAnonymous)/.test(path)) return 'distribution';
  return 'content';
}

/** The language an issue is about, when it names one wording in one language. */
function languageOf(path: string): string | undefined {
  const m = /\.(text|followUp|lowLabel|highLabel|title|thankYou|subject|intro)\.([a-z]{2})$/.exec(path);
  return m?.[2];
}

const NEXT_STATUS: Record<SurveyStatus, { to: SurveyStatus; label: string; color: string }> = {
  draft: { to: 'active', label: 'Open survey', color: 'teal' },
  active: { to: 'closed', label: 'Close survey', color: 'red' },
  closed: { to: 'active', label: 'Reopen survey', color: 'teal' },
};

interface Draft {
  name: string;
  definition: SurveyDefinition;
}

const draftOf = (s: Survey): Draft => ({ name: s.name, definition: s.definition });

function Editor({ survey }: { survey: Survey }) {
  const { workspaceId, role } = useWorkspace();
  const qc = useQueryClient();
  const canManage = roleAtLeast(role, 'manager');
  const isAdmin = roleAtLeast(role, 'admin');
  const readOnly = !canManage;

  const [saved, setSaved] = useState<Draft>(() => draftOf(survey));
  const [draft, setDraft] = useState<Draft>(() => draftOf(survey));
  const [added, setAdded] = useState<string[]>([]);
  const [lang, setLang] = useState(survey.definition.defaultLanguage);
  const [previewLang, setPreviewLang] = useState(survey.definition.defaultLanguage);
  const [tab, setTab] = useState<Tab>('content');
  const [issues, setIssues] = useState<Issue[]>([]);
  const [notice, setNotice] = useState<string | null>(null);

  const def = draft.definition;
  const setDef = (definition: SurveyDefinition) => {
    setDraft((d) => ({ ...d, definition }));
    setNotice(null);
  };
  const dirty = useMemo(() => JSON.stringify(draft) !== JSON.stringify(saved), [draft, saved]);
  const languages = useMemo(() => {
    const used = languagesUsed(def);
    for (const l of added) if (!used.includes(l)) used.push(l);
    return used;
  }, [def, added]);

  // The editing and preview languages stay among the survey's languages.
  const editLang = languages.includes(lang) ? lang : def.defaultLanguage;
  const shownLang = languages.includes(previewLang) ? previewLang : def.defaultLanguage;

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const settings = useQuery({ queryKey: surveyKeys.settings(workspaceId), queryFn: () => getFeedbackSettings(workspaceId) });

  const onSaved = (next: Survey, message: string) => {
    qc.setQueryData(surveyKeys.one(workspaceId, next.id), next);
    void qc.invalidateQueries({ queryKey: surveyKeys.list(workspaceId) });
    setSaved(draftOf(next));
    setDraft(draftOf(next));
    setIssues([]);
    setNotice(message);
  };
  const onFailed = (err: unknown) => {
    const found = err instanceof ApiError ? issuesOf(err.details) : [];
    setIssues(found);
    setNotice(null);
    const first = found[0];
    if (first) {
      setTab(tabOf(first.path));
      const l = languageOf(first.path);
      if (l && languages.includes(l)) setLang(l);
    }
  };

  const save = useMutation({
    mutationFn: () => updateSurvey(workspaceId, survey.id, { name: draft.name, definition: cleanDefinition(def) }),
    onSuccess: (next) => onSaved(next, 'Saved.'),
    onError: onFailed,
  });
  const next = NEXT_STATUS[survey.status];
  const transition = useMutation({
    mutationFn: () => updateSurvey(workspaceId, survey.id, { status: next.to, ...(dirty ? { name: draft.name, definition: cleanDefinition(def) } : {}) }),
    onSuccess: (s) => onSaved(s, s.status === 'active' ? 'The survey is open: it takes answers.' : 'The survey is closed: it takes no more answers.'),
    onError: onFailed,
  });
  const failure = save.error ?? transition.error;
  const busy = save.isPending || transition.isPending;
  const defaults = DEFAULT_WORDING[editLang] ?? DEFAULT_WORDING.en;
  const tabIssues = (t: Tab) => issues.filter((i) => tabOf(i.path) === t).length;
  const base = `/w/${encodeURIComponent(workspaceId)}/feedback`;

  return (
    <Stack gap="lg" maw={1500}>
      <div>
        <Anchor component={Link} to={base} size="sm">
          <Group gap={4} component="span">
            <IconArrowLeft size={14} /> Surveys
          </Group>
        </Anchor>
      </div>
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={1} fz={26}>
              {saved.name}
            </Title>
            <StatusBadge status={survey.status} />
            {dirty && (
              <Badge variant="outline" color="yellow">
                Unsaved changes
              </Badge>
            )}
          </Group>
          <Text c="dimmed" size="sm">
            Changed {formatDateTime(survey.updatedAt)} · {survey.id}
          </Text>
        </div>
        {canManage && (
          <Group>
            <Button variant={dirty ? 'filled' : 'default'} onClick={() => save.mutate()} disabled={!dirty || busy} loading={save.isPending}>
              Save
            </Button>
            <Button variant="light" color={next.color} onClick={() => transition.mutate()} disabled={busy} loading={transition.isPending}>
              {next.label}
              {dirty ? ' (and save)' : ''}
            </Button>
          </Group>
        )}
      </Group>

      {readOnly && (
        <Alert color="gray" title="Read-only" role="note">
          You can look at this survey; only managers, admins and owners can change, open or send it.
        </Alert>
      )}
      {notice && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {failure != null && !busy && (
        <Alert color="red" role="alert" title={issues.length ? 'The survey was not saved: please correct the fields marked in red' : 'The survey was not saved'}>
          {issues.length ? (
            <List size="sm">
              {issues.map((i) => (
                <List.Item key={`${i.path}:${i.message}`}>
                  {describePath(i.path)}: {i.message}
                </List.Item>
              ))}
            </List>
          ) : (
            errorMessage(failure)
          )}
        </Alert>
      )}

      <Grid gap="xl">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <TextInput
              label="Survey name"
              description="Only your team sees it."
              value={draft.name}
              maxLength={200}
              readOnly={readOnly}
              required
              error={issuesAt(issues, 'name')}
              onChange={(e) => {
                const name = e.currentTarget.value;
                setDraft((d) => ({ ...d, name }));
              }}
            />
            <Tabs value={tab} onChange={(v) => v && setTab(v as Tab)} variant="outline" keepMounted={false}>
              <Tabs.List>
                {(
                  [
                    ['content', 'Questions & text'],
                    ['design', 'Branding'],
                    ['distribution', 'Distribution'],
                  ] as const
                ).map(([value, label]) => (
                  <Tabs.Tab
                    key={value}
                    value={value}
                    rightSection={
                      tabIssues(value) > 0 ? (
                        <Badge size="xs" color="red" circle aria-label={`${tabIssues(value)} problems`}>
                          {tabIssues(value)}
                        </Badge>
                      ) : null
                    }
                  >
                    {label}
                  </Tabs.Tab>
                ))}
              </Tabs.List>

              <Tabs.Panel value="content" pt="md">
                <Stack gap="md">
                  <LanguagesPanel
                    definition={def}
                    onChange={setDef}
                    languages={languages}
                    onAddLanguage={(l) => {
                      setAdded((a) => [...a, l]);
                      setLang(l);
                    }}
                    lang={editLang}
                    onLang={setLang}
                    readOnly={readOnly}
                  />
                  <WordingField
                    label="Title"
                    wording={def.title}
                    lang={editLang}
                    defaultLang={def.defaultLanguage}
                    readOnly={readOnly}
                    error={wordingIssue(issues, 'definition.title', editLang)}
                    onChange={(title) => setDef({ ...def, title })}
                  />
                  <QuestionsEditor definition={def} onChange={setDef} lang={editLang} issues={issues} readOnly={readOnly} />
                  <WordingField
                    label="Thank-you message"
                    wording={def.thankYou}
                    lang={editLang}
                    defaultLang={def.defaultLanguage}
                    readOnly={readOnly}
                    multiline
                    fallback={defaults?.thankYou}
                    error={wordingIssue(issues, 'definition.thankYou', editLang)}
                    onChange={(thankYou) => setDef({ ...def, thankYou })}
                  />
                </Stack>
              </Tabs.Panel>

              <Tabs.Panel value="design" pt="md">
                <BrandingEditor definition={def} onChange={setDef} workspaceBranding={settings.data?.branding} issues={issues} readOnly={readOnly} />
              </Tabs.Panel>

              <Tabs.Panel value="distribution" pt="md">
                <Stack gap="lg">
                  <FeedbackSettingsSection workspaceId={workspaceId} settings={settings.data} error={settings.error} isAdmin={isAdmin} />
                  <Paper withBorder p="md" radius="md" component="section" aria-label="Link">
                    <Title order={3} fz="md" mb="xs">
                      Link
                    </Title>
                    <LinkSection workspaceId={workspaceId} survey={survey} canManage={canManage} />
                  </Paper>
                  <Paper withBorder p="md" radius="md" component="section" aria-label="Widget">
                    <Title order={3} fz="md" mb="xs">
                      Widget
                    </Title>
                    <WidgetSection surveyId={survey.id} definition={def} onChange={setDef} issues={issues} readOnly={readOnly} />
                  </Paper>
                  <Paper withBorder p="md" radius="md" component="section" aria-label="E-mail">
                    <Title order={3} fz="md" mb="xs">
                      E-mail
                    </Title>
                    <EmailSection
                      workspaceId={workspaceId}
                      survey={survey}
                      definition={def}
                      onChange={setDef}
                      lang={editLang}
                      languages={languages}
                      onLang={setLang}
                      issues={issues}
                      readOnly={readOnly}
                      canManage={canManage}
                      dirty={dirty}
                    />
                  </Paper>
                  <Paper withBorder p="md" radius="md" component="section" aria-label="Triggers">
                    <Title order={3} fz="md" mb="xs">
                      Triggers
                    </Title>
                    <TriggersSection definition={def} onChange={setDef} issues={issues} readOnly={readOnly} />
                  </Paper>
                </Stack>
              </Tabs.Panel>
            </Tabs>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <div style={{ position: 'sticky', top: 76 }}>
            <Preview definition={def} workspaceBranding={settings.data?.branding} languages={languages} lang={shownLang} onLang={setPreviewLang} />
          </div>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** One survey: the builder with its live preview, and how it is distributed. */
export function SurveyEditorPage() {
  const { surveyId = '' } = useParams();
  const { workspaceId } = useWorkspace();
  const survey = useQuery({ queryKey: surveyKeys.one(workspaceId, surveyId), queryFn: () => getSurvey(workspaceId, surveyId) });

  if (survey.isPending) {
    return (
      <Stack maw={1500}>
        <Skeleton h={32} w={320} />
        <Skeleton h={400} />
      </Stack>
    );
  }
  if (survey.isError) {
    return (
      <Stack maw={800}>
        <Alert color="red" role="alert" title="Could not load the survey">
          {errorMessage(survey.error)}
        </Alert>
        <Anchor component={Link} to={`/w/${encodeURIComponent(workspaceId)}/feedback`}>
          Back to the surveys
        </Anchor>
      </Stack>
    );
  }
  // Keyed by id: another survey starts a fresh draft. Status changes keep the draft.
  return <Editor key={survey.data.id} survey={survey.data} />;
}
