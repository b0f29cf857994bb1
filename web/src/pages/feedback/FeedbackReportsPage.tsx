import { Title } from '@mantine/core';

/** Placeholder until the page lands. */
export function FeedbackReportsPage() {
  return <Title order={2}>FeedbackReportsPage</Title>;
}
