import { Title } from '@mantine/core';

/** Placeholder until the page lands. */
export function SurveyEditorPage() {
  return <Title order={2}>SurveyEditorPage</Title>;
}
