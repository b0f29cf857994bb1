/**
 * The first row of the home page: customer satisfaction (NPS, CSAT, CES) for a period, each
 * against the equal-length period before, with a weekly trend. The period lives in the URL
 * (`?period=30|90|365`) so that a view can be shared.
 */
import { Alert, Anchor, Box, Group, SegmentedControl, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { feedbackReportKeys, feedbackReportsApi, METRICS } from '../../api/feedback-reports';
import { IconMessage } from '../../components/icons';
import { SatisfactionCard } from './SatisfactionCard';
import { DEFAULT_PERIOD, HOME_PERIODS, homePeriod, periodRanges } from './periods';

function NoAnswersYet({ workspaceId }: { workspaceId: string }) {
  return (
    <Stack align="center" gap="xs" py={40} role="status" data-testid="satisfaction-empty">
      <ThemeIcon size={52} radius="xl" variant="light" color="gray">
        <IconMessage size={28} />
      </ThemeIcon>
      <Text fw={600}>No survey answers yet</Text>
      <Text size="sm" c="dimmed" ta="center" maw={480}>
        NPS, CSAT and CES appear here as customers answer. Create a survey and share its link, widget or e-mail under{' '}
        <Anchor component={Link} to={`/w/${encodeURIComponent(workspaceId)}/feedback`} size="sm">
          Feedback → Surveys
        </Anchor>
        .
      </Text>
    </Stack>
  );
}

export function SatisfactionRow({ workspaceId }: { workspaceId: string }) {
  const [params, setParams] = useSearchParams();
  const period = homePeriod(params.get('period'));
  // Recomputed when the period changes (and so on a new day, at the next change or reload).
  const ranges = useMemo(() => periodRanges(period), [period]);

  const current = useQuery({
    queryKey: feedbackReportKeys.summary(workspaceId, ranges.current),
    queryFn: ({ signal }) => feedbackReportsApi.summary(workspaceId, ranges.current, signal),
  });
  const previous = useQuery({
    queryKey: feedbackReportKeys.summary(workspaceId, ranges.previous),
    queryFn: ({ signal }) => feedbackReportsApi.summary(workspaceId, ranges.previous, signal),
  });
  // Only when the period is empty: has this workspace had any answer at all?
  const anyAnswer = useQuery({
    queryKey: [...feedbackReportKeys.all(workspaceId), 'any-answer'],
    queryFn: ({ signal }) => feedbackReportsApi.responses(workspaceId, {}, null, 1, signal),
    enabled: current.data?.responses === 0,
  });
  const noAnswersYet = current.data?.responses === 0 && anyAnswer.data?.responses.length === 0;

  const setPeriod = (value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === DEFAULT_PERIOD) next.delete('period');
        else next.set('period', value);
        return next;
      },
      { replace: true },
    );

  return (
    <Box component="section" aria-labelledby="home-satisfaction-title" data-testid="satisfaction-row">
      <Group justify="space-between" align="flex-end" mb="sm" gap="sm">
        <div>
          <Title order={2} fz="lg" id="home-satisfaction-title">
            Customer satisfaction
          </Title>
          <Text size="sm" c="dimmed">
            From survey answers, {period.label.toLowerCase()} ({ranges.current.from} to {ranges.current.to}, UTC), each against {period.previous}.
          </Text>
        </div>
        <SegmentedControl aria-label="Period" value={period.value} onChange={setPeriod} data={HOME_PERIODS.map((p) => ({ value: p.value, label: p.label }))} />
      </Group>

      {current.isError || previous.isError ? (
        <Alert color="red" role="alert" title="Could not load customer satisfaction">
          {errorMessage(current.error ?? previous.error)}
        </Alert>
      ) : noAnswersYet ? (
        <NoAnswersYet workspaceId={workspaceId} />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          {METRICS.map((m) => (
            <SatisfactionCard key={m} workspaceId={workspaceId} metric={m} current={current.data?.[m]} previous={previous.data?.[m]} period={period} ranges={ranges} />
          ))}
        </SimpleGrid>
      )}
    </Box>
  );
}
