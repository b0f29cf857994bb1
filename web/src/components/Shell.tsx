import {
  Alert,
  AppShell,
  Badge,
  Box,
  Burger,
  Button,
  Center,
  Group,
  NavLink,
  ScrollArea,
  Select,
  Stack,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { Link, Navigate, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../api/endpoints';
import { ROLE_COLOR, ROLE_LABEL } from '../api/roles';
import { useSession, useSessionActions } from '../auth/session';
import { CAPABILITIES } from '../pages/capabilities';
import { IconAlert, IconChair, IconHome, IconLogout, IconPlug, IconSettings } from './icons';
import type { WorkspaceContext } from './workspace';

const NAV = [
  { path: '', label: 'Home', icon: IconHome },
  { path: 'sources', label: 'Sources', icon: IconPlug },
  ...CAPABILITIES.map((c) => ({ path: c.path, label: c.label, icon: c.icon })),
  { path: 'insight/at-risk', label: 'At risk', icon: IconAlert },
  { path: 'settings', label: 'Settings', icon: IconSettings },
];

/** The part of the path after /w/:workspaceId, e.g. "settings/keys". */
function subPath(pathname: string): string {
  const parts = pathname.split('/').filter(Boolean);
  return parts.slice(2).join('/');
}

export function Shell() {
  const { workspaceId = '' } = useParams();
  const session = useSession();
  const { signOutLocally } = useSessionActions();
  const location = useLocation();
  const navigate = useNavigate();
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);

  const logout = useMutation({
    mutationFn: () => api.logout(),
    onSettled: () => {
      signOutLocally();
      navigate('/login', { replace: true });
    },
  });

  const s = session.data;
  if (!s) return <Navigate to="/login" replace />;
  const membership = s.memberships.find((m) => m.workspaceId === workspaceId);
  const rest = subPath(location.pathname);
  const section = rest.split('/')[0] ?? '';

  const switchTo = (id: string | null) => {
    if (!id || id === workspaceId) return;
    // Keep the section (settings tab included) when switching workspaces.
    navigate(`/w/${encodeURIComponent(id)}${rest ? `/${rest}` : ''}`);
  };

  const ctx: WorkspaceContext | null = membership
    ? { workspaceId, workspaceName: membership.workspaceName, role: membership.role, membership }
    : null;

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpen} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <ThemeIcon size={34} radius="xl" variant="light">
              <IconChair size={20} />
            </ThemeIcon>
            <Title order={2} fz="lg" visibleFrom="xs">
              Empty Chair
            </Title>
            <Select
              aria-label="Workspace"
              ml={{ base: 0, sm: 'md' }}
              w={{ base: 160, sm: 220 }}
              data={s.memberships.map((m) => ({ value: m.workspaceId, label: m.workspaceName }))}
              value={membership ? workspaceId : null}
              placeholder="Choose a workspace"
              onChange={switchTo}
              allowDeselect={false}
              searchable={s.memberships.length > 6}
              comboboxProps={{ withinPortal: true }}
            />
          </Group>
          <Group gap="sm" wrap="nowrap">
            {membership && (
              <Badge variant="light" color={ROLE_COLOR[membership.role]} visibleFrom="md">
                {ROLE_LABEL[membership.role]}
              </Badge>
            )}
            <Tooltip label={s.user.name || s.user.email}>
              <Text size="sm" c="dimmed" visibleFrom="sm" data-testid="current-user-email" truncate maw={240}>
                {s.user.email}
              </Text>
            </Tooltip>
            <Button
              variant="default"
              size="sm"
              aria-label="Log out"
              leftSection={<IconLogout size={16} />}
              loading={logout.isPending}
              onClick={() => logout.mutate()}
            >
              <Box component="span" visibleFrom="sm">
                Log out
              </Box>
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={2}>
            {NAV.map((item) => {
              const Icon = item.icon;
              // Deeper entries ("insight/at-risk") match by prefix, and win over their first segment's entry.
              const deeper = NAV.some((o) => o.path.includes('/') && o.path !== item.path && `${rest}/`.startsWith(`${o.path}/`));
              const active = item.path === '' ? section === '' : item.path.includes('/') ? `${rest}/`.startsWith(`${item.path}/`) : section === item.path && !deeper;
              return (
                <NavLink
                  key={item.label}
                  component={Link}
                  to={item.path ? `/w/${encodeURIComponent(workspaceId)}/${item.path}` : `/w/${encodeURIComponent(workspaceId)}`}
                  label={item.label}
                  leftSection={<Icon size={18} />}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                  onClick={closeNav}
                  style={{ borderRadius: 'var(--mantine-radius-md)' }}
                />
              );
            })}
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" pt="sm">
            <VisuallyHidden>Workspace: </VisuallyHidden>
            {membership?.workspaceName ?? ''}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="var(--mantine-color-gray-0)">
        {ctx ? (
          <Outlet context={ctx} />
        ) : (
          <Center py="xl">
            <Alert color="yellow" title="Workspace not available" maw={520} role="alert">
              You are not a member of this workspace, or it no longer exists. Choose one of your workspaces from the
              switcher above.
            </Alert>
          </Center>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
