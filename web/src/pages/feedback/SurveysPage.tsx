import { Title } from '@mantine/core';

/** Placeholder until the page lands. */
export function SurveysPage() {
  return <Title order={2}>SurveysPage</Title>;
}
