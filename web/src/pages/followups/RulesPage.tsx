import { Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { roleAtLeast } from '../../api/roles';
import { IconArrowLeft } from '../../components/icons';
import { useWorkspace } from '../../components/workspace';
import { PoliciesTab } from './setup/PoliciesTab';
import { RulesTab } from './setup/RulesTab';
import { TargetsTab } from './setup/TargetsTab';
import { TeamsTab } from './setup/TeamsTab';
import { TemplatesTab } from './setup/TemplatesTab';

const TABS = [
  { value: 'rules', label: 'Rules' },
  { value: 'templates', label: 'Templates' },
  { value: 'policies', label: 'SLA policies' },
  { value: 'teams', label: 'Teams' },
  { value: 'targets', label: 'Notifications' },
] as const;
type Tab = (typeof TABS)[number]['value'];

/** Follow-up set-up: rules, templates, SLA policies, teams and notification targets. Managers change them; everyone may read. */
export function RulesPage() {
  const { workspaceId, role } = useWorkspace();
  const canManage = roleAtLeast(role, 'manager');
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.some((t) => t.value === params.get('tab')) ? (params.get('tab') as Tab) : 'rules';
  const base = `/w/${encodeURIComponent(workspaceId)}/follow-ups`;
  return (
    <Stack gap="lg" maw={1400}>
      <Group>
        <Button component={Link} to={base} variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={14} />}>
          Inbox
        </Button>
      </Group>
      <div>
        <Title order={1} fz={26}>
          Follow-up set-up
        </Title>
        <Text c="dimmed">{canManage ? 'Rules, SLA policies, teams and where notifications go' : 'How follow-ups are made, timed and shared (managers can change them)'}</Text>
      </div>
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'rules' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List aria-label="Set-up sections">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="rules" pt="lg">
          <RulesTab workspaceId={workspaceId} canManage={canManage} />
        </Tabs.Panel>
        <Tabs.Panel value="templates" pt="lg">
          <TemplatesTab workspaceId={workspaceId} canManage={canManage} />
        </Tabs.Panel>
        <Tabs.Panel value="policies" pt="lg">
          <PoliciesTab workspaceId={workspaceId} canManage={canManage} />
        </Tabs.Panel>
        <Tabs.Panel value="teams" pt="lg">
          <TeamsTab workspaceId={workspaceId} canManage={canManage} />
        </Tabs.Panel>
        <Tabs.Panel value="targets" pt="lg">
          <TargetsTab workspaceId={workspaceId} canManage={canManage} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
