import { Alert, Anchor, Button, Group, Menu, SegmentedControl, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../api/client';
import { roleAtLeast } from '../../api/roles';
import { createSurvey, fullLanguagesOf, listSurveys, surveyKeys, type SurveyStatus } from '../../api/surveys';
import { formatDateTime, formatRelative } from '../../components/format';
import { IconChart, IconMessage } from '../../components/icons';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';
import { languageName, QUESTION_TYPE_LABEL, TEMPLATES, type SurveyTemplate } from './builder/model';
import { STATUS_LABEL, StatusBadge } from './builder/StatusBadge';

type Filter = 'all' | SurveyStatus;

/** Feedback: the workspace's surveys, new ones from templates, and the way to responses and reports. */
export function SurveysPage() {
  const { workspaceId, workspaceName, role } = useWorkspace();
  const canManage = roleAtLeast(role, 'manager');
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<Filter>('all');
  const base = `/w/${encodeURIComponent(workspaceId)}/feedback`;

  const list = useQuery({ queryKey: surveyKeys.list(workspaceId), queryFn: () => listSurveys(workspaceId) });
  const create = useMutation({
    mutationFn: (t: SurveyTemplate) => createSurvey(workspaceId, { name: t.name, definition: structuredClone(t.definition) }),
    onSuccess: (s) => {
      qc.setQueryData(surveyKeys.one(workspaceId, s.id), s);
      void qc.invalidateQueries({ queryKey: surveyKeys.list(workspaceId) });
      navigate(`${base}/surveys/${encodeURIComponent(s.id)}`);
    },
  });

  const surveys = list.data?.surveys ?? [];
  const shown = filter === 'all' ? surveys : surveys.filter((s) => s.status === filter);
  const count = (s: SurveyStatus) => surveys.filter((x) => x.status === s).length;

  return (
    <Stack gap="lg" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={26}>
            Surveys
          </Title>
          <Text c="dimmed">Ask the customers of {workspaceName} by link, e-mail or in-app widget</Text>
        </div>
        <Group>
          <Button component={Link} to={`${base}/responses`} variant="default" leftSection={<IconMessage size={16} />}>
            Responses
          </Button>
          <Button component={Link} to={`${base}/reports`} variant="default" leftSection={<IconChart size={16} />}>
            Reports
          </Button>
          {canManage && (
            <Menu position="bottom-end" width={320}>
              <Menu.Target>
                <Button loading={create.isPending}>New survey</Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>Start from a template</Menu.Label>
                {TEMPLATES.map((t) => (
                  <Menu.Item key={t.key} onClick={() => create.mutate(t)}>
                    <Text size="sm" fw={500}>
                      {t.label}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t.description}
                    </Text>
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          )}
        </Group>
      </Group>

      {create.isError && (
        <Alert color="red" role="alert" title="Could not create the survey">
          {errorMessage(create.error)}
        </Alert>
      )}

      <SegmentedControl
        value={filter}
        onChange={(v) => setFilter(v as Filter)}
        aria-label="Show surveys"
        w="fit-content"
        data={[
          { value: 'all', label: `All (${surveys.length})` },
          ...(['draft', 'active', 'closed'] as const).map((s) => ({ value: s, label: `${STATUS_LABEL[s]} (${count(s)})` })),
        ]}
      />

      <TableSection
        title="Surveys"
        description="Most recently changed first. A draft takes no answers until it is opened."
        error={list.error}
        errorTitle="Could not load the surveys"
        ariaLabel="Surveys"
        minWidth={820}
        highlightOnHover
        head={
          <>
            <Table.Th>Name</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Questions</Table.Th>
            <Table.Th>Languages</Table.Th>
            <Table.Th>Changed</Table.Th>
          </>
        }
        colSpan={5}
        loading={list.isPending}
        empty={
          list.isSuccess &&
          shown.length === 0 && (
            <Stack align="center" gap={4} py="lg">
              <Text fw={500}>{surveys.length === 0 ? 'No surveys yet' : 'No survey with this status'}</Text>
              {surveys.length === 0 && (
                <Text size="sm" c="dimmed">
                  {canManage ? 'Start one with “New survey”: NPS, CSAT, CES or a mix.' : 'Managers, admins and owners can create surveys.'}
                </Text>
              )}
            </Stack>
          )
        }
      >
        {shown.map((s) => (
          <Table.Tr key={s.id} data-survey-id={s.id}>
            <Table.Td>
              <Anchor component={Link} to={`${base}/surveys/${encodeURIComponent(s.id)}`} fw={500} size="sm">
                {s.name}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <StatusBadge status={s.status} />
            </Table.Td>
            <Table.Td>
              <Text size="sm">{s.definition.questions.map((q) => QUESTION_TYPE_LABEL[q.type].split(' ')[0]).join(', ')}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{fullLanguagesOf(s.definition).map(languageName).join(', ')}</Text>
            </Table.Td>
            <Table.Td>
              <Tooltip label={formatDateTime(s.updatedAt)}>
                <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatRelative(s.updatedAt)}
                </Text>
              </Tooltip>
            </Table.Td>
          </Table.Tr>
        ))}
      </TableSection>
    </Stack>
  );
}
