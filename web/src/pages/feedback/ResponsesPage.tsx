import { Title } from '@mantine/core';

/** Placeholder until the page lands. */
export function ResponsesPage() {
  return <Title order={2}>ResponsesPage</Title>;
}
