import { Stack, Tabs, Text, Title } from '@mantine/core';
import { Navigate, useNavigate, useParams } from 'react-router';
import { roleAtLeast } from '../../api/roles';
import { IconChart, IconKey, IconList, IconUsers } from '../../components/icons';
import { useWorkspace } from '../../components/workspace';
import { ApiKeysTab } from './ApiKeysTab';
import { AuditTab } from './AuditTab';
import { InsightModelsTab } from './InsightModelsTab';
import { MembersTab } from './MembersTab';

const TABS = ['members', 'keys', 'audit', 'insight'] as const;
type Tab = (typeof TABS)[number];

function isTab(v: string | undefined): v is Tab {
  return (TABS as readonly string[]).includes(v ?? '');
}

export function SettingsPage() {
  const { tab } = useParams();
  const { workspaceId, workspaceName, role } = useWorkspace();
  const navigate = useNavigate();
  const isAdmin = roleAtLeast(role, 'admin');

  if (!isTab(tab) || (!isAdmin && tab !== 'members' && tab !== 'insight')) return <Navigate to="../members" relative="path" replace />;

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1} fz={26}>
          Settings
        </Title>
        <Text c="dimmed">People, API keys and the audit trail of {workspaceName}</Text>
      </div>
      <Tabs
        value={tab}
        onChange={(v) => v && navigate(`/w/${encodeURIComponent(workspaceId)}/settings/${v}`)}
        keepMounted={false}
        variant="outline"
      >
        <Tabs.List>
          <Tabs.Tab value="members" leftSection={<IconUsers size={16} />}>
            Members
          </Tabs.Tab>
          {isAdmin && (
            <Tabs.Tab value="keys" leftSection={<IconKey size={16} />}>
              API keys
            </Tabs.Tab>
          )}
          {isAdmin && (
            <Tabs.Tab value="audit" leftSection={<IconList size={16} />}>
              Audit log
            </Tabs.Tab>
          )}
          <Tabs.Tab value="insight" leftSection={<IconChart size={16} />}>
            Insight models
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="members" pt="lg">
          <MembersTab />
        </Tabs.Panel>
        <Tabs.Panel value="insight" pt="lg">
          <InsightModelsTab />
        </Tabs.Panel>
        {isAdmin && (
          <Tabs.Panel value="keys" pt="lg">
            <ApiKeysTab />
          </Tabs.Panel>
        )}
        {isAdmin && (
          <Tabs.Panel value="audit" pt="lg">
            <AuditTab />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
