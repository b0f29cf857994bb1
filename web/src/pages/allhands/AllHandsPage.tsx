/**
 * The all-hands screen (`/w/:workspaceId/all-hands`): the customer's numbers and their own
 * words, one slide at a time, for the office screen. Slides move every 10 s; ← → move by hand,
 * space pauses, Esc leaves (in full screen the browser's first Esc leaves full screen). No
 * transition under prefers-reduced-motion. Data refresh every 3 minutes. Read-only: viewers too.
 */
import { Alert, Box, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useReducedMotion } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { feedbackReportKeys, feedbackReportsApi } from '../../api/feedback-reports';
import { useSession } from '../../auth/session';
import { FullPageLoader } from '../../components/FullPageLoader';
import { IconArrowLeft, IconPause, IconPlay } from '../../components/icons';
import { useHome, useHomeFilters } from '../home/filters';
import { figureSlides, quoteSlides, type Slide } from './slides';
import { useCycle } from './useCycle';

export const SLIDE_MS = 10_000;
const REFRESH_MS = 3 * 60_000;
/** Quotes come from the answers of the last 30 days (the newest 100). */
const QUOTE_DAYS = 30;

function SlideView({ slide }: { slide: Slide }) {
  if (slide.kind === 'quote') {
    return (
      <Stack gap="lg" align="center" maw={1100} data-testid="slide-quote">
        <Title order={2} c="dimmed" fz={32} fw={600}>
          {slide.title}
        </Title>
        {/* A text node: whatever a customer typed is shown, never run. */}
        <Text component="blockquote" fz={44} fw={500} lh={1.3} ta="center" m={0} style={{ overflowWrap: 'anywhere' }} data-testid="quote-text">
          “{slide.text}”
        </Text>
        <Text c="dimmed" fz={24}>
          {slide.detail}
        </Text>
      </Stack>
    );
  }
  // Every figure on these slides is better up (active customers, not churn; SLA met).
  const colour = slide.arrow === '↑' ? 'teal.7' : slide.arrow === '↓' ? 'red.7' : 'dimmed';
  return (
    <Stack gap="md" align="center" data-testid={`slide-${slide.key}`}>
      <Title order={2} c="dimmed" fz={40} fw={600}>
        {slide.title}
      </Title>
      <Text fz={160} fw={800} lh={1} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="slide-value">
        {slide.value}
      </Text>
      <Text fz={32} fw={600} data-testid="slide-detail">
        {slide.detail}
      </Text>
      <Text fz={28} c={colour} data-testid="slide-change">
        {slide.arrow && (
          <span role="img" aria-label={slide.arrow === '↑' ? 'up' : slide.arrow === '↓' ? 'down' : 'unchanged'}>
            {slide.arrow}{' '}
          </span>
        )}
        {slide.change}
      </Text>
    </Stack>
  );
}

function useFullscreen() {
  const [on, setOn] = useState(() => typeof document !== 'undefined' && document.fullscreenElement !== null);
  useEffect(() => {
    const update = () => setOn(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', update);
    return () => document.removeEventListener('fullscreenchange', update);
  }, []);
  const toggle = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen?.().catch(() => undefined);
  }, []);
  return { on, toggle, supported: typeof document !== 'undefined' && document.fullscreenEnabled };
}

function Screen({ workspaceId, workspaceName }: { workspaceId: string; workspaceName: string }) {
  const navigate = useNavigate();
  const reduced = useReducedMotion();
  const filters = useHomeFilters();
  const home = useHome(workspaceId, filters.query, { refetchInterval: REFRESH_MS });
  const quoteRange = useMemo(() => ({ from: new Date(Date.now() - (QUOTE_DAYS - 1) * 86_400_000).toISOString().slice(0, 10), segment: filters.segment }), [filters.segment]);
  const answers = useQuery({
    queryKey: [...feedbackReportKeys.responses(workspaceId, quoteRange), 'all-hands'],
    queryFn: ({ signal }) => feedbackReportsApi.responses(workspaceId, quoteRange, null, 100, signal),
    refetchInterval: REFRESH_MS,
  });
  const slides = useMemo<Slide[]>(
    () => [...(home.data ? figureSlides(home.data, filters.period.previous) : []), ...quoteSlides(answers.data?.responses ?? [])],
    [home.data, answers.data, filters.period.previous],
  );
  const cycle = useCycle(slides.length, SLIDE_MS);
  const fullscreen = useFullscreen();
  const leave = useCallback(() => navigate(`/w/${encodeURIComponent(workspaceId)}${window.location.search}`), [navigate, workspaceId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'ArrowRight') cycle.next();
      else if (e.key === 'ArrowLeft') cycle.previous();
      else if (e.key === ' ' || e.key === 'Spacebar') {
        // Not when a button has focus: space presses it already.
        if (e.target instanceof HTMLButtonElement) return;
        cycle.togglePause();
      } else if (e.key === 'Escape') leave();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [cycle, leave]);

  const slide = slides[cycle.index];
  return (
    <Box
      component="main"
      h="100vh"
      bg="white"
      p="xl"
      style={{ display: 'flex', flexDirection: 'column' }}
      data-testid="all-hands"
      data-reduced-motion={reduced ? 'true' : 'false'}
      aria-roledescription="carousel"
      aria-label={`All-hands: ${workspaceName}`}
    >
      <Group justify="space-between">
        <Group gap="sm">
          <Button component={Link} to={`/w/${encodeURIComponent(workspaceId)}${window.location.search}`} variant="subtle" leftSection={<IconArrowLeft size={16} />}>
            Home
          </Button>
          <Title order={1} fz="lg">
            {workspaceName} · {filters.period.label}
          </Title>
        </Group>
        <Group gap="xs">
          <Text size="sm" c="dimmed" data-testid="slide-position">
            {slides.length ? `${cycle.index + 1} / ${slides.length}` : ''}
          </Text>
          <Button variant="default" onClick={cycle.togglePause} leftSection={cycle.paused ? <IconPlay size={16} /> : <IconPause size={16} />} aria-pressed={cycle.paused} data-testid="pause">
            {cycle.paused ? 'Resume' : 'Pause'}
          </Button>
          {fullscreen.supported && (
            <Button variant="light" onClick={fullscreen.toggle}>
              {fullscreen.on ? 'Exit full screen' : 'Full screen'}
            </Button>
          )}
        </Group>
      </Group>
      <Center style={{ flex: 1 }}>
        {home.isError ? (
          <Alert color="red" role="alert" title="Could not load the figures" maw={640}>
            {errorMessage(home.error)}
          </Alert>
        ) : !slide ? (
          <Loader />
        ) : (
          // Announced when someone moves it by hand or pauses; not every 10 s.
          <div
            key={slide.key}
            role="group"
            aria-roledescription="slide"
            aria-label={`${cycle.index + 1} of ${slides.length}: ${slide.title}`}
            aria-live={cycle.paused ? 'polite' : 'off'}
            className={reduced ? undefined : 'all-hands-slide'}
            data-testid="slide"
            data-slide={slide.key}
          >
            <SlideView slide={slide} />
          </div>
        )}
      </Center>
      <Text size="sm" c="dimmed" ta="center">
        ← → to move · space to {cycle.paused ? 'resume' : 'pause'} · Esc to leave
        {answers.isError ? ` · quotes unavailable: ${errorMessage(answers.error)}` : ''}
      </Text>
    </Box>
  );
}

/** Outside the app's shell (no navigation on the office screen); the membership comes from the session. */
export function AllHandsPage() {
  const { workspaceId = '' } = useParams();
  const session = useSession();
  if (session.isPending) return <FullPageLoader />;
  const membership = session.data?.memberships.find((m) => m.workspaceId === workspaceId);
  if (!membership) {
    return (
      <Center py="xl">
        <Alert color="yellow" title="Workspace not available" maw={520} role="alert">
          You are not a member of this workspace, or it no longer exists.
        </Alert>
      </Center>
    );
  }
  return <Screen workspaceId={workspaceId} workspaceName={membership.workspaceName} />;
}
