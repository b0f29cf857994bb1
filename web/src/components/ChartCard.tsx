/**
 * A chart that a person can also read as a table and take away as CSV: the one toolbar (a
 * chart/table switch and a CSV button) every dashboard chart shares, then the chart, the table,
 * a loading skeleton, the API's error or an empty state. The CSV is built only when asked for.
 */
import { Alert, Button, Group, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { downloadCsv } from '../pages/home/download';
import { IconDownload } from './icons';

export type ChartView = 'chart' | 'table';

export interface ChartCardProps {
  /** What the chart shows, as read aloud: "NPS weekly trend" → "Download the NPS weekly trend as CSV". */
  name: string;
  /** The left side of the toolbar (a title or a small label). */
  title?: ReactNode;
  /** The file name and the text of the CSV; null while there is nothing to export. */
  csv: { fileName: string; content: () => string } | null;
  /** The chart view (an ECharts chart, usually lazy). */
  chart: () => ReactNode;
  /** The table view, with a caption. */
  table: () => ReactNode;
  loading?: boolean;
  error?: unknown;
  errorTitle?: string;
  /** Set when there is nothing to draw: says so, and where to start, instead of the chart. */
  empty?: ReactNode;
  /** The height of the chart, for the skeleton. */
  height: number;
  size?: 'xs' | 'sm';
  testId?: string;
}

export function ChartCard({ name, title, csv, chart, table, loading, error, errorTitle, empty, height, size = 'xs', testId }: ChartCardProps) {
  const [view, setView] = useState<ChartView>('chart');
  const body = error ? (
    <Alert color="red" role="alert" title={errorTitle ?? `Could not load the ${name}`} p="xs">
      {errorMessage(error)}
    </Alert>
  ) : loading ? (
    <Skeleton h={height} />
  ) : empty ? (
    <Text size="sm" c="dimmed" ta="center" py={Math.max(12, height / 2 - 20)} role="status" component="div">
      {empty}
    </Text>
  ) : view === 'chart' ? (
    chart()
  ) : (
    table()
  );
  return (
    <Stack gap={6} data-testid={testId}>
      <Group justify="space-between" gap={4} wrap="nowrap">
        <div>{title}</div>
        <Group gap={4} wrap="nowrap">
          <SegmentedControl
            size={size}
            aria-label={`${name}: chart or table`}
            value={view}
            onChange={(v) => setView(v as ChartView)}
            data={[
              { value: 'chart', label: 'Chart' },
              { value: 'table', label: 'Table' },
            ]}
          />
          <Button
            size={size === 'xs' ? 'compact-xs' : 'compact-sm'}
            variant="subtle"
            leftSection={<IconDownload size={14} />}
            onClick={() => csv && downloadCsv(csv.fileName, csv.content())}
            disabled={!csv || Boolean(loading) || Boolean(error) || Boolean(empty)}
            aria-label={`Download the ${name} as CSV`}
          >
            CSV
          </Button>
        </Group>
      </Group>
      {body}
    </Stack>
  );
}
