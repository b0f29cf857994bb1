/**
 * The first row of the home page: customer satisfaction (NPS, CSAT, CES) for the period and
 * segment of the filters, each against the equal-length period before, with a weekly trend.
 */
import { Alert, SimpleGrid } from '@mantine/core';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { errorMessage } from '../../api/client';
import { feedbackReportKeys, feedbackReportsApi, METRICS } from '../../api/feedback-reports';
import type { Home } from '../../api/insight-home';
import { IconMessage } from '../../components/icons';
import type { HomeFilters } from './filters';
import { SatisfactionCard } from './SatisfactionCard';
import { HomeSection, StartHere } from './Section';

export function SatisfactionRow({ workspaceId, home, filters }: { workspaceId: string; home: UseQueryResult<Home>; filters: HomeFilters }) {
  const { period, ranges, segment } = filters;
  const s = home.data?.satisfaction;
  const periodEmpty = s !== undefined && METRICS.every((m) => s[m].current.n === 0 && s[m].previous.n === 0);
  // Only when the period is empty: has this workspace had any answer at all?
  const anyAnswer = useQuery({
    queryKey: [...feedbackReportKeys.all(workspaceId), 'any-answer'],
    queryFn: ({ signal }) => feedbackReportsApi.responses(workspaceId, {}, null, 1, signal),
    enabled: periodEmpty,
  });
  const noAnswersYet = periodEmpty && anyAnswer.data?.responses.length === 0;

  return (
    <HomeSection
      title="Customer satisfaction"
      testId="satisfaction-row"
      description={
        <>
          From survey answers, {period.label.toLowerCase()} ({ranges.current.from} to {ranges.current.to}, UTC)
          {segment.length > 0 ? `, customers with ${segment.map((c) => c.replace(':', ' = ')).join(' and ')}` : ''}, each against {period.previous}.
        </>
      }
    >
      {home.isError ? (
        <Alert color="red" role="alert" title="Could not load customer satisfaction">
          {errorMessage(home.error)}
        </Alert>
      ) : noAnswersYet ? (
        <StartHere icon={<IconMessage size={28} />} title="No survey answers yet" to={`/w/${encodeURIComponent(workspaceId)}/feedback`} linkText="Feedback → Surveys" testId="satisfaction-empty">
          NPS, CSAT and CES appear here as customers answer. Create a survey and share its link, widget or e-mail under
        </StartHere>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          {METRICS.map((m) => (
            <SatisfactionCard key={m} metric={m} block={s?.[m]} period={period} ranges={ranges} />
          ))}
        </SimpleGrid>
      )}
    </HomeSection>
  );
}
