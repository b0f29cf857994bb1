import { Alert, Badge, Button, Code, Group, Paper, ScrollArea, Stack, Text, ThemeIcon, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type ComponentType, type SVGProps } from 'react';
import { errorMessage } from '../../api/client';
import { customersApi, type TimelineItem, type TimelineKind, type TimelinePage } from '../../api/customers';
import { formatDateTime, formatRelative } from '../../components/format';
import { IconBolt, IconChevronRight, IconClock, IconMessage } from '../../components/icons';
import { IconCart, IconFile, IconIdCard, IconLifebuoy, IconRepeat } from '../../components/icons';

type Icon = ComponentType<SVGProps<SVGSVGElement> & { size?: number }>;

export const KIND: Record<TimelineKind, { label: string; color: string; icon: Icon }> = {
  event: { label: 'Event', color: 'blue', icon: IconBolt },
  order: { label: 'Order', color: 'green', icon: IconCart },
  ticket: { label: 'Ticket', color: 'orange', icon: IconLifebuoy },
  feedback: { label: 'Feedback', color: 'violet', icon: IconMessage },
  followup: { label: 'Follow-up', color: 'orange', icon: IconClock },
  subscription: { label: 'Subscription', color: 'teal', icon: IconRepeat },
  contact: { label: 'Contact record', color: 'gray', icon: IconIdCard },
  record: { label: 'Record', color: 'gray', icon: IconFile },
};

function dataText(data: unknown): string {
  try {
    return JSON.stringify(data, null, 2) ?? '';
  } catch {
    return String(data);
  }
}

function TimelineRow({ item }: { item: TimelineItem }) {
  const [open, setOpen] = useState(false);
  const kind = KIND[item.kind] ?? KIND.record;
  const Icon = kind.icon;
  const hasData = item.data !== null && item.data !== undefined && !(typeof item.data === 'object' && Object.keys(item.data).length === 0);
  return (
    <li data-timeline-kind={item.kind} data-timeline-id={item.id} style={{ listStyle: 'none' }}>
      <Group gap="sm" align="flex-start" wrap="nowrap" py={6}>
        <Tooltip label={kind.label}>
          <ThemeIcon variant="light" color={kind.color} radius="xl" size={30} aria-label={kind.label} role="img">
            <Icon size={16} />
          </ThemeIcon>
        </Tooltip>
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
              {item.title}
            </Text>
            <Tooltip label={formatDateTime(item.at)}>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatRelative(item.at)}
              </Text>
            </Tooltip>
          </Group>
          <Group gap={6}>
            <Badge size="xs" variant="light" color={kind.color}>
              {kind.label}
            </Badge>
            <Text size="xs" c="dimmed">
              from {item.source} · {formatDateTime(item.at)}
            </Text>
            {hasData && (
              <UnstyledButton
                onClick={() => setOpen((o) => !o)}
                aria-expanded={open}
                aria-label={`${open ? 'Hide' : 'Show'} details of ${item.title}`}
                fz="xs"
                c="blue.7"
              >
                <Group gap={2} wrap="nowrap">
                  <IconChevronRight size={12} style={{ transform: open ? 'rotate(90deg)' : undefined }} />
                  Details
                </Group>
              </UnstyledButton>
            )}
          </Group>
          {open && (
            <Code block className="ec-json" data-testid="timeline-data">
              {dataText(item.data)}
            </Code>
          )}
        </Stack>
      </Group>
    </li>
  );
}

/**
 * One timeline across events, orders, tickets, feedback, subscriptions and contact records,
 * newest first. The first page comes with the customer; "Load more" follows the cursor.
 * Mount it with a key per customer version, so that a merge or an unmerge starts it afresh.
 */
export function Timeline({ workspaceId, customerId, first }: { workspaceId: string; customerId: string; first: TimelinePage }) {
  const [pages, setPages] = useState<TimelinePage[]>([first]);
  const cursor = pages[pages.length - 1]?.nextCursor ?? null;
  const more = useMutation({
    mutationFn: (before: string) => customersApi.timeline(workspaceId, customerId, { before, limit: 50 }),
    onSuccess: (page) => setPages((p) => [...p, page]),
  });
  const items = pages.flatMap((p) => p.items);

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="timeline-heading">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={2} fz="lg" id="timeline-heading">
              Timeline
            </Title>
            <Text size="sm" c="dimmed">
              Everything this customer did or that happened to them, in every source, newest first.
            </Text>
          </div>
          <Text size="xs" c="dimmed" data-testid="timeline-count">
            {items.length} {items.length === 1 ? 'item' : 'items'}
            {cursor ? ' shown' : ''}
          </Text>
        </Group>
        {items.length === 0 ? (
          <Text c="dimmed" ta="center" py="lg">
            Nothing on the timeline yet.
          </Text>
        ) : (
          <ScrollArea.Autosize mah={720} type="auto" offsetScrollbars>
            <Stack component="ol" gap={0} aria-label="Timeline items" p={0} m={0}>
              {items.map((item) => (
                <TimelineRow key={item.id} item={item} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
        {more.isError && (
          <Alert color="red" role="alert" title="Could not load more of the timeline">
            {errorMessage(more.error)}
          </Alert>
        )}
        {cursor && (
          <Group justify="center">
            <Button variant="default" onClick={() => more.mutate(cursor)} loading={more.isPending}>
              Load more
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
