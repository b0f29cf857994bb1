import {
  Alert,
  Box,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { ApiError, errorMessage } from '../api/client';
import { api } from '../api/endpoints';
import { useSession, useSessionActions } from '../auth/session';
import { FullPageLoader } from '../components/FullPageLoader';
import { IconAlert, IconChair } from '../components/icons';

function loginErrorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'RATE_LIMITED') return err.message || 'Too many attempts. Please wait a moment and try again.';
    return err.message;
  }
  return errorMessage(err);
}

export function LoginPage() {
  const session = useSession();
  const { signIn } = useSessionActions();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const login = useMutation({
    mutationFn: () => api.login(email.trim(), password),
    onSuccess: (s) => {
      signIn(s);
      const first = s.memberships[0];
      navigate(first ? `/w/${encodeURIComponent(first.workspaceId)}` : '/welcome', { replace: true });
    },
  });

  if (session.isPending) return <FullPageLoader />;
  if (session.data && !login.isPending) return <Navigate to="/" replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };

  return (
    <Box className="ec-login-bg">
      <Center mih="100vh" p="md">
        <Stack w="100%" maw={420} gap="lg">
          <Group gap="sm" justify="center">
            <ThemeIcon size={44} radius="xl" variant="light">
              <IconChair size={26} />
            </ThemeIcon>
            <Title order={1} fz={28}>
              Empty Chair
            </Title>
          </Group>
          <Text c="dimmed" ta="center" size="sm">
            The customer&apos;s seat in every meeting.
          </Text>
          <Paper withBorder shadow="sm" p="xl" radius="lg">
            <form onSubmit={onSubmit} aria-label="Log in" noValidate>
              <Stack>
                <Title order={2} fz="lg">
                  Log in
                </Title>
                {login.isError && (
                  <Alert color="red" variant="light" icon={<IconAlert />} role="alert" title="Could not log in">
                    {loginErrorMessage(login.error)}
                  </Alert>
                )}
                <TextInput
                  label="E-mail"
                  type="email"
                  autoComplete="username"
                  required
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                  data-autofocus
                />
                <PasswordInput
                  label="Password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                />
                <Button type="submit" loading={login.isPending} disabled={!email || !password} fullWidth>
                  Log in
                </Button>
              </Stack>
            </form>
          </Paper>
          <Text c="dimmed" ta="center" size="xs">
            Open-source customer-obsession platform
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
