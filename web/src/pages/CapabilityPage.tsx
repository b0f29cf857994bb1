import { Badge, Card, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { Capability } from './capabilities';

/** A capability area that is not built yet: says plainly what will be here. */
export function CapabilityPage({ capability }: { capability: Capability }) {
  const Icon = capability.icon;
  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1} fz={26}>
            {capability.label}
          </Title>
          <Text c="dimmed">{capability.title}</Text>
        </div>
      </Group>

      <Paper withBorder radius="lg" p="xl" aria-label={`${capability.label}: coming soon`} role="region">
        <Stack align="center" gap="sm" maw={640} mx="auto" py="md">
          <ThemeIcon size={64} radius="xl" variant="light" color={capability.color}>
            <Icon size={34} />
          </ThemeIcon>
          <Badge variant="light" color={capability.color}>
            Coming soon
          </Badge>
          <Title order={2} fz="xl" ta="center">
            {capability.title}
          </Title>
          <Text ta="center" c="dimmed">
            {capability.summary}
          </Text>
        </Stack>
      </Paper>

      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {capability.coming.map((item) => (
          <Card key={item.title} withBorder radius="md" padding="lg">
            <Text fw={600} mb={4}>
              {item.title}
            </Text>
            <Text size="sm" c="dimmed">
              {item.text}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
