import { Alert, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../api/client';
import { followupKeys, followupsApi, type Template } from '../../../api/followups';

/** Proactive templates: one click makes the rule (and its SLA policy, unless one of its kind exists). */
export function TemplatesTab({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const qc = useQueryClient();
  const templates = useQuery({ queryKey: followupKeys.templates(workspaceId), queryFn: () => followupsApi.templates(workspaceId) });
  const teams = useQuery({ queryKey: followupKeys.teams(workspaceId), queryFn: () => followupsApi.teams(workspaceId) });
  const [teamId, setTeamId] = useState<string | null>(null);
  const enable = useMutation({
    mutationFn: (t: Template) => followupsApi.enableTemplate(workspaceId, t.name, teamId ?? undefined),
    onSuccess: () => void qc.invalidateQueries({ queryKey: followupKeys.all(workspaceId) }),
  });
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} fz="lg">
            Templates
          </Title>
          <Text size="sm" c="dimmed">
            Reach customers before they have to complain. Tasks go to the customer’s account owner, else to the team below in turn.
          </Text>
        </div>
        {canManage && <Select label="Team for unowned customers" placeholder="None" clearable w={260} value={teamId} onChange={setTeamId} data={(teams.data?.teams ?? []).map((t) => ({ value: t.id, label: t.name }))} />}
      </Group>
      {templates.isError && (
        <Alert color="red" role="alert" title="Could not load the templates">
          {errorMessage(templates.error)}
        </Alert>
      )}
      {enable.isError && (
        <Alert color="red" role="alert" title="Could not enable the template">
          {errorMessage(enable.error)}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(templates.data?.templates ?? []).map((t) => (
          <Card key={t.name} withBorder radius="md" data-template={t.name}>
            <Stack gap="xs" h="100%" justify="space-between">
              <div>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Text fw={600}>{t.title}</Text>
                  <Badge color={t.enabled ? 'green' : 'gray'} variant="light" className="ec-badge-fit">
                    {t.enabled ? 'Enabled' : t.ruleId ? 'Disabled' : 'Not enabled'}
                  </Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  {t.description}
                </Text>
              </div>
              {canManage && !t.enabled && (
                <Group>
                  <Button size="xs" onClick={() => enable.mutate(t)} loading={enable.isPending && enable.variables.name === t.name} aria-label={`Enable ${t.title}`}>
                    Enable
                  </Button>
                </Group>
              )}
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
