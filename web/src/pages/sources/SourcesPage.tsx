import { Button, Divider, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { IconPause, IconPlay } from '../../components/icons';
import { useWorkspace } from '../../components/workspace';
import { ImportsSection } from './ImportsSection';
import { IngestErrors } from './IngestErrors';
import { LiveHeading, LiveTail } from './LiveTail';
import { SourceCounts } from './SourceCounts';
import { WriteKeysSection } from './WriteKeysSection';

/** Customer data in: write keys, the live event tail, counts per source and file imports. */
export function SourcesPage() {
  const { workspaceId, workspaceName } = useWorkspace();
  const [paused, setPaused] = useState(false);

  return (
    <Stack gap="xl" maw={1400}>
      <div>
        <Title order={1} fz={26}>
          Sources
        </Title>
        <Text c="dimmed">Customer data into {workspaceName}: events from the tracking API and files from your other systems</Text>
      </div>

      <WriteKeysSection />

      <Divider />

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, xl: 7 }}>
          <Stack gap="xs">
            <Group justify="space-between" align="flex-end" wrap="nowrap">
              <div>
                <LiveHeading paused={paused} />
                <Text size="sm" c="dimmed">
                  Events as they arrive, newest first. Select a row to see its properties and context.
                </Text>
              </div>
              <Button
                variant="default"
                onClick={() => setPaused((p) => !p)}
                aria-pressed={paused}
                leftSection={paused ? <IconPlay size={14} /> : <IconPause size={14} />}
              >
                {paused ? 'Resume' : 'Pause'}
              </Button>
            </Group>
            {/* A new workspace starts a new tail. */}
            <LiveTail key={workspaceId} workspaceId={workspaceId} paused={paused} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, xl: 5 }}>
          <IngestErrors workspaceId={workspaceId} paused={paused} />
        </Grid.Col>
      </Grid>

      <Divider />

      <SourceCounts workspaceId={workspaceId} />

      <Divider />

      <ImportsSection />
    </Stack>
  );
}
